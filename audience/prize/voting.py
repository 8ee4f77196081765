"""The public vote's path through the app: who votes (from reads only), then one short write transaction.

Shaped like the playback session opening (streaming/playback/player.py): the grant and the frozen shortlist are read
outside the write transaction, which on SQLite holds the database's write lock and so must hold it for the writes
only. The public round concentrates its votes at its opening and its close.
"""

from __future__ import annotations

from sqlalchemy import Engine
from sqlmodel import Session

from audience.prize.ballots import cast_public_vote, patron_from_grant
from audience.prize.count import due_closures, settle, shortlist
from audience.prize.editions import get_edition
from audience.prize.models import PrizeEdition
from cinedoc.kernel import clock
from streaming.access.entitlement import subscription_active
from streaming.playback.sessions import PatronIdentity, write_transaction
from streaming.runtime import AccessRuntime


def settle_if_due(engine: Engine, edition_id: int) -> list[str]:
    """Close the rounds whose last day has passed, if the daily job has not yet; a read when nothing is due."""
    with Session(engine) as reader:
        due = due_closures(get_edition(reader, edition_id), clock.paris_today())
    if not due:
        return []
    with write_transaction(engine) as session:
        return settle(session, edition_id)


def _shortlist(runtime: AccessRuntime, reader: Session, edition_id: int) -> list[int] | None:
    """The frozen shortlist from the short cache; None (ask the database) while it is not counted yet."""
    key = ("prize-shortlist", edition_id)
    cached = runtime.cache.get(key, lambda: shortlist(reader, edition_id) or None)
    return cached


def _edition(runtime: AccessRuntime, reader: Session, edition_id: int) -> PrizeEdition:
    """The edition from the short cache, read-only: a public vote needs its dates and rules, which no longer change
    once the librarians' round opened (update_edition); a stale closing time only costs one more read below."""
    return runtime.cache.get(("prize-edition", edition_id), lambda: get_edition(reader, edition_id))


def submit_public_vote(runtime: AccessRuntime, edition_id: int, grant: str, film_id: int) -> tuple[str, PatronIdentity]:
    """Every read that a burst of votes would repeat comes from the short cache (the edition, the grant's key, the
    shortlist, the library's subscription, as the player's session opening does), so that a vote costs one write
    transaction: its ballot and its audit entry."""
    today = clock.paris_today()
    with Session(runtime.engine, expire_on_commit=False) as reader:
        edition = _edition(runtime, reader, edition_id)
    if due_closures(edition, today):
        settle_if_due(runtime.engine, edition_id)
    with Session(runtime.engine, expire_on_commit=False) as reader:
        patron = patron_from_grant(runtime, reader, grant)
        shortlisted = _shortlist(runtime, reader, edition_id)
        subscribed = runtime.cache.get(("subscribed", patron.institution_id, today),
                                       lambda: subscription_active(reader, patron.institution_id, today))
    with write_transaction(runtime.engine) as session:
        outcome = cast_public_vote(session, edition_id, patron, film_id, today, shortlisted=shortlisted,
                                   edition=edition, subscribed=subscribed)
    return outcome, patron
