"""A CAS 2.0 client: the login redirect and the service-ticket validation (French library portals often run CAS)."""

from __future__ import annotations

import re
import urllib.error
import urllib.request
from urllib.parse import urlencode
from xml.etree import ElementTree

CAS_NAMESPACE = "{http://www.yale.edu/tp/cas}"
_TICKET = re.compile(r"ST-[A-Za-z0-9._-]{1,250}")
MAX_RESPONSE_BYTES = 64 * 1024


class CasFailure(RuntimeError):
    """The CAS server refused the ticket or could not be asked; the message is for logs and staff."""


def valid_ticket(ticket: str) -> bool:
    return bool(_TICKET.fullmatch(ticket))


def login_url(server: str, service: str) -> str:
    return f"{server.rstrip('/')}/login?{urlencode({'service': service})}"


def parse_service_response(body: bytes) -> str:
    """The user of an authenticationSuccess, or CasFailure with the server's code."""
    try:
        root = ElementTree.fromstring(body)
    except ElementTree.ParseError as error:
        raise CasFailure(f"The CAS server's answer is not XML: {error}") from None
    success = root.find(f"{CAS_NAMESPACE}authenticationSuccess")
    if success is not None:
        user = (success.findtext(f"{CAS_NAMESPACE}user") or "").strip()
        if user:
            return user
        raise CasFailure("The CAS server accepted the ticket but named no user.")
    failure = root.find(f"{CAS_NAMESPACE}authenticationFailure")
    if failure is not None:
        raise CasFailure(f"The CAS server refused the ticket: {failure.get('code', 'unknown')}.")
    raise CasFailure("The CAS server's answer is neither a success nor a failure.")


def validate_ticket(server: str, service: str, ticket: str, *, timeout: float) -> str:
    """Ask the CAS server whether the ticket is good for this exact service URL; returns the user's id."""
    if not valid_ticket(ticket):
        raise CasFailure("The CAS ticket is malformed.")
    url = f"{server.rstrip('/')}/serviceValidate?{urlencode({'service': service, 'ticket': ticket})}"
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:  # noqa: S310 - an administrator's https URL
            body = response.read(MAX_RESPONSE_BYTES + 1)
    except (urllib.error.URLError, TimeoutError, OSError) as error:
        raise CasFailure(f"The CAS server could not be reached: {error}") from None
    if len(body) > MAX_RESPONSE_BYTES:
        raise CasFailure("The CAS server's answer is too long.")
    return parse_service_response(body)
