"""The access protocol: how a patron arriving at the player is recognised as someone an institution vouches for.

Each way in is one adapter with the same two methods (`applies`, `identify`): a signed portal assertion, a CAS
service ticket, the institution's on-site address ranges, and the CAS login redirect as the last resort. SAML or a
library-card (SIP2) check would be two more adapters in `ADAPTERS`; nothing else changes. An adapter answers with a
`PatronIdentity` (institution and pseudonym: the portal's own patron id is never kept) or a `Challenge` (go there
first, e.g. the CAS login page), or raises `AccessRefused`.
"""

from __future__ import annotations

import ipaddress
import logging
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Protocol

from sqlmodel import Session, select

from cinedoc.kernel.errors import DomainError
from streaming.access import cas
from streaming.access.assertions import AssertionRefused, parse_assertion, verify_assertion
from streaming.access.models import AccessMethod, AssertionKey
from streaming.media.models import Institution
from streaming.playback.sessions import PatronIdentity, on_site_institution
from streaming.runtime import AccessRuntime

log = logging.getLogger(__name__)


class AccessRefused(DomainError):
    status_code = 403


def patron_refusal(refused: DomainError) -> str:
    """What a patron reads when a page a portal frames (the player, the ballot) turns them away: plain words. Why a
    portal's assertion failed goes to the log, where the library's webmaster and the cinema service can act on it."""
    if isinstance(refused, AssertionRefused):
        log.warning("A portal's assertion was refused: %s", refused)
        return refused.for_patron()
    return refused.localized()


@dataclass(frozen=True)
class EntryRequest:
    """What the adapters may look at: the entry's query parameters, the client's address and the entry's own URL
    without credentials (CAS checks tickets against that exact service URL)."""

    params: Mapping[str, str]
    client_ip: str
    service_url: str
    institution_id: int | None = None


@dataclass(frozen=True)
class Challenge:
    location: str


class AccessAdapter(Protocol):
    method: str

    def applies(self, runtime: AccessRuntime, session: Session, request: EntryRequest) -> bool: ...

    def identify(self, runtime: AccessRuntime, session: Session,
                 request: EntryRequest) -> PatronIdentity | Challenge: ...


class AssertionAccess:
    method = AccessMethod.ASSERTION.value

    def applies(self, runtime: AccessRuntime, session: Session, request: EntryRequest) -> bool:
        return bool(request.params.get("assertion"))

    def identify(self, runtime: AccessRuntime, session: Session, request: EntryRequest) -> PatronIdentity:
        settings = runtime.settings
        assertion = verify_assertion(session, request.params["assertion"], now=runtime.now(),
                                     skew=settings.clock_skew_seconds,
                                     max_lifetime=settings.assertion_max_lifetime_seconds,
                                     keys=runtime.assertion_keys(session))
        if request.institution_id is not None and request.institution_id != assertion.institution_id:
            raise AccessRefused("This link was made for another library: open this page from your own library's "
                                "website.")
        return PatronIdentity(assertion.institution_id,
                              runtime.ring.patron_pseudonym(assertion.institution_id, assertion.patron), self.method)


def _cas_server(session: Session, institution_id: int | None) -> str | None:
    if institution_id is None:
        return None
    institution = session.get(Institution, institution_id)
    return institution.cas_server_url if institution is not None else None


class CasTicketAccess:
    method = AccessMethod.CAS.value

    def applies(self, runtime: AccessRuntime, session: Session, request: EntryRequest) -> bool:
        return bool(request.params.get("ticket")) and request.institution_id is not None

    def identify(self, runtime: AccessRuntime, session: Session, request: EntryRequest) -> PatronIdentity:
        assert request.institution_id is not None
        server = _cas_server(session, request.institution_id)
        if not server:
            raise AccessRefused("Your library does not sign its patrons in with CAS here.")
        try:
            user = cas.validate_ticket(server, request.service_url, request.params["ticket"],
                                       timeout=runtime.settings.cas_timeout_seconds)
        except cas.CasFailure:
            raise AccessRefused("Your library's sign-in could not be confirmed: sign in again from its "
                                "website.") from None
        return PatronIdentity(request.institution_id,
                              runtime.ring.patron_pseudonym(request.institution_id, user), self.method)


class OnSiteAccess:
    method = AccessMethod.ON_SITE.value

    def applies(self, runtime: AccessRuntime, session: Session, request: EntryRequest) -> bool:
        return on_site_institution(runtime, session, request.client_ip, request.institution_id) is not None

    def identify(self, runtime: AccessRuntime, session: Session, request: EntryRequest) -> PatronIdentity:
        institution_id = on_site_institution(runtime, session, request.client_ip, request.institution_id)
        assert institution_id is not None
        return PatronIdentity(institution_id, None, self.method)


class CasLoginAccess:
    """Last resort for an institution with a CAS server: send the patron to sign in there, then back here."""

    method = AccessMethod.CAS.value

    def applies(self, runtime: AccessRuntime, session: Session, request: EntryRequest) -> bool:
        return bool(_cas_server(session, request.institution_id))

    def identify(self, runtime: AccessRuntime, session: Session, request: EntryRequest) -> Challenge:
        server = _cas_server(session, request.institution_id)
        assert server
        return Challenge(cas.login_url(server, request.service_url))


ADAPTERS: tuple[AccessAdapter, ...] = (AssertionAccess(), CasTicketAccess(), OnSiteAccess(), CasLoginAccess())


def identify_patron(runtime: AccessRuntime, session: Session, request: EntryRequest) -> PatronIdentity | Challenge:
    for adapter in ADAPTERS:
        if adapter.applies(runtime, session, request):
            return adapter.identify(runtime, session, request)
    raise AccessRefused("Open this film from your library's website (signed in there), or from one of its "
                        "computers.")


def institution_hint(session: Session, request: EntryRequest) -> int | None:
    """The institution the entry claims, even when access is refused: its origins may frame the refusal page."""
    if request.institution_id is not None:
        return request.institution_id
    assertion = request.params.get("assertion")
    if assertion:
        try:
            kid = parse_assertion(assertion).kid
        except DomainError:
            return None
        return session.exec(select(AssertionKey.institution_id).where(AssertionKey.kid == kid)).first()
    return None


def client_address(peer: str | None, forwarded_for: str | None, trusted_proxies: list[str]) -> str:
    """The patron's address: the peer's, unless the peer is a trusted proxy; then the last untrusted address of
    X-Forwarded-For (the ones before it could be written by anyone)."""
    peer = peer or ""
    if not trusted_proxies or not forwarded_for:
        return peer
    networks = [ipaddress.ip_network(cidr, strict=False) for cidr in trusted_proxies]

    def trusted(address: str) -> bool:
        try:
            ip = ipaddress.ip_address(address)
        except ValueError:
            return False
        return any(ip.version == network.version and ip in network for network in networks)

    if not trusted(peer):
        return peer
    for hop in reversed([part.strip() for part in forwarded_for.split(",") if part.strip()]):
        if not trusted(hop):
            return hop
    return peer
