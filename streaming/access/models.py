"""Access tables: subscriptions, embedding origins, on-site ranges, contacts, keys, nonces, sessions, counts."""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum

from sqlalchemy import Column, Date, DateTime, ForeignKey, Index, Integer, String, UniqueConstraint
from sqlmodel import Field, SQLModel

from cinedoc.kernel import clock


def _utc(nullable: bool = True) -> Column:
    return Column(DateTime(timezone=True), nullable=nullable)


def _institution_fk() -> Column:
    return Column(Integer, ForeignKey("institution.id", ondelete="CASCADE"), nullable=False, index=True)


class SubscriptionStatus(StrEnum):
    ACTIVE = "active"
    SUSPENDED = "suspended"
    CANCELLED = "cancelled"


class KeyStatus(StrEnum):
    """An assertion key or a playback key: active keys verify, retired or revoked ones never again."""

    ACTIVE = "active"
    RETIRED = "retired"
    REVOKED = "revoked"


class AccessMethod(StrEnum):
    ASSERTION = "assertion"
    ON_SITE = "on_site"
    CAS = "cas"


class Subscription(SQLModel, table=True):
    """A period during which an institution's patrons may watch; both ends are Europe/Paris days, included."""

    __tablename__ = "subscription"

    id: int | None = Field(default=None, primary_key=True)
    institution_id: int = Field(sa_column=_institution_fk())
    start_date: date = Field(sa_column=Column(Date, nullable=False))
    end_date: date = Field(sa_column=Column(Date, nullable=False))
    status: str = Field(default=SubscriptionStatus.ACTIVE, sa_column=Column(String(16), nullable=False))
    note: str = Field(default="", max_length=300)
    created_at: datetime = Field(default_factory=lambda: clock.utcnow(), sa_column=_utc(nullable=False))


class EmbedOrigin(SQLModel, table=True):
    """A web origin (scheme://host[:port]) allowed to frame the player for this institution."""

    __tablename__ = "embed_origin"
    __table_args__ = (UniqueConstraint("institution_id", "origin"),)

    id: int | None = Field(default=None, primary_key=True)
    institution_id: int = Field(sa_column=_institution_fk())
    origin: str = Field(sa_column=Column(String(300), nullable=False))


class IpRange(SQLModel, table=True):
    """An address block (CIDR, IPv4 or IPv6) of the institution's own computers: on-site access without a patron id."""

    __tablename__ = "ip_range"
    __table_args__ = (UniqueConstraint("institution_id", "cidr"),)

    id: int | None = Field(default=None, primary_key=True)
    institution_id: int = Field(sa_column=_institution_fk())
    cidr: str = Field(sa_column=Column(String(50), nullable=False))
    label: str = Field(default="", max_length=200)


class InstitutionContact(SQLModel, table=True):
    __tablename__ = "institution_contact"

    id: int | None = Field(default=None, primary_key=True)
    institution_id: int = Field(sa_column=_institution_fk())
    name: str = Field(max_length=200)
    role: str = Field(default="", max_length=120)
    email: str = Field(default="", max_length=254)
    phone: str = Field(default="", max_length=40)


class AssertionKey(SQLModel, table=True):
    """A shared secret a portal signs patron assertions with; several may be active at once during a rotation."""

    __tablename__ = "assertion_key"

    id: int | None = Field(default=None, primary_key=True)
    institution_id: int = Field(sa_column=_institution_fk())
    kid: str = Field(sa_column=Column(String(40), nullable=False, unique=True))
    secret: str = Field(sa_column=Column(String(100), nullable=False))
    label: str = Field(default="", max_length=200)
    status: str = Field(default=KeyStatus.ACTIVE, sa_column=Column(String(16), nullable=False))
    created_at: datetime = Field(default_factory=lambda: clock.utcnow(), sa_column=_utc(nullable=False))
    revoked_at: datetime | None = Field(default=None, sa_column=_utc())


class AssertionNonce(SQLModel, table=True):
    """A used assertion nonce, kept until its assertion could no longer be accepted anyway."""

    __tablename__ = "assertion_nonce"

    institution_id: int = Field(sa_column=Column(Integer, ForeignKey("institution.id", ondelete="CASCADE"),
                                                 primary_key=True))
    nonce: str = Field(sa_column=Column(String(128), primary_key=True))
    expires_at: datetime = Field(sa_column=Column(DateTime(timezone=True), nullable=False, index=True))


class PlaybackKey(SQLModel, table=True):
    """A server key for media tokens, named by its kid; its secret is derived from CINEDOC_SECRET_KEY, never stored."""

    __tablename__ = "playback_key"

    kid: str = Field(sa_column=Column(String(16), primary_key=True))
    status: str = Field(default=KeyStatus.ACTIVE, sa_column=Column(String(16), nullable=False))
    created_at: datetime = Field(default_factory=lambda: clock.utcnow(), sa_column=_utc(nullable=False))
    retired_at: datetime | None = Field(default=None, sa_column=_utc())


class PlaybackSession(SQLModel, table=True):
    """One opening of a film by one patron (or one on-site seat): the session id travels inside the media token."""

    __tablename__ = "playback_session"
    __table_args__ = (Index("ix_playback_session_institution_created", "institution_id", "created_at"),)

    id: str = Field(sa_column=Column(String(32), primary_key=True))
    institution_id: int = Field(sa_column=Column(Integer, ForeignKey("institution.id", ondelete="CASCADE"),
                                                 nullable=False))
    film_id: int = Field(sa_column=Column(Integer, ForeignKey("film.id"), nullable=False, index=True))
    asset_id: int = Field(sa_column=Column(Integer, ForeignKey("media_asset.id"), nullable=False))
    storage_prefix: str = Field(sa_column=Column(String(300), nullable=False))
    # The per-institution pseudonym (an HMAC), never the identifier the portal sent; empty for on-site seats.
    patron: str | None = Field(default=None, sa_column=Column(String(64), nullable=True, index=True))
    method: str = Field(sa_column=Column(String(16), nullable=False))
    kid: str = Field(sa_column=Column(String(16), nullable=False))
    created_at: datetime = Field(default_factory=lambda: clock.utcnow(), sa_column=_utc(nullable=False))
    expires_at: datetime = Field(sa_column=_utc(nullable=False))
    revoked_at: datetime | None = Field(default=None, sa_column=_utc())


class MonthlyPlay(SQLModel, table=True):
    """A film a viewer opened in a Paris calendar month: the monthly limits count these rows, re-watching is free."""

    __tablename__ = "monthly_play"

    institution_id: int = Field(sa_column=Column(Integer, ForeignKey("institution.id", ondelete="CASCADE"),
                                                 primary_key=True))
    month: str = Field(sa_column=Column(String(7), primary_key=True))
    viewer: str = Field(sa_column=Column(String(80), primary_key=True))
    film_id: int = Field(sa_column=Column(Integer, ForeignKey("film.id"), primary_key=True))


class OpeningWindow(SQLModel, table=True):
    """Session openings per subject (a patron, or an address on site) in a fixed one-minute window, shared by
    every app process through the database."""

    __tablename__ = "opening_window"

    subject: str = Field(sa_column=Column(String(120), primary_key=True))
    window_start: datetime = Field(sa_column=Column(DateTime(timezone=True), primary_key=True))
    count: int = Field(sa_column=Column(Integer, nullable=False))
