"""Opening a playback session (rate limit, entitlement, the signed master playlist URL) and the playback keys' life.

Playback keys: the newest active key signs new media tokens; older active keys keep verifying the tokens they signed,
so rotating never breaks playback in flight. Retiring a key makes its media tokens fail at once (players fetch a fresh
session with their grant, still honoured); revoking it also refuses the grants it signed.
"""

from __future__ import annotations

import ipaddress
import random
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any

from sqlalchemy import Engine, bindparam, insert, text
from sqlmodel import Session, col, select

from cinedoc.kernel import clock
from cinedoc.kernel.errors import Conflict, NotFound
from streaming.access.assertions import (
    PatronAssertion,
    forget_spent_nonces,
    nonce_keep_until,
    nonce_replayed,
    spend_nonce,
)
from streaming.access.entitlement import Entitled, Refusal, decide, month_of, record_play
from streaming.access.models import AccessMethod, IpRange, KeyStatus, PlaybackKey, PlaybackSession
from streaming.media.models import Institution
from streaming.playback.rate_limit import TOO_MANY, check_opening, forget_old_windows, window_start
from streaming.playback.signing import Grant, new_kid, new_session_id, sign_grant, sign_media_token
from streaming.runtime import AccessRuntime

MASTER_PLAYLIST = "master.m3u8"
HOUSEKEEPING_ODDS = 0.01
# Called with (session, institution id, film id, refusal code) when the entitlement rules refuse an opening. The
# audience context registers its counter here (COUNTER No_License, Limit_Exceeded): streaming may not import it.
REFUSAL_OBSERVERS: list[Callable[[Session, int, int, str], None]] = []
ON_SITE_ONLY = Refusal("on_site", "This access only works from your library's own computers.")
NO_INSTITUTION = Refusal("institution", "Your library is not known to the platform.")


@dataclass(frozen=True)
class PatronIdentity:
    """Who is asking, as far as the platform may know: an institution and a pseudonym (None on site)."""

    institution_id: int
    viewer: str | None
    method: str


@dataclass(frozen=True)
class OpenedSession:
    session_id: str
    film_id: int
    institution_id: int
    kid: str
    expires_at: datetime
    playlist_path: str  # under the app, e.g. /media/t/{token}/12/master.m3u8
    cdn_url: str | None = None  # the CloudFront URL when media goes through CloudFront
    cdn_query: str | None = None  # the signature a player adds to each CloudFront request


# --- transactions -----------------------------------------------------------------------------------------------

_SQLITE_WRITERS: dict[str, threading.Lock] = {}


@contextmanager
def write_transaction(engine: Engine) -> Iterator[Session]:
    """A short write transaction committed by its caller's thread (rolled back if the block raises).

    On SQLite it takes the database's write lock at once (BEGIN IMMEDIATE) rather than on its first write after
    some reads, and this process's writers queue on a thread lock first: SQLite's busy handler polls with sleeps of
    up to 100 ms, a thread lock hands over at once."""
    if engine.dialect.name != "sqlite":
        with Session(engine, expire_on_commit=False) as session:
            yield from _committed(session)
        return
    lock = _SQLITE_WRITERS.setdefault(str(engine.url), threading.Lock())
    session = Session(engine, expire_on_commit=False)
    try:
        with lock:
            session.connection().exec_driver_sql("BEGIN IMMEDIATE")
            yield from _committed(session)
    finally:
        # After the lock: handing the connection back to the pool (its reset included) is no writer's business.
        session.close()


def _committed(session: Session) -> Iterator[Session]:
    try:
        yield session
    except BaseException:
        session.rollback()
        raise
    session.commit()


# --- playback keys --------------------------------------------------------------------------------------------------

def playback_keys(session: Session) -> list[PlaybackKey]:
    return list(session.exec(select(PlaybackKey).order_by(col(PlaybackKey.created_at).desc())))


def key_statuses(session: Session) -> dict[str, str]:
    return {kid: status for kid, status in session.connection().execute(select(PlaybackKey.kid, PlaybackKey.status))}


_CURRENT_KID = (select(PlaybackKey.kid).where(col(PlaybackKey.status) == KeyStatus.ACTIVE.value)
                .order_by(col(PlaybackKey.created_at).desc(), col(PlaybackKey.kid)).limit(1))


def current_kid(session: Session, runtime: AccessRuntime | None = None) -> str:
    """The newest active key; the very first opening creates one (two processes racing make two: both valid).
    With a runtime, the answer is cached for its few seconds: a rotation reaches new tokens within that delay."""
    def load() -> str:
        kid = session.connection().execute(_CURRENT_KID).scalar()
        return kid or rotate_playback_key(session).kid

    return runtime.cache.get(("current-kid",), load) if runtime is not None else load()


def rotate_playback_key(session: Session) -> PlaybackKey:
    key = PlaybackKey(kid=new_kid(), status=KeyStatus.ACTIVE, created_at=clock.utcnow())
    session.add(key)
    session.flush()
    return key


def end_playback_key(session: Session, kid: str, status: KeyStatus) -> PlaybackKey:
    """Retire or revoke a key; the last active key cannot go without a successor (rotate first)."""
    key = session.get(PlaybackKey, kid)
    if key is None:
        raise NotFound("No playback key {kid}.", kid=kid[:16])
    if key.status == KeyStatus.ACTIVE:
        others = session.connection().execute(select(PlaybackKey.kid).where(
            col(PlaybackKey.status) == KeyStatus.ACTIVE, col(PlaybackKey.kid) != kid).limit(1)).first()
        if others is None:
            raise Conflict("Key {kid} is the only active playback key: rotate first, then retire it.", kid=kid)
    if key.status == KeyStatus.REVOKED and status == KeyStatus.RETIRED:
        raise Conflict("Key {kid} is revoked already.", kid=kid)
    key.status = status.value
    key.retired_at = key.retired_at or clock.utcnow()
    session.add(key)
    session.flush()
    return key


# --- grants ---------------------------------------------------------------------------------------------------------

def issue_grant(runtime: AccessRuntime, session: Session, identity: PatronIdentity) -> str:
    return grant_signed_by(runtime, identity, current_kid(session, runtime))


def grant_signed_by(runtime: AccessRuntime, identity: PatronIdentity, kid: str) -> str:
    """The grant under a key already chosen (an opened session's own key: no database, so after the commit)."""
    expires = int(runtime.now()) + runtime.settings.grant_lifetime_seconds
    return sign_grant(runtime.ring, Grant(kid, expires, identity.institution_id, identity.method, identity.viewer))


def grant_key_usable(runtime: AccessRuntime, session: Session, kid: str) -> bool:
    """A grant stays good while its key is active or merely retired; a revoked (compromised) key ends it."""
    statuses = runtime.cache.get(("playback-keys",), lambda: key_statuses(session))
    return statuses.get(kid) in (KeyStatus.ACTIVE, KeyStatus.RETIRED)


# --- on-site ranges -------------------------------------------------------------------------------------------------

def ip_networks(runtime: AccessRuntime, session: Session) -> list[tuple[Any, int]]:
    def load() -> list[tuple[Any, int]]:
        rows = session.connection().execute(select(IpRange.cidr, IpRange.institution_id)).all()
        networks = [(ipaddress.ip_network(cidr, strict=False), institution_id) for cidr, institution_id in rows]
        # Most specific first: a university's lab inside a city's block belongs to the university.
        return sorted(networks, key=lambda item: -item[0].prefixlen)

    return runtime.cache.get(("ip-ranges",), load)


def on_site_institution(runtime: AccessRuntime, session: Session, client_ip: str,
                        institution_id: int | None = None) -> int | None:
    try:
        address = ipaddress.ip_address(client_ip)
    except ValueError:
        return None
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped:
        address = address.ipv4_mapped
    for network, owner in ip_networks(runtime, session):
        if address.version == network.version and address in network and institution_id in (None, owner):
            return owner
    return None


# --- opening a session ----------------------------------------------------------------------------------------------

def token_expiry(runtime: AccessRuntime, duration_seconds: float | None, now: datetime) -> datetime:
    """At least twice the film's length (pauses, a second look) and never less than the configured hours."""
    seconds = max(runtime.settings.token_min_lifetime_seconds, int(2 * (duration_seconds or 0)) + 600)
    return now + timedelta(seconds=seconds)


@dataclass(frozen=True)
class InstitutionFacts:
    id: int
    country: str
    patron_monthly_limit: int | None
    monthly_ceiling: int | None


_INSTITUTION = select(Institution.id, Institution.country, Institution.patron_monthly_limit,
                      Institution.monthly_ceiling).where(col(Institution.id) == bindparam("institution_id"))
_NEW_SESSION = insert(PlaybackSession)


def institution_facts(runtime: AccessRuntime, session: Session, institution_id: int) -> InstitutionFacts | None:
    def load() -> InstitutionFacts | None:
        row = session.connection().execute(_INSTITUTION, {"institution_id": institution_id}).first()
        return InstitutionFacts(*row) if row is not None else None

    return runtime.cache.get(("institution", institution_id), load)


def opening_subject(identity: PatronIdentity, client_ip: str) -> str:
    """Whom the rate limit counts: the patron, or the seat's address on site (nobody is identified there)."""
    return (f"{identity.institution_id}:{identity.viewer}" if identity.viewer
            else f"{identity.institution_id}:ip:{client_ip}")


def open_playback_session(runtime: AccessRuntime, session: Session, identity: PatronIdentity, film_id: int, *,
                          client_ip: str) -> OpenedSession | Refusal:
    """Rate limit first (it is also the lock that serialises one patron's openings), then the entitlement rules,
    then the session row, the month's count and the signed URL; all in the request's one transaction."""
    now = clock.utcnow()
    subject = opening_subject(identity, client_ip)
    refused = check_opening(session, subject, now, runtime.settings.session_openings_per_minute)
    if refused is not None:
        return refused
    if random.random() < HOUSEKEEPING_ODDS:
        # Now and then an opening clears the past minutes' counts and the nonces of long-expired assertions, so
        # that both tables stay small without a scheduled job (`cinedoc access prune` does the same on demand).
        forget_old_windows(session, now)
        forget_spent_nonces(session, now)
    if identity.method == AccessMethod.ON_SITE and on_site_institution(
            runtime, session, client_ip, identity.institution_id) is None:
        return ON_SITE_ONLY
    institution = institution_facts(runtime, session, identity.institution_id)
    if institution is None:
        return NO_INSTITUTION
    if institution.monthly_ceiling is not None and session.get_bind().dialect.name == "postgresql":
        # Two patrons opening the last film of the month at once must not both get it.
        session.connection().execute(_INSTITUTION.with_for_update(), {"institution_id": institution.id}).first()
    today = clock.paris_today()
    decision = decide(session, institution, film_id, identity.viewer, today, runtime.cache)
    if isinstance(decision, Refusal):
        for observe in REFUSAL_OBSERVERS:  # audience: No_License / Limit_Exceeded counts
            observe(session, identity.institution_id, film_id, decision.code)
        return decision
    return _start(runtime, session, identity, decision, now, today)


# --- the usual opening, planned before its write transaction --------------------------------------------------------

@dataclass(frozen=True)
class PlannedOpening:
    """An opening whose answer the short cache already gives (an entitled film, no monthly limit to count): its rows
    are worked out before the write transaction, which then only writes them."""

    identity: PatronIdentity
    media: Entitled
    subject: str
    now: datetime
    today: date
    session_id: str
    expires_at: datetime


def plan_opening(runtime: AccessRuntime, reader: Session, identity: PatronIdentity, film_id: int, *,
                 client_ip: str) -> PlannedOpening | None:
    """The plan of an opening the rules will let through, from reads only (mostly the short cache); None when the
    answer needs the write transaction: a monthly limit (counted exactly, never cached), a refusal (committed with
    its count and its spent nonce), or the housekeeping's turn. The rate limit is still counted when writing."""
    if random.random() < HOUSEKEEPING_ODDS:
        return None
    if identity.method == AccessMethod.ON_SITE and on_site_institution(
            runtime, reader, client_ip, identity.institution_id) is None:
        return None
    institution = institution_facts(runtime, reader, identity.institution_id)
    if institution is None or institution.patron_monthly_limit is not None or institution.monthly_ceiling is not None:
        return None
    today = clock.paris_today()
    decision = decide(reader, institution, film_id, identity.viewer, today, runtime.cache)
    if isinstance(decision, Refusal):
        return None
    now = clock.utcnow()
    return PlannedOpening(identity, decision, opening_subject(identity, client_ip)[:120], now, today,
                          new_session_id(), token_expiry(runtime, decision.duration_seconds, now))


# On PostgreSQL the nonce, the rate-limit count, the session row and the month's count are one statement (one round
# trip instead of four): the session row is only written when the nonce was new and the count within the limit. A
# replay raises and rolls the whole transaction back, as spend_nonce does; a 429 commits the nonce and the count.
_OPEN_PLANNED = """WITH {nonce}counted AS (
 INSERT INTO opening_window (subject, window_start, count) VALUES (CAST(:subject AS VARCHAR), :window_start, 1)
 ON CONFLICT (subject, window_start) DO UPDATE SET count = opening_window.count + 1 RETURNING count),
opened AS (
 INSERT INTO playback_session (id, institution_id, film_id, asset_id, storage_prefix, patron, method, kid, created_at,
  expires_at, revoked_at)
 SELECT CAST(:session_id AS VARCHAR), CAST(:institution_id AS INTEGER), CAST(:film_id AS INTEGER),
  CAST(:asset_id AS INTEGER), CAST(:storage_prefix AS VARCHAR), CAST(:patron AS VARCHAR), CAST(:method AS VARCHAR),
  CAST(:kid AS VARCHAR), :now, :expires_at, NULL
 FROM counted{nonce_from} WHERE counted.count <= CAST(:per_minute AS INTEGER) RETURNING id),
played AS (
 INSERT INTO monthly_play (institution_id, month, viewer, film_id)
 SELECT CAST(:institution_id AS INTEGER), CAST(:month AS VARCHAR), CAST(:viewer AS VARCHAR), CAST(:film_id AS INTEGER)
 FROM opened ON CONFLICT DO NOTHING RETURNING 1)
SELECT {nonce_spent}, (SELECT count FROM counted)"""
_OPEN_WITH_NONCE = text(_OPEN_PLANNED.format(
    nonce="spent AS (\n INSERT INTO assertion_nonce (institution_id, nonce, expires_at)"
          " VALUES (CAST(:institution_id AS INTEGER), CAST(:nonce AS VARCHAR), :nonce_expires)"
          " ON CONFLICT DO NOTHING RETURNING nonce),\n",
    nonce_from=", spent", nonce_spent="(SELECT count(*) FROM spent)"))
_OPEN_WITHOUT_NONCE = text(_OPEN_PLANNED.format(nonce="", nonce_from="", nonce_spent="1"))


def open_planned_session(runtime: AccessRuntime, session: Session, plan: PlannedOpening,
                         assertion: PatronAssertion | None) -> OpenedSession | Refusal:
    """Write a planned opening: the assertion's nonce (a replay raises), the rate-limit count, the session row and
    the month's count; the same rows, in the same transaction, as open_playback_session writes."""
    identity, media = plan.identity, plan.media
    kid = current_kid(session, runtime)
    per_minute = runtime.settings.session_openings_per_minute
    viewer = identity.viewer or f"session:{plan.session_id}"
    connection = session.connection()
    if connection.dialect.name == "postgresql":
        params = {
            "subject": plan.subject, "window_start": window_start(plan.now), "session_id": plan.session_id,
            "institution_id": identity.institution_id, "film_id": media.film_id, "asset_id": media.asset_id,
            "storage_prefix": media.storage_prefix, "patron": identity.viewer, "method": identity.method, "kid": kid,
            "now": plan.now, "expires_at": plan.expires_at, "per_minute": per_minute, "month": month_of(plan.today),
            "viewer": viewer,
        }
        if assertion is not None:
            params.update(nonce=assertion.nonce,
                          nonce_expires=nonce_keep_until(assertion, runtime.settings.clock_skew_seconds))
        spent, count = connection.execute(_OPEN_WITH_NONCE if assertion is not None else _OPEN_WITHOUT_NONCE,
                                          params).one()
        if not spent:
            raise nonce_replayed()
        if count > per_minute:
            return TOO_MANY
    else:
        if assertion is not None:
            spend_nonce(session, assertion, runtime.settings.clock_skew_seconds)
        refused = check_opening(session, plan.subject, plan.now, per_minute)
        if refused is not None:
            return refused
        connection.execute(_NEW_SESSION, {
            "id": plan.session_id, "institution_id": identity.institution_id, "film_id": media.film_id,
            "asset_id": media.asset_id, "storage_prefix": media.storage_prefix, "patron": identity.viewer,
            "method": identity.method, "kid": kid, "created_at": plan.now, "expires_at": plan.expires_at,
            "revoked_at": None,
        })
        record_play(session, identity.institution_id, plan.today, viewer, media.film_id)
    return _signed(runtime, identity, media, kid, plan.session_id, plan.expires_at)


def _start(runtime: AccessRuntime, session: Session, identity: PatronIdentity, media: Entitled, now: datetime,
           today: Any) -> OpenedSession:
    kid = current_kid(session, runtime)
    session_id = new_session_id()
    expires_at = token_expiry(runtime, media.duration_seconds, now)
    session.connection().execute(_NEW_SESSION, {
        "id": session_id, "institution_id": identity.institution_id, "film_id": media.film_id,
        "asset_id": media.asset_id, "storage_prefix": media.storage_prefix, "patron": identity.viewer,
        "method": identity.method, "kid": kid, "created_at": now, "expires_at": expires_at, "revoked_at": None,
    })
    record_play(session, identity.institution_id, today, identity.viewer or f"session:{session_id}", media.film_id)
    return _signed(runtime, identity, media, kid, session_id, expires_at)


def _signed(runtime: AccessRuntime, identity: PatronIdentity, media: Entitled, kid: str, session_id: str,
            expires_at: datetime) -> OpenedSession:
    expires = int(expires_at.timestamp())
    token = sign_media_token(runtime.ring, kid, media.film_id, expires, identity.institution_id, session_id)
    cdn_url = cdn_query = None
    if runtime.cdn is not None:
        cdn_url, cdn_query = runtime.cdn.signed_playlist(media.storage_prefix, MASTER_PLAYLIST, expires)
    return OpenedSession(session_id, media.film_id, identity.institution_id, kid,
                         datetime.fromtimestamp(expires, UTC),
                         f"/media/t/{token.text}/{media.film_id}/{MASTER_PLAYLIST}", cdn_url, cdn_query)


def revoke_session(session: Session, session_id: str) -> PlaybackSession:
    found = session.get(PlaybackSession, session_id)
    if found is None:
        raise NotFound("No playback session {session_id}.", session_id=session_id[:32])
    found.revoked_at = found.revoked_at or clock.utcnow()
    session.add(found)
    session.flush()
    return found
