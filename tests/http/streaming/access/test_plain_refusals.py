"""A patron turned away by the player or the ballot page a portal frames reads plain words saying what to do, never
"assertion", "jti", "token", "nonce" or "grant", in French or English; why the portal's link failed goes to the log,
for the library's webmaster, and the API keeps its technical answer for the portal's developers."""

from __future__ import annotations

import logging
import re
from collections.abc import Callable
from html import unescape
from typing import Any

import pytest
from litestar import Litestar
from litestar.testing import TestClient
from sqlalchemy import Engine
from sqlmodel import Session

from cinedoc.kernel import clock
from streaming.access.assertions import sign_assertion
from tests.playback_helpers import PortalKey, make_institution
from tests.prize_public_stage import PUBLIC_DAY, PrizeStage, prize_stage
from tests.rights_helpers import set_today

JARGON = re.compile(r"\b(assertions?|jti|tokens?|jetons?|nonces?|grants?|kid|JWS|HS256|base64url)\b", re.IGNORECASE)


def visible_text(page: str) -> str:
    """What a reader sees or hears: the page without its scripts, styles, tags and attributes."""
    page = re.sub(r"<(script|style)\b.*?</\1>", " ", page, flags=re.DOTALL | re.IGNORECASE)
    return unescape(re.sub(r"<[^>]+>", " ", page))


def bad_links(key: PortalKey, other: PortalKey) -> dict[str, Callable[[], str]]:
    """Each way a portal's link goes wrong, by what the patron should read."""
    now = clock.utcnow().timestamp()
    return {
        "expired": lambda: key.assertion(now=now - 900, expires_in=300),
        "forged": lambda: sign_assertion("guessed-secret", key.kid, {
            "iss": str(key.institution_id), "sub": "p", "exp": int(now) + 60, "jti": "forged-nonce-000001"}),
        "garbled": lambda: "not-a-signed-link",
        "unknown key": lambda: sign_assertion("s", "i999-unknown", {"iss": "999", "sub": "p", "exp": int(now) + 60,
                                                                    "jti": "unknown-key-nonce-01"}),
        "no nonce": lambda: key.assertion(now=now, jti=""),
        "from the future": lambda: key.assertion(now=now + 3600, expires_in=60),
        "another library's": lambda: other.assertion(now=now),
    }


EXPECTED = {
    "fr": {"expired": "Ce lien a expiré", "replayed": "Ce lien a déjà servi",
           "another library's": "Ce lien a été créé pour une autre bibliothèque",
           "other": "Le site de votre bibliothèque a envoyé un lien que la plateforme ne peut pas accepter"},
    "en": {"expired": "This link has expired", "replayed": "This link was already used",
           "another library's": "This link was made for another library",
           "other": "Your library's website sent a link the platform cannot accept"},
}


def check_refusal(page: Any, lang: str, case: str) -> None:
    assert page.status_code == 403, (case, page.status_code)
    text = " ".join(visible_text(page.text).split())
    expected = EXPECTED[lang].get(case, EXPECTED[lang]["other"])
    assert expected in text, (lang, case, text[:800])
    found = JARGON.findall(text)
    assert not found, (lang, case, found, text[:800])


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_the_player_tells_a_turned_away_patron_what_to_do_in_plain_words(
    client: TestClient, playback_app: Litestar, db: Session, portal: PortalKey, film: int, lang: str,
    caplog: pytest.LogCaptureFixture,
) -> None:
    other = make_institution(db, "Bibliothèque de Quimper")
    for case, link in bad_links(portal, other).items():
        params = {"assertion": link(), "lang": lang}
        if case == "another library's":
            params["institution"] = str(portal.institution_id)
        check_refusal(client.get(f"/embed/{film}", params=params), lang, case)
    used = portal.assertion()
    assert client.get(f"/embed/{film}", params={"assertion": used}).status_code == 200
    with caplog.at_level(logging.WARNING, logger="streaming.access.sign_in"):
        check_refusal(client.get(f"/embed/{film}", params={"assertion": used, "lang": lang}), lang, "replayed")
    # The reason stays where someone can act on it: the log, in the developers' words.
    assert any("already used" in record.getMessage() and "jti" in record.getMessage() for record in caplog.records)


def test_the_api_still_tells_the_portals_developers_which_check_failed(
    open_session: Callable[..., Any], portal: PortalKey, film: int,
) -> None:
    answer = open_session(film, assertion="not-a-signed-link", headers={"Accept-Language": "en"})
    assert answer.status_code == 403 and "compact JWS" in answer.json()["detail"]


@pytest.fixture
def stage(db: Session, db_engine: Engine, monkeypatch: pytest.MonkeyPatch) -> PrizeStage:
    built = prize_stage(db, db_engine)
    set_today(monkeypatch, PUBLIC_DAY)
    return built


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_the_ballot_tells_a_turned_away_patron_what_to_do_in_plain_words(
    client: TestClient, stage: PrizeStage, lang: str,
) -> None:
    for case, link in bad_links(stage.lyon, stage.lille).items():
        params = {"assertion": link(), "lang": lang}
        if case == "another library's":
            params["institution"] = str(stage.lyon.institution_id)
        check_refusal(client.get(f"/embed/prize/{stage.edition_id}", params=params), lang, case)
    used = stage.lyon.assertion(now=clock.utcnow().timestamp())
    assert client.get(f"/embed/prize/{stage.edition_id}", params={"assertion": used}).status_code == 200
    again = client.get(f"/embed/prize/{stage.edition_id}", params={"assertion": used, "lang": lang})
    check_refusal(again, lang, "replayed")
