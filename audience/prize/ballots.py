"""Casting ballots: the librarians' N-of-M ballot and the patrons' single vote, each refused outside its round.

"One ballot each" rests on primary keys (INSERT ... ON CONFLICT DO NOTHING), and a change is a compare-and-set
on the previous choice, so that any number of concurrent submissions from one voter leave exactly one ballot and
one audit entry per real change.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import delete, text, update
from sqlmodel import Session, col, select

from audience.prize import audit as prize_audit
from audience.prize.count import shortlist
from audience.prize.editions import get_edition, nominee_ids
from audience.prize.models import (
    BallotScope,
    LibrarianBallot,
    LibrarianChoice,
    PrizeEdition,
    PrizeRound,
    PublicBallot,
)
from audience.viewing.counting import viewer_key
from audience.viewing.models import ConsultationRecord
from catalogue.films.models import Film
from cinedoc.kernel import clock
from cinedoc.kernel.accounts import Role, StaffUser
from cinedoc.kernel.errors import Conflict, Forbidden, InvalidInput
from cinedoc.kernel.templating import long_date
from cinedoc.kernel.upserts import insert_once
from streaming.access.entitlement import subscription_active
from streaming.playback.sessions import PatronIdentity, grant_key_usable
from streaming.playback.signing import check_grant
from streaming.runtime import AccessRuntime


@dataclass(frozen=True)
class BallotResult:
    films: list[int]
    changed: bool
    voter: str


def _check_open(edition: PrizeEdition, round_: str, day: date) -> None:
    start, end = getattr(edition, f"{round_}_start"), getattr(edition, f"{round_}_end")
    if start <= day <= end:
        return
    dates = {"start": long_date(start), "end": long_date(end)}
    if round_ == "librarians":
        raise Conflict("The librarians' vote of this prize is open from {start} to {end}, not today.", **dates)
    raise Conflict("The public vote of this prize is open from {start} to {end}, not today.", **dates)


def _check_subscribed(session: Session, institution_id: int, day: date, known: bool | None = None) -> None:
    """`known` is the answer a caller already read (the vote's path reads it before its write transaction)."""
    if not (known if known is not None else subscription_active(session, institution_id, day)):
        raise Forbidden("Your library's subscription to the platform is not active today: its votes are not "
                        "taken.")


# --- the librarians' round -----------------------------------------------------------------------------------------

def librarian_voter(edition: PrizeEdition, user: StaffUser) -> str:
    if edition.ballot_scope == BallotScope.INSTITUTION:
        return f"i:{user.institution_id}"
    return f"u:{user.id}"


def _check_choice(session: Session, edition: PrizeEdition, films: list[int]) -> None:
    assert edition.id is not None
    if len(set(films)) != len(films):
        raise InvalidInput("A film is chosen twice: choose {count} different films.", field="films",
                           count=edition.pick_count)
    if len(films) != edition.pick_count:
        raise InvalidInput("Choose exactly {count} films ({chosen} chosen).", field="films",
                           count=edition.pick_count, chosen=len(films))
    nominees = set(nominee_ids(session, edition.id))
    strangers = [film for film in films if film not in nominees]
    if strangers:
        raise InvalidInput("Film {film_id} is not nominated for this prize.", field="films", film_id=strangers[0])


def librarian_choices(session: Session, edition_id: int, voter: str) -> list[int]:
    return sorted(session.exec(select(LibrarianChoice.film_id).where(
        LibrarianChoice.edition_id == edition_id, LibrarianChoice.voter == voter)))


def cast_librarian_ballot(session: Session, edition_id: int, user: StaffUser, films: list[int],
                          day: date | None = None) -> BallotResult:
    day = day or clock.paris_today()
    edition = get_edition(session, edition_id)
    _check_open(edition, "librarians", day)
    if user.role != Role.LIBRARIAN or user.institution_id is None:
        raise Forbidden("Only the librarians of subscribing libraries vote in the librarians' round.")
    _check_subscribed(session, user.institution_id, day)
    _check_choice(session, edition, films)
    voter = librarian_voter(edition, user)
    now = prize_audit.moment_on(day)
    key = (col(LibrarianBallot.edition_id) == edition_id) & (col(LibrarianBallot.voter) == voter)
    created = insert_once(session, LibrarianBallot.__table__, {  # type: ignore[attr-defined]
        "edition_id": edition_id, "voter": voter, "institution_id": user.institution_id,
        "staff_user_id": user.id, "cast_at": now, "updated_at": now})
    # Locked (PostgreSQL) before its choices are read: two changes from one voter apply one after the other.
    session.exec(select(LibrarianBallot.voter).where(key).with_for_update()).one()
    previous = [] if created else librarian_choices(session, edition_id, voter)
    wanted = sorted(films)
    if previous == wanted:
        return BallotResult(wanted, False, voter)
    connection = session.connection()
    connection.execute(delete(LibrarianChoice).where(  # type: ignore[arg-type]
        col(LibrarianChoice.edition_id) == edition_id, col(LibrarianChoice.voter) == voter))
    connection.execute(LibrarianChoice.__table__.insert(),  # type: ignore[attr-defined]
                       [{"edition_id": edition_id, "voter": voter, "film_id": film} for film in wanted])
    connection.execute(update(LibrarianBallot).where(key).values(  # type: ignore[arg-type]
        updated_at=now, staff_user_id=user.id, institution_id=user.institution_id))
    prize_audit.record(session, edition_id, PrizeRound.LIBRARIANS, "cast" if created else "change", voter=voter,
                       institution_id=user.institution_id, films=wanted, previous=previous, at=now)
    return BallotResult(wanted, True, voter)


# --- the public round ----------------------------------------------------------------------------------------------

def grant_holder(runtime: AccessRuntime, session: Session, grant_text: str) -> PatronIdentity | None:
    """Who the grant names, if it still holds (signed by us with a usable key, not expired); on-site grants too."""
    grant = check_grant(runtime.ring, grant_text, runtime.now())
    if grant is None or not grant_key_usable(runtime, session, grant.kid):
        return None
    return PatronIdentity(grant.institution_id, grant.viewer, grant.method)


def _require_patron(patron: PatronIdentity) -> None:
    if patron.viewer is None:
        raise Forbidden("Voting needs you to be signed in to your library's website: a vote from the library's own "
                        "computers cannot tell one patron from another.")


def patron_from_grant(runtime: AccessRuntime, session: Session, grant_text: str) -> PatronIdentity:
    """The patron the library vouched for when the ballot page or the player opened (the grant is signed by us and
    names the institution and the per-institution pseudonym)."""
    patron = grant_holder(runtime, session, grant_text)
    if patron is None:
        raise Forbidden("Your access has expired: open the vote again from your library's website.")
    _require_patron(patron)
    return patron


def check_voter(session: Session, patron: PatronIdentity, day: date, subscribed: bool | None = None) -> None:
    """A patron who may vote today: identified (not the library's own computers) and from a subscribing library."""
    _require_patron(patron)
    _check_subscribed(session, patron.institution_id, day, subscribed)


def _has_watched(session: Session, institution_id: int, viewer: str, film_id: int) -> bool:
    """Watched means a counted consultation of the film (docs/statistics.md) by this patron at this library."""
    return session.exec(select(ConsultationRecord.session_id).where(
        ConsultationRecord.institution_id == institution_id, ConsultationRecord.viewer == viewer_key(viewer, ""),
        ConsultationRecord.film_id == film_id, col(ConsultationRecord.counted).is_(True)).limit(1)).first() is not None


def _film_title(session: Session, film_id: int) -> str:
    film = session.get(Film, film_id)
    return film.title if film else str(film_id)


# On PostgreSQL a first vote and its audit entry are one statement (one round trip at the round's busiest moments).
_CAST_WITH_AUDIT = text(
    "WITH cast_ballot AS ("
    " INSERT INTO public_ballot (edition_id, institution_id, voter, film_id, cast_at, cast_day, updated_at)"
    " VALUES (:edition_id, :institution_id, :voter, :film_id, :at, :day, :at)"
    " ON CONFLICT DO NOTHING RETURNING voter)"
    " INSERT INTO prize_audit (edition_id, round, action, voter, institution_id, films, previous_films, detail, at)"
    " SELECT :edition_id, 'public', 'cast', voter, :institution_id, :films, '', '', :at FROM cast_ballot"
    " RETURNING id")


def _cast_first(session: Session, key: dict[str, Any], film_id: int, now: datetime, day: date) -> bool:
    """Insert the patron's first ballot with its audit entry; False when the patron has a ballot already."""
    connection = session.connection()
    if connection.dialect.name == "postgresql":
        return connection.execute(_CAST_WITH_AUDIT, {
            **key, "film_id": film_id, "at": now, "day": day, "films": str(film_id)}).first() is not None
    if not insert_once(session, PublicBallot.__table__, {  # type: ignore[attr-defined]
            **key, "film_id": film_id, "cast_at": now, "cast_day": day, "updated_at": now}):
        return False
    prize_audit.record(session, key["edition_id"], PrizeRound.PUBLIC, "cast", voter=key["voter"],
                       institution_id=key["institution_id"], films=[film_id], at=now)
    return True


def cast_public_vote(session: Session, edition_id: int, patron: PatronIdentity, film_id: int,
                     day: date | None = None, *, shortlisted: list[int] | None = None,
                     edition: PrizeEdition | None = None, subscribed: bool | None = None) -> str:
    """Record the patron's vote; returns "cast", "changed" or "unchanged". A caller may pass what it holds in its
    short cache: the shortlist (frozen once the librarians' round is counted), the edition (its dates and rules
    are fixed once the librarians' round opened, see update_edition) and whether the library is subscribed today
    (as fresh as the player's own check of it)."""
    day = day or clock.paris_today()
    edition = edition if edition is not None and edition.id == edition_id else get_edition(session, edition_id)
    _check_open(edition, "public", day)
    check_voter(session, patron, day, subscribed)
    assert patron.viewer is not None
    if film_id not in (shortlisted if shortlisted is not None else shortlist(session, edition_id)):
        raise InvalidInput("This film is not on the prize's shortlist.", field="film_id")
    if edition.require_watched and not _has_watched(session, patron.institution_id, patron.viewer, film_id):
        raise Forbidden("This edition asks you to watch a film before voting for it: watch {title} first.",
                        title=_film_title(session, film_id))
    now = clock.utcnow()
    key = {"edition_id": edition_id, "institution_id": patron.institution_id, "voter": patron.viewer}
    if _cast_first(session, key, film_id, now, day):
        return "cast"
    where = [col(getattr(PublicBallot, name)) == value for name, value in key.items()]
    previous = session.exec(select(PublicBallot.film_id).where(*where)).one()
    if previous == film_id:
        return "unchanged"
    if not edition.allow_vote_change:
        raise Conflict("You have already voted in this prize, for {title}; this edition does not allow changing "
                       "one's vote.", title=_film_title(session, previous))
    # Compare-and-set: of two concurrent changes from one patron, the second finds its previous film gone.
    moved = session.connection().execute(update(PublicBallot).where(  # type: ignore[arg-type]
        *where, col(PublicBallot.film_id) == previous).values(film_id=film_id, updated_at=now))
    if moved.rowcount != 1:
        raise Conflict("Your vote was changed at the same moment from another window: look at it again.")
    prize_audit.record(session, edition_id, PrizeRound.PUBLIC, "change", voter=patron.viewer,
                       institution_id=patron.institution_id, films=[film_id], previous=[previous])
    return "changed"


def public_vote_of(session: Session, edition_id: int, patron: PatronIdentity) -> int | None:
    return session.exec(select(PublicBallot.film_id).where(
        PublicBallot.edition_id == edition_id, PublicBallot.institution_id == patron.institution_id,
        PublicBallot.voter == patron.viewer)).first()
