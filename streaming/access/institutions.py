"""Subscribing institutions: their record and monthly limits, subscription periods, embedding origins, on-site
address ranges, contacts, assertion keys and librarian accounts; the network by category; embed snippets."""

from __future__ import annotations

import html
import ipaddress
import re
import secrets
import uuid
from collections.abc import Sequence
from datetime import date
from urllib.parse import urlencode, urlsplit

from sqlalchemy import func
from sqlmodel import Session, col, select

from cinedoc.kernel import clock
from cinedoc.kernel.accounts import Role, StaffUser
from cinedoc.kernel.errors import Conflict, InvalidInput, NotFound
from cinedoc.kernel.i18n import translate
from cinedoc.kernel.staff_accounts import create_staff_user
from rights.access import territory_codes
from streaming.access.assertions import sign_assertion
from streaming.access.entitlement import subscription_active
from streaming.access.models import (
    AssertionKey,
    EmbedOrigin,
    InstitutionContact,
    IpRange,
    KeyStatus,
    Subscription,
    SubscriptionStatus,
)
from streaming.access.schemas import (
    AssertionKeyCreate,
    AssertionKeyPublic,
    CategoryCount,
    ContactCreate,
    ContactPublic,
    InstitutionCreate,
    InstitutionDetail,
    InstitutionPublic,
    InstitutionUpdate,
    IpRangeCreate,
    IpRangePublic,
    LibrarianCreate,
    LibrarianPublic,
    OriginPublic,
    SubscriptionCreate,
    SubscriptionPublic,
    SubscriptionUpdate,
)
from streaming.media.models import Institution, InstitutionCategory

CATEGORY_LABELS = {
    InstitutionCategory.LOCAL_AUTHORITY: "Local-authority library",
    InstitutionCategory.DEPARTMENTAL: "Departmental library",
    InstitutionCategory.UNIVERSITY: "University or higher-education library",
    InstitutionCategory.WORKS_COUNCIL: "Works council",
}
SUBSCRIPTION_STATUS_LABELS = {"active": "In force", "suspended": "Suspended", "cancelled": "Cancelled"}
KEY_STATUS_LABELS = {"active": "In use", "retired": "Retired", "revoked": "Revoked"}
_ISIL = re.compile(r"[A-Z]{1,4}-[A-Za-z0-9:/-]{1,11}")
# A wider block would let a whole provider's customers in as "on site".
MIN_PREFIX = {4: 16, 6: 32}
TRIAL_ASSERTION_SECONDS = 300


# --- institutions ---------------------------------------------------------------------------------------------------

def get_institution(session: Session, institution_id: int) -> Institution:
    institution = session.get(Institution, institution_id)
    if institution is None:
        raise NotFound("No institution number {institution_id}.", institution_id=institution_id)
    return institution


def _country(code: str) -> str:
    code = code.strip().upper()
    if code not in territory_codes():
        raise InvalidInput("{code} is not an ISO 3166 country code.", field="country", code=code[:8])
    return code


def _isil(value: str | None) -> str | None:
    value = (value or "").strip()
    if not value:
        return None
    if not _ISIL.fullmatch(value):
        raise InvalidInput("An ISIL looks like FR-751131015 (country or agency prefix, a dash, up to 11 "
                           "characters).", field="isil")
    return value


def _cas_url(value: str | None) -> str | None:
    value = (value or "").strip()
    if not value:
        return None
    parts = urlsplit(value)
    if parts.scheme not in ("https", "http") or not parts.hostname or parts.query or parts.fragment:
        raise InvalidInput("The CAS server is an http(s) address without query, like https://cas.example.fr/cas.",
                           field="cas_server_url")
    return value.rstrip("/")


def _check_unique(session: Session, name: str, isil: str | None, exclude: int | None = None) -> None:
    same_name = select(Institution.id).where(func.lower(Institution.name) == name.lower())
    if exclude is not None:
        same_name = same_name.where(Institution.id != exclude)
    if session.exec(same_name).first() is not None:
        raise Conflict("An institution is already called {name}.", field="name", name=name)
    if isil:
        same_isil = select(Institution.id).where(Institution.isil == isil)
        if exclude is not None:
            same_isil = same_isil.where(Institution.id != exclude)
        if session.exec(same_isil).first() is not None:
            raise Conflict("Another institution has the ISIL {isil}.", field="isil", isil=isil)


def create_institution(session: Session, data: InstitutionCreate) -> Institution:
    name = " ".join(data.name.split())
    isil = _isil(data.isil)
    _check_unique(session, name, isil)
    institution = Institution(
        name=name, category=data.category.value, country=_country(data.country), isil=isil,
        patron_monthly_limit=data.patron_monthly_limit, monthly_ceiling=data.monthly_ceiling,
        cas_server_url=_cas_url(data.cas_server_url),
    )
    session.add(institution)
    session.flush()
    return institution


def update_institution(session: Session, institution_id: int, data: InstitutionUpdate) -> Institution:
    institution = get_institution(session, institution_id)
    given = data.model_fields_set
    name = " ".join(data.name.split()) if data.name is not None else institution.name
    isil = _isil(data.isil) if "isil" in given else institution.isil
    _check_unique(session, name, isil, exclude=institution_id)
    institution.name = name
    institution.isil = isil
    if data.category is not None:
        institution.category = data.category.value
    if data.country is not None:
        institution.country = _country(data.country)
    if "patron_monthly_limit" in given:
        institution.patron_monthly_limit = data.patron_monthly_limit or None
    if "monthly_ceiling" in given:
        institution.monthly_ceiling = data.monthly_ceiling or None
    if "cas_server_url" in given:
        institution.cas_server_url = _cas_url(data.cas_server_url)
    session.add(institution)
    session.flush()
    return institution


def list_institutions(session: Session, *, category: str | None = None, query: str | None = None,
                      country: str | None = None) -> list[Institution]:
    statement = select(Institution).order_by(col(Institution.name))
    if category:
        if category not in {c.value for c in InstitutionCategory}:
            raise InvalidInput("Unknown category {category}.", field="category", category=category[:40])
        statement = statement.where(Institution.category == category)
    if country:
        statement = statement.where(Institution.country == country.upper()[:2])
    if query and query.strip():
        statement = statement.where(func.lower(Institution.name).contains(query.strip().lower()))
    return list(session.exec(statement))


def counts_by_category(session: Session) -> list[CategoryCount]:
    counts = dict(session.exec(select(Institution.category, func.count()).group_by(Institution.category)).all())
    return [CategoryCount(category=category.value, label=translate(label), count=int(counts.get(category.value, 0)))
            for category, label in CATEGORY_LABELS.items()]


def subscribed_today(session: Session, institution_ids: Sequence[int], day: date | None = None) -> set[int]:
    day = day or clock.paris_today()
    if not institution_ids:
        return set()
    rows = session.exec(select(Subscription.institution_id).where(
        col(Subscription.institution_id).in_(list(institution_ids)), Subscription.status == SubscriptionStatus.ACTIVE,
        col(Subscription.start_date) <= day, col(Subscription.end_date) >= day).distinct())
    return set(rows)


def institution_public(institution: Institution, subscribed: bool) -> InstitutionPublic:
    assert institution.id is not None
    return InstitutionPublic(
        id=institution.id, name=institution.name, category=institution.category, country=institution.country,
        isil=institution.isil, patron_monthly_limit=institution.patron_monthly_limit,
        monthly_ceiling=institution.monthly_ceiling, cas_server_url=institution.cas_server_url,
        subscribed_today=subscribed,
    )


def institution_records(session: Session, institutions: Sequence[Institution]) -> list[InstitutionPublic]:
    active = subscribed_today(session, [i.id for i in institutions if i.id is not None])
    return [institution_public(institution, institution.id in active) for institution in institutions]


def institution_detail(session: Session, institution_id: int) -> InstitutionDetail:
    institution = get_institution(session, institution_id)
    today = clock.paris_today()
    subscriptions = session.exec(select(Subscription).where(Subscription.institution_id == institution_id)
                                 .order_by(col(Subscription.start_date).desc())).all()
    librarians = session.exec(select(StaffUser).where(StaffUser.institution_id == institution_id)
                              .order_by(col(StaffUser.email))).all()
    return InstitutionDetail(
        **institution_public(institution, subscription_active(session, institution_id, today)).model_dump(),
        subscriptions=[subscription_public(s, today) for s in subscriptions],
        origins=[OriginPublic(id=o.id or 0, origin=o.origin) for o in origins_of(session, institution_id)],
        ip_ranges=[IpRangePublic(id=r.id or 0, cidr=r.cidr, label=r.label)
                   for r in session.exec(select(IpRange).where(IpRange.institution_id == institution_id)
                                         .order_by(col(IpRange.cidr)))],
        contacts=[ContactPublic(id=c.id or 0, name=c.name, role=c.role, email=c.email, phone=c.phone)
                  for c in session.exec(select(InstitutionContact)
                                        .where(InstitutionContact.institution_id == institution_id)
                                        .order_by(col(InstitutionContact.name)))],
        keys=[key_public(k) for k in session.exec(select(AssertionKey)
                                                   .where(AssertionKey.institution_id == institution_id)
                                                   .order_by(col(AssertionKey.created_at).desc()))],
        librarians=[LibrarianPublic(id=u.id or 0, email=u.email, display_name=u.display_name, is_active=u.is_active)
                    for u in librarians if u.role == Role.LIBRARIAN],
    )


# --- subscriptions --------------------------------------------------------------------------------------------------

def subscription_public(subscription: Subscription, today: date) -> SubscriptionPublic:
    assert subscription.id is not None
    current = (subscription.status == SubscriptionStatus.ACTIVE
               and subscription.start_date <= today <= subscription.end_date)
    return SubscriptionPublic(id=subscription.id, institution_id=subscription.institution_id,
                              start_date=subscription.start_date, end_date=subscription.end_date,
                              status=subscription.status, note=subscription.note, current=current)


def _check_period(session: Session, institution_id: int, start: date, end: date, status: str,
                  exclude: int | None = None) -> None:
    if end < start:
        raise InvalidInput("The subscription ends before it starts.", field="end_date")
    if status == SubscriptionStatus.CANCELLED:
        return
    statement = select(Subscription).where(
        Subscription.institution_id == institution_id, Subscription.status != SubscriptionStatus.CANCELLED,
        col(Subscription.start_date) <= end, col(Subscription.end_date) >= start)
    if exclude is not None:
        statement = statement.where(Subscription.id != exclude)
    other = session.exec(statement).first()
    if other is not None:
        raise Conflict("This period overlaps the subscription from {start} to {end}.", field="start_date",
                       start=other.start_date, end=other.end_date)


def add_subscription(session: Session, institution_id: int, data: SubscriptionCreate) -> Subscription:
    get_institution(session, institution_id)
    _check_period(session, institution_id, data.start_date, data.end_date, data.status.value)
    subscription = Subscription(institution_id=institution_id, start_date=data.start_date, end_date=data.end_date,
                                status=data.status.value, note=data.note.strip())
    session.add(subscription)
    session.flush()
    return subscription


def update_subscription(session: Session, institution_id: int, subscription_id: int,
                        data: SubscriptionUpdate) -> Subscription:
    subscription = session.get(Subscription, subscription_id)
    if subscription is None or subscription.institution_id != institution_id:
        raise NotFound("No subscription number {subscription_id} for this institution.",
                       subscription_id=subscription_id)
    start = data.start_date or subscription.start_date
    end = data.end_date or subscription.end_date
    status = data.status.value if data.status else subscription.status
    _check_period(session, institution_id, start, end, status, exclude=subscription_id)
    subscription.start_date, subscription.end_date, subscription.status = start, end, status
    if data.note is not None:
        subscription.note = data.note.strip()
    session.add(subscription)
    session.flush()
    return subscription


# --- origins --------------------------------------------------------------------------------------------------------

def normalise_origin(value: str) -> str:
    """scheme://host[:port] exactly as browsers send it in Origin and as CSP frame-ancestors matches it."""
    parts = urlsplit(value.strip())
    try:
        port = parts.port
        host = (parts.hostname or "").encode("idna").decode("ascii")
    except (ValueError, UnicodeError):
        port, host = -1, ""
    if (parts.scheme not in ("https", "http") or not re.fullmatch(r"[a-z0-9.-]+|[0-9a-f:.]+", host) or port == -1
            or parts.username or parts.password or parts.path not in ("", "/") or parts.query or parts.fragment):
        raise InvalidInput("An origin is a scheme and a host, like https://portail.mediatheque.fr (no path).",
                           field="origin")
    default = {"https": 443, "http": 80}[parts.scheme]
    shown_host = f"[{host}]" if ":" in host else host
    return f"{parts.scheme}://{shown_host}" + (f":{port}" if port and port != default else "")


def origins_of(session: Session, institution_id: int) -> list[EmbedOrigin]:
    return list(session.exec(select(EmbedOrigin).where(EmbedOrigin.institution_id == institution_id)
                             .order_by(col(EmbedOrigin.origin))))


def add_origin(session: Session, institution_id: int, origin: str) -> EmbedOrigin:
    get_institution(session, institution_id)
    normalised = normalise_origin(origin)
    exists = session.exec(select(EmbedOrigin.id).where(EmbedOrigin.institution_id == institution_id,
                                                       EmbedOrigin.origin == normalised)).first()
    if exists is not None:
        raise Conflict("{origin} is already registered.", field="origin", origin=normalised)
    record = EmbedOrigin(institution_id=institution_id, origin=normalised)
    session.add(record)
    session.flush()
    return record


def remove_origin(session: Session, institution_id: int, origin_id: int) -> None:
    record = session.get(EmbedOrigin, origin_id)
    if record is None or record.institution_id != institution_id:
        raise NotFound("No origin number {origin_id} for this institution.", origin_id=origin_id)
    session.delete(record)
    session.flush()


def frame_ancestors(session: Session, institution_id: int | None) -> str:
    """The CSP frame-ancestors value: the registered origins only; 'none' when there are none."""
    if institution_id is None:
        return "'none'"
    origins = [record.origin for record in origins_of(session, institution_id)]
    return " ".join(origins) if origins else "'none'"


# --- on-site address ranges -----------------------------------------------------------------------------------------

def normalise_cidr(value: str) -> str:
    try:
        network = ipaddress.ip_network(value.strip(), strict=False)
    except ValueError:
        raise InvalidInput("{cidr} is not an address range like 192.0.2.0/24 or 2001:db8::/48.", field="cidr",
                           cidr=value.strip()[:50]) from None
    if network.prefixlen < MIN_PREFIX[network.version]:
        raise InvalidInput("{cidr} is too wide for one institution (at most /{prefix} for IPv{version}).",
                           field="cidr", cidr=str(network), prefix=MIN_PREFIX[network.version],
                           version=network.version)
    return str(network)


def add_ip_range(session: Session, institution_id: int, data: IpRangeCreate) -> IpRange:
    get_institution(session, institution_id)
    cidr = normalise_cidr(data.cidr)
    taken = session.exec(select(IpRange).where(IpRange.cidr == cidr)).first()
    if taken is not None:
        raise Conflict("{cidr} is already registered for institution {institution_id}.", field="cidr", cidr=cidr,
                       institution_id=taken.institution_id)
    record = IpRange(institution_id=institution_id, cidr=cidr, label=data.label.strip())
    session.add(record)
    session.flush()
    return record


def remove_ip_range(session: Session, institution_id: int, range_id: int) -> None:
    record = session.get(IpRange, range_id)
    if record is None or record.institution_id != institution_id:
        raise NotFound("No address range number {range_id} for this institution.", range_id=range_id)
    session.delete(record)
    session.flush()


# --- contacts -------------------------------------------------------------------------------------------------------

def add_contact(session: Session, institution_id: int, data: ContactCreate) -> InstitutionContact:
    get_institution(session, institution_id)
    email = data.email.strip()
    if email and not re.fullmatch(r"[^@\s]+@[^@\s]+\.[^@\s]+", email):
        raise InvalidInput("Enter a valid e-mail address.", field="email")
    record = InstitutionContact(institution_id=institution_id, name=data.name.strip(), role=data.role.strip(),
                                email=email, phone=data.phone.strip())
    session.add(record)
    session.flush()
    return record


def remove_contact(session: Session, institution_id: int, contact_id: int) -> None:
    record = session.get(InstitutionContact, contact_id)
    if record is None or record.institution_id != institution_id:
        raise NotFound("No contact number {contact_id} for this institution.", contact_id=contact_id)
    session.delete(record)
    session.flush()


# --- assertion keys -------------------------------------------------------------------------------------------------

def key_public(key: AssertionKey) -> AssertionKeyPublic:
    return AssertionKeyPublic(kid=key.kid, label=key.label, status=key.status, created_at=key.created_at,
                              revoked_at=key.revoked_at)


def create_assertion_key(session: Session, institution_id: int, data: AssertionKeyCreate) -> AssertionKey:
    """A new key, active at once beside the others: the portal switches to it, then the old one is revoked."""
    get_institution(session, institution_id)
    key = AssertionKey(institution_id=institution_id, kid=f"i{institution_id}-{secrets.token_hex(4)}",
                       secret=secrets.token_urlsafe(32), label=data.label.strip(), status=KeyStatus.ACTIVE)
    session.add(key)
    session.flush()
    return key


def revoke_assertion_key(session: Session, institution_id: int, kid: str) -> AssertionKey:
    key = session.exec(select(AssertionKey).where(AssertionKey.kid == kid)).first()
    if key is None or key.institution_id != institution_id:
        raise NotFound("No key {kid} for this institution.", kid=kid[:40])
    if key.status != KeyStatus.REVOKED:
        key.status = KeyStatus.REVOKED.value
        key.revoked_at = clock.utcnow()
        session.add(key)
        session.flush()
    return key


def newest_active_key(session: Session, institution_id: int) -> AssertionKey | None:
    return session.exec(select(AssertionKey).where(AssertionKey.institution_id == institution_id,
                                                   AssertionKey.status == KeyStatus.ACTIVE)
                        .order_by(col(AssertionKey.created_at).desc(), col(AssertionKey.id).desc())).first()


def trial_assertion(session: Session, institution_id: int, patron: str, *, lifetime: int = 300) -> str:
    """An assertion signed here with the institution's newest key, for trying an embed without a portal."""
    key = newest_active_key(session, institution_id)
    if key is None:
        raise Conflict("Institution {institution_id} has no active assertion key: create one first.",
                       institution_id=institution_id)
    now = int(clock.utcnow().timestamp())
    return sign_assertion(key.secret, key.kid, {
        "iss": str(institution_id), "sub": patron, "iat": now, "exp": now + lifetime, "jti": uuid.uuid4().hex,
        "aud": "cinedoc",
    })


# --- librarians -----------------------------------------------------------------------------------------------------

def create_librarian(session: Session, institution_id: int, data: LibrarianCreate) -> StaffUser:
    get_institution(session, institution_id)
    return create_staff_user(session, email=data.email, display_name=data.display_name, password=data.password,
                             role=Role.LIBRARIAN.value, institution_id=institution_id)


def set_librarian_active(session: Session, institution_id: int, user_id: int, active: bool) -> StaffUser:
    user = session.get(StaffUser, user_id)
    if user is None or user.institution_id != institution_id or user.role != Role.LIBRARIAN:
        raise NotFound("No librarian number {user_id} for this institution.", user_id=user_id)
    user.is_active = active
    session.add(user)
    session.flush()
    return user


# --- embed snippets -------------------------------------------------------------------------------------------------

def embed_url(base_url: str, film_id: int, *, assertion: str | None = None, institution_id: int | None = None,
              lang: str | None = None) -> str:
    params: dict[str, str] = {}
    if institution_id is not None:
        params["institution"] = str(institution_id)
    if assertion:
        params["assertion"] = assertion
    if lang:
        params["lang"] = lang
    query = f"?{urlencode(params)}" if params else ""
    return f"{base_url.rstrip('/')}/embed/{film_id}{query}"


def iframe_snippet(url: str, title: str) -> str:
    """The frame a portal pastes: as wide as the portal's column (at most 960 px) and 16:9, but never lower than
    480 px, where a 16:9 frame would leave no room for the control bar under the picture (a 320 px column gets a
    320×480 frame). The width and height attributes are what a portal that strips styles still gets."""
    style = "border:0;display:block;width:100%;max-width:960px;height:auto;aspect-ratio:16/9;min-height:480px"
    return (f'<iframe src="{html.escape(url)}" title="{html.escape(title)}" width="960" height="540" '
            f'allow="fullscreen; picture-in-picture" allowfullscreen style="{style}"></iframe>')
