"""Pages speak French unless the browser, the language switch or ?lang= asks for English; errors follow the page."""

from __future__ import annotations

import re

import pytest
from litestar.testing import TestClient

from cinedoc.kernel.i18n import LANG_COOKIE

# The layout's footer, on every page.
FRENCH = "Les usagers ne sont jamais identifiés par leur nom."
ENGLISH = "Patrons are never identified by name."


def page_language(html: str) -> str:
    match = re.search(r'<html lang="(\w+)"', html)
    assert match, "the page declares no language"
    return match.group(1)


def assert_french(html: str) -> None:
    assert page_language(html) == "fr"
    assert FRENCH in html and ENGLISH not in html


def assert_english(html: str) -> None:
    assert page_language(html) == "en"
    assert ENGLISH in html and FRENCH not in html


@pytest.mark.parametrize("header", [None, "fr", "fr-FR,fr;q=0.9,en;q=0.5", "de-DE", "*"])
def test_pages_are_french_by_default_and_for_french_browsers(client: TestClient, header: str | None) -> None:
    headers = {"accept-language": header} if header is not None else {}
    response = client.get("/films", headers=headers)
    assert response.status_code == 200
    assert_french(response.text)


@pytest.mark.parametrize("header", ["en", "en-GB,en;q=0.9", "de-DE, en;q=0.8, fr;q=0.5"])
def test_pages_are_english_for_browsers_that_prefer_english(client: TestClient, header: str) -> None:
    response = client.get("/films", headers={"accept-language": header})
    assert response.status_code == 200
    assert_english(response.text)


def test_the_language_switch_sets_a_cookie_and_the_next_pages_are_english(client: TestClient) -> None:
    switched = client.get("/language/en", params={"next": "/films"}, follow_redirects=False)
    assert switched.status_code == 303
    assert switched.headers["location"] == "/films"
    assert client.cookies.get(LANG_COOKIE) == "en"

    # The switch beats the browser's own preference, on every following page.
    for path in ("/films", "/", "/login"):
        assert_english(client.get(path, headers={"accept-language": "fr"}).text)

    client.get("/language/fr", params={"next": "/films"})
    assert_french(client.get("/films", headers={"accept-language": "en"}).text)


def test_the_language_switch_ignores_unknown_languages_and_foreign_next_addresses(client: TestClient) -> None:
    unknown = client.get("/language/de", params={"next": "/films"}, follow_redirects=False)
    assert unknown.status_code == 303
    assert LANG_COOKIE not in client.cookies
    for target in ("https://evil.example/", "//evil.example/films", "/\\evil.example"):
        response = client.get("/language/en", params={"next": target}, follow_redirects=False)
        assert response.headers["location"] == "/"


def test_lang_in_the_query_string_switches_one_request_only(client: TestClient) -> None:
    assert_english(client.get("/films", params={"lang": "en"}).text)
    assert_french(client.get("/films").text)
    assert LANG_COOKIE not in client.cookies

    client.get("/language/en", params={"next": "/films"})
    assert_french(client.get("/films", params={"lang": "fr"}).text)
    assert_english(client.get("/films").text)


def test_the_switch_links_back_to_the_same_page_and_search_in_the_other_language(client: TestClient) -> None:
    html = client.get("/films").text
    assert 'href="/language/en?next=/films"' in html
    assert 'href="/language/fr' not in html  # the current language is not a link

    html = client.get("/films", params={"q": "glaneurs", "access": "sme"}).text
    link = re.search(r'href="(/language/en\?next=[^"]+)"', html)
    assert link, "no switch to English"
    switched = client.get(link.group(1).replace("&amp;", "&"), follow_redirects=False)
    assert switched.headers["location"] == "/films?q=glaneurs&access=sme"

    # A one-off ?lang= is not carried over: it would override the language just chosen.
    html = client.get("/films", params={"q": "glaneurs", "lang": "fr"}).text
    assert 'href="/language/en?next=/films"' in html


def test_error_pages_and_domain_errors_speak_the_requested_language(client: TestClient) -> None:
    missing_fr = client.get("/no-such-page")
    assert missing_fr.status_code == 404
    assert page_language(missing_fr.text) == "fr"
    assert "Cette page n’existe pas." in missing_fr.text

    missing_en = client.get("/no-such-page", headers={"accept-language": "en"})
    assert missing_en.status_code == 404
    assert "This page does not exist." in missing_en.text

    # A domain error carries an English msgid; it is translated when the response is made.
    wrong_fr = client.get("/films", params={"decade": "1995"})
    assert wrong_fr.status_code == 400
    assert "Une décennie s’écrit sous la forme 1990." in wrong_fr.text
    wrong_en = client.get("/api/films", params={"decade": "1995", "lang": "en"})
    assert wrong_en.status_code == 400
    assert wrong_en.json()["detail"] == "A decade is written like 1990."
    wrong_api_fr = client.get("/api/films", params={"decade": "1995"})
    assert wrong_api_fr.json()["detail"] == "Une décennie s’écrit sous la forme 1990."


def test_routing_errors_render_the_page_in_the_chosen_language_rather_than_failing(client: TestClient) -> None:
    # Routing errors happen before the session middleware; the layout must not depend on a session being there.
    wrong_method = client.post("/films", headers={"accept-language": "fr"})
    assert wrong_method.status_code == 405
    assert "Méthode non autorisée" in wrong_method.text
    assert page_language(wrong_method.text) == "fr"
    assert client.post("/films", headers={"accept-language": "en"}).text.count("Method Not Allowed") == 1
