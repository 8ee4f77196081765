"""Prize tables: editions and their nominees, the librarians' and the public's ballots, the frozen counts, the audit.

A ballot row is keyed by who may hold one ballot (a librarian or an institution; a patron's per-institution
pseudonym), so that "one ballot each" is a primary key the database enforces under any concurrency, not a check
the application makes before writing.
"""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum

from sqlalchemy import BigInteger, Boolean, Column, Date, DateTime, ForeignKey, Index, Integer, String, Text
from sqlmodel import Field, SQLModel

from cinedoc.kernel import clock


def _utc(nullable: bool = True) -> Column:
    return Column(DateTime(timezone=True), nullable=nullable)


def _edition_fk(primary_key: bool = False) -> Column:
    return Column(Integer, ForeignKey("prize_edition.id", ondelete="CASCADE"), primary_key=primary_key,
                  nullable=False)


class BallotScope(StrEnum):
    """Whose ballot counts in the librarians' round: each librarian's, or one per institution (the last cast)."""

    LIBRARIAN = "librarian"
    INSTITUTION = "institution"


class PrizeRound(StrEnum):
    LIBRARIANS = "librarians"
    PUBLIC = "public"
    EDITION = "edition"  # the edition's own events in the audit: nominees set, shortlist published, result frozen


class PrizeEdition(SQLModel, table=True):
    """One year's prize. Phase dates are Europe/Paris days, both ends included; the result is published on
    `result_date`. The seeds are the recorded draws that break ties, published with the counts."""

    __tablename__ = "prize_edition"

    id: int | None = Field(default=None, primary_key=True)
    year: int = Field(sa_column=Column(Integer, nullable=False, unique=True))
    title: str = Field(sa_column=Column(String(200), nullable=False))
    partners: str = Field(default="", sa_column=Column(Text, nullable=False, default=""))
    award_cents: int = Field(sa_column=Column(BigInteger, nullable=False))
    pick_count: int = Field(sa_column=Column(Integer, nullable=False))
    shortlist_size: int = Field(sa_column=Column(Integer, nullable=False))
    ballot_scope: str = Field(default=BallotScope.LIBRARIAN, sa_column=Column(String(16), nullable=False))
    allow_vote_change: bool = Field(default=True, sa_column=Column(Boolean, nullable=False))
    require_watched: bool = Field(default=False, sa_column=Column(Boolean, nullable=False))
    nominations_start: date = Field(sa_column=Column(Date, nullable=False))
    nominations_end: date = Field(sa_column=Column(Date, nullable=False))
    librarians_start: date = Field(sa_column=Column(Date, nullable=False))
    librarians_end: date = Field(sa_column=Column(Date, nullable=False))
    preparation_start: date = Field(sa_column=Column(Date, nullable=False))
    preparation_end: date = Field(sa_column=Column(Date, nullable=False))
    public_start: date = Field(sa_column=Column(Date, nullable=False))
    public_end: date = Field(sa_column=Column(Date, nullable=False))
    result_date: date = Field(sa_column=Column(Date, nullable=False))
    shortlist_seed: str | None = Field(default=None, sa_column=Column(String(32), nullable=True))
    shortlisted_at: datetime | None = Field(default=None, sa_column=_utc())
    result_seed: str | None = Field(default=None, sa_column=Column(String(32), nullable=True))
    frozen_at: datetime | None = Field(default=None, sa_column=_utc())
    winner_film_id: int | None = Field(default=None, sa_column=Column(Integer, ForeignKey("film.id"), nullable=True))
    created_at: datetime = Field(default_factory=lambda: clock.utcnow(), sa_column=_utc(nullable=False))


class PrizeNominee(SQLModel, table=True):
    __tablename__ = "prize_nominee"

    edition_id: int = Field(sa_column=_edition_fk(primary_key=True))
    film_id: int = Field(sa_column=Column(Integer, ForeignKey("film.id"), primary_key=True))
    position: int = Field(sa_column=Column(Integer, nullable=False))


class LibrarianBallot(SQLModel, table=True):
    """One ballot of the librarians' round; `voter` is "u:<staff id>" or "i:<institution id>" by the edition's
    scope. Its films are the LibrarianChoice rows of the same key."""

    __tablename__ = "librarian_ballot"

    edition_id: int = Field(sa_column=_edition_fk(primary_key=True))
    voter: str = Field(sa_column=Column(String(24), primary_key=True))
    institution_id: int = Field(sa_column=Column(Integer, ForeignKey("institution.id", ondelete="CASCADE"),
                                                 nullable=False, index=True))
    staff_user_id: int = Field(sa_column=Column(Integer, ForeignKey("staff_user.id"), nullable=False))
    cast_at: datetime = Field(sa_column=_utc(nullable=False))
    updated_at: datetime = Field(sa_column=_utc(nullable=False))


class LibrarianChoice(SQLModel, table=True):
    __tablename__ = "librarian_choice"

    edition_id: int = Field(sa_column=_edition_fk(primary_key=True))
    voter: str = Field(sa_column=Column(String(24), primary_key=True))
    film_id: int = Field(sa_column=Column(Integer, ForeignKey("film.id"), primary_key=True))


class PublicBallot(SQLModel, table=True):
    """A patron's vote: the per-institution pseudonym (never the portal's identifier) and one film."""

    __tablename__ = "public_ballot"
    __table_args__ = (Index("ix_public_ballot_film", "edition_id", "film_id", "institution_id"),)

    edition_id: int = Field(sa_column=_edition_fk(primary_key=True))
    institution_id: int = Field(sa_column=Column(Integer, ForeignKey("institution.id", ondelete="CASCADE"),
                                                 primary_key=True))
    voter: str = Field(sa_column=Column(String(64), primary_key=True))
    film_id: int = Field(sa_column=Column(Integer, ForeignKey("film.id"), nullable=False))
    cast_at: datetime = Field(sa_column=_utc(nullable=False))
    cast_day: date = Field(sa_column=Column(Date, nullable=False))
    updated_at: datetime = Field(sa_column=_utc(nullable=False))


class PrizeTally(SQLModel, table=True):
    """A round's count, frozen when the round closes: ballots and distinct institutions per film, and the rank
    after the published tie-break."""

    __tablename__ = "prize_tally"

    edition_id: int = Field(sa_column=_edition_fk(primary_key=True))
    round: str = Field(sa_column=Column(String(16), primary_key=True))
    film_id: int = Field(sa_column=Column(Integer, ForeignKey("film.id"), primary_key=True))
    ballots: int = Field(sa_column=Column(Integer, nullable=False))
    institutions: int = Field(sa_column=Column(Integer, nullable=False))
    rank: int = Field(sa_column=Column(Integer, nullable=False))


class PrizeParticipation(SQLModel, table=True):
    """Ballots per institution in a round, frozen with the tally."""

    __tablename__ = "prize_participation"

    edition_id: int = Field(sa_column=_edition_fk(primary_key=True))
    round: str = Field(sa_column=Column(String(16), primary_key=True))
    institution_id: int = Field(sa_column=Column(Integer, ForeignKey("institution.id", ondelete="CASCADE"),
                                                 primary_key=True))
    ballots: int = Field(sa_column=Column(Integer, nullable=False))


class PrizeAudit(SQLModel, table=True):
    """The append-only trail: every ballot cast or changed, and the edition's own events. Database triggers refuse
    UPDATE and DELETE on this table (audience/prize/audit.py)."""

    __tablename__ = "prize_audit"
    __table_args__ = (Index("ix_prize_audit_edition", "edition_id", "id"),)

    id: int | None = Field(default=None, primary_key=True)
    edition_id: int = Field(sa_column=Column(Integer, ForeignKey("prize_edition.id"), nullable=False))
    round: str = Field(sa_column=Column(String(16), nullable=False))
    action: str = Field(sa_column=Column(String(16), nullable=False))
    voter: str = Field(default="", sa_column=Column(String(64), nullable=False, default=""))
    institution_id: int | None = Field(default=None, sa_column=Column(Integer, nullable=True))
    films: str = Field(default="", sa_column=Column(String(200), nullable=False, default=""))
    previous_films: str = Field(default="", sa_column=Column(String(200), nullable=False, default=""))
    detail: str = Field(default="", sa_column=Column(String(200), nullable=False, default=""))
    at: datetime = Field(sa_column=_utc(nullable=False))
