"""A patron votes in the public round from the ballot page their library's portal frames: identified like the
player (portal assertion), one vote bound to the per-institution pseudonym, changed while the round is open when the
edition allows it; every refusal is said on the page with its status and stores nothing."""

from __future__ import annotations

from datetime import date

import pytest
from litestar import Litestar
from litestar.testing import TestClient
from sqlalchemy import Engine
from sqlmodel import Session

from audience.prize.models import PrizeRound
from audience.viewing.counting import viewer_key
from audience.viewing.models import ConsultationRecord
from cinedoc.kernel import clock
from streaming.media.models import MediaAsset, MediaPurpose, MediaStatus, PresentationMedia
from streaming.playback import player as player_views
from streaming.runtime import runtime_for
from tests.playback_helpers import PortalKey, make_institution
from tests.prize_helpers import audit_entries, patron_grant, public_ballots
from tests.prize_public_stage import (
    PORTAL,
    PUBLIC_DAY,
    PrizeStage,
    checked_film,
    grant_in,
    prize_stage,
    radio_films,
)
from tests.rights_helpers import set_today


@pytest.fixture
def stage(db: Session, db_engine: Engine, monkeypatch: pytest.MonkeyPatch) -> PrizeStage:
    built = prize_stage(db, db_engine)
    set_today(monkeypatch, PUBLIC_DAY)
    return built


def assertion(key: PortalKey, patron: str = "lecteur-7") -> str:
    # Signed at the moved clock's time: the platform checks its expiry against that clock.
    return key.assertion(patron, now=clock.utcnow().timestamp())


def open_ballot(client: TestClient, stage: PrizeStage, key: PortalKey | None = None, patron: str = "lecteur-7",
                lang: str = "fr") -> str:
    page = client.get(f"/embed/prize/{stage.edition_id}", params={"assertion": assertion(key or stage.lyon, patron),
                                                                   "lang": lang})
    assert page.status_code == 200, page.text
    return page.text


def vote(client: TestClient, stage: PrizeStage, grant: str, film_id: int | str, lang: str = "fr") -> tuple[int, str]:
    answer = client.post(f"/embed/prize/{stage.edition_id}/vote?lang={lang}",
                         data={"grant": grant, "film_id": str(film_id)})
    return answer.status_code, answer.text


def nothing_stored(engine: Engine) -> None:
    assert public_ballots(engine) == []
    # (the round's own close is audited too: only ballots count here)
    assert [e.action for e in audit_entries(engine, PrizeRound.PUBLIC) if e.action in ("cast", "change")] == []


def test_a_patron_votes_changes_the_vote_and_sending_it_again_changes_nothing(
        client: TestClient, db_engine: Engine, stage: PrizeStage) -> None:
    page = open_ballot(client, stage)
    assert sorted(radio_films(page)) == sorted(stage.shortlist)
    assert checked_film(page) is None
    assert "<fieldset>" in page and "<legend>" in page
    first, second = sorted(stage.shortlist)[:2]

    status, answer = vote(client, stage, grant_in(page), first)
    assert status == 200, answer
    assert 'role="status"' in answer and "Votre vote pour Documentaire 1 est enregistré" in answer
    assert checked_film(answer) == first
    [ballot] = public_ballots(db_engine)
    runtime = runtime_for(client.app.state)
    assert (ballot.institution_id, ballot.film_id) == (stage.lyon.institution_id, first)
    # The per-institution pseudonym, never the portal's own patron id.
    assert ballot.voter == runtime.ring.patron_pseudonym(stage.lyon.institution_id, "lecteur-7") != "lecteur-7"

    status, answer = vote(client, stage, grant_in(answer), second)
    assert status == 200 and "Votre vote est modifié" in answer
    status, again = vote(client, stage, grant_in(answer), second)
    assert status == 200 and "déjà enregistré" in again
    assert [(b.voter, b.film_id) for b in public_ballots(db_engine)] == [(ballot.voter, second)]
    assert [entry.action for entry in audit_entries(db_engine, PrizeRound.PUBLIC)] == ["cast", "change"]

    # Back later from the portal (a fresh assertion): the current vote is pre-selected.
    later = open_ballot(client, stage, lang="en")
    assert checked_film(later) == second and "Change my vote" in later


def test_the_ballot_page_is_framed_by_the_librarys_origins_only_and_never_stored(
        client: TestClient, stage: PrizeStage) -> None:
    page = client.get(f"/embed/prize/{stage.edition_id}", params={"assertion": assertion(stage.lyon)})
    policy = page.headers["content-security-policy"]
    assert f"frame-ancestors {PORTAL}" in policy and "default-src 'none'" in policy
    assert page.headers["cache-control"] == "no-store"
    assert "https://" not in page.text.replace(PORTAL, "")  # nothing loaded from third parties
    answer = client.post(f"/embed/prize/{stage.edition_id}/vote", data={"grant": grant_in(page.text),
                                                                      "film_id": str(min(stage.shortlist))})
    assert f"frame-ancestors {PORTAL}" in answer.headers["content-security-policy"]


def test_an_assertion_is_good_for_one_opening_only(client: TestClient, db_engine: Engine, stage: PrizeStage) -> None:
    signed = assertion(stage.lyon)
    assert client.get(f"/embed/prize/{stage.edition_id}", params={"assertion": signed}).status_code == 200
    replayed = client.get(f"/embed/prize/{stage.edition_id}", params={"assertion": signed})
    assert replayed.status_code == 403 and 'role="alert"' in replayed.text
    assert 'name="grant"' not in replayed.text
    nothing_stored(db_engine)


def test_outside_the_public_round_the_page_says_when_and_a_vote_is_refused(
        client: TestClient, db_engine: Engine, stage: PrizeStage, monkeypatch: pytest.MonkeyPatch) -> None:
    set_today(monkeypatch, date(2024, 3, 7))  # last day of the preparation
    page = open_ballot(client, stage)
    assert 'name="film_id"' not in page and "<form" not in page
    assert "Le vote du public est ouvert du 8 mars 2024 au 7 avril 2024." in page
    assert "Documentaire 1" in page  # the shortlist, to prepare
    status, answer = vote(client, stage, patron_grant(client.app, stage.lyon.institution_id), min(stage.shortlist))
    assert status == 409 and 'role="alert"' in answer
    nothing_stored(db_engine)

    set_today(monkeypatch, date(2024, 4, 8))
    status, answer = vote(client, stage, patron_grant(client.app, stage.lyon.institution_id), min(stage.shortlist))
    assert status == 409
    assert "Le vote du public est clos depuis le 7 avril 2024." in open_ballot(client, stage)
    nothing_stored(db_engine)


def test_a_film_off_the_shortlist_or_no_film_at_all_is_refused_and_the_form_stays(
        client: TestClient, db_engine: Engine, stage: PrizeStage) -> None:
    grant = grant_in(open_ballot(client, stage))
    for film, expected in ((stage.outsider, 400), ("", 400), ("abc", 400), (10**12, 400)):
        status, answer = vote(client, stage, grant, film)
        assert status == expected, (film, answer)
        assert 'role="alert"' in answer and 'name="film_id"' in answer, film
    nothing_stored(db_engine)


def test_a_library_whose_subscription_has_ended_cannot_vote(client: TestClient, db: Session, db_engine: Engine,
                                                            stage: PrizeStage) -> None:
    lapsed = make_institution(db, "Médiathèque résiliée", subscription=(date(2020, 1, 1), date(2023, 12, 31)),
                              origins=(PORTAL,))
    page = client.get(f"/embed/prize/{stage.edition_id}", params={"assertion": assertion(lapsed)})
    assert page.status_code == 403 and "abonnement" in page.text and 'name="film_id"' not in page.text
    status, answer = vote(client, stage, patron_grant(client.app, lapsed.institution_id), min(stage.shortlist))
    assert status == 403 and "abonnement" in answer
    nothing_stored(db_engine)


def test_when_the_edition_forbids_changing_a_second_choice_is_refused(
        client: TestClient, db: Session, db_engine: Engine, monkeypatch: pytest.MonkeyPatch) -> None:
    stage = prize_stage(db, db_engine, allow_vote_change=False)
    set_today(monkeypatch, PUBLIC_DAY)
    page = open_ballot(client, stage)
    assert "une fois envoyé, il ne peut plus être modifié" in page
    first, second = sorted(stage.shortlist)[:2]
    assert vote(client, stage, grant_in(page), first)[0] == 200
    status, answer = vote(client, stage, grant_in(page), second)
    assert status == 409 and 'role="alert"' in answer and "Documentaire 1" in answer
    assert 'name="film_id"' not in answer  # no form to change it with
    assert [b.film_id for b in public_ballots(db_engine)] == [first]
    assert [entry.action for entry in audit_entries(db_engine, PrizeRound.PUBLIC)] == ["cast"]
    assert 'name="film_id"' not in open_ballot(client, stage)


def test_when_the_edition_requires_watching_a_film_not_watched_is_refused_keeping_the_choice(
        client: TestClient, db: Session, db_engine: Engine, monkeypatch: pytest.MonkeyPatch) -> None:
    stage = prize_stage(db, db_engine, require_watched=True)
    set_today(monkeypatch, PUBLIC_DAY)
    page = open_ballot(client, stage)
    film = max(stage.shortlist)
    status, answer = vote(client, stage, grant_in(page), film)
    assert status == 403 and 'role="alert"' in answer and "regardez d&#39;abord Documentaire" in answer
    assert checked_film(answer) == film
    nothing_stored(db_engine)

    # Once the patron has watched it (a counted consultation at this library), the same vote is taken.
    pseudonym = runtime_for(client.app.state).ring.patron_pseudonym(stage.lyon.institution_id, "lecteur-7")
    moment = clock.utcnow()
    db.add(ConsultationRecord(session_id="s-watched", institution_id=stage.lyon.institution_id, film_id=film,
                              viewer=viewer_key(pseudonym, "s-watched"), day=PUBLIC_DAY, month="2024-03",
                              started_at=moment, last_event_at=moment, watched_seconds=600, counted=True))
    db.commit()
    status, answer = vote(client, stage, grant_in(page), film)
    assert status == 200, answer
    assert [(b.voter, b.film_id) for b in public_ballots(db_engine)] == [(pseudonym, film)]


def test_a_grant_cannot_be_rewritten_to_vote_for_another_library(client: TestClient, db_engine: Engine,
                                                                 stage: PrizeStage) -> None:
    grant = grant_in(open_ballot(client, stage))
    kid, expires, institution, method, viewer, mac = grant.split(".")
    assert int(institution) == stage.lyon.institution_id
    forged = ".".join([kid, expires, str(stage.lille.institution_id), method, viewer, mac])
    status, answer = vote(client, stage, forged, min(stage.shortlist))
    assert status == 403 and 'role="alert"' in answer and 'name="film_id"' not in answer
    for broken in ("", "not-a-grant", grant[:-2] + "xx"):
        assert vote(client, stage, broken, min(stage.shortlist))[0] == 403, broken
    nothing_stored(db_engine)


def test_the_libraries_own_computers_are_told_to_sign_in_first(
        client: TestClient, app: Litestar, db: Session, db_engine: Engine, stage: PrizeStage,
        monkeypatch: pytest.MonkeyPatch) -> None:
    key = make_institution(db, "Médiathèque sur place", ip_ranges=("192.0.2.0/24",), origins=(PORTAL,))
    # The test client has no IP address; the library's own computers are in 192.0.2.0/24.
    monkeypatch.setattr(player_views, "request_address", lambda runtime, request: "192.0.2.10")
    page = client.get(f"/embed/prize/{stage.edition_id}")
    assert page.status_code == 403, page.text
    assert "connectez-vous au site de votre bibliothèque" in page.text and 'name="film_id"' not in page.text
    assert f"frame-ancestors {PORTAL}" in page.headers["content-security-policy"]
    status, answer = vote(client, stage, patron_grant(app, key.institution_id, on_site=True), min(stage.shortlist))
    assert status == 403 and "connectez-vous au site de votre bibliothèque" in answer
    nothing_stored(db_engine)


def test_an_unknown_edition_is_a_404_page(client: TestClient, stage: PrizeStage) -> None:
    page = client.get("/embed/prize/999999", params={"assertion": assertion(stage.lyon)})
    assert page.status_code == 404 and 'role="alert"' in page.text


def test_the_shortlisted_films_presentation_videos_are_on_the_ballot_and_the_public_page(
        client: TestClient, db: Session, stage: PrizeStage) -> None:
    presented = min(stage.shortlist)
    asset = MediaAsset(film_id=presented, version=2, purpose=MediaPurpose.PRESENTATION, status=MediaStatus.READY,
                       storage_prefix=f"films/{presented}/presentation-0002", duration_seconds=95.0, width=320,
                       height=180, has_captions=True)
    db.add(asset)
    db.flush()
    assert asset.id is not None
    db.add(PresentationMedia(film_id=presented, asset_id=asset.id))
    db.commit()
    video = f'data-hls="/media/presentations/{presented}/master.m3u8"'
    for page in (open_ballot(client, stage), client.get("/prix/2024").text):
        assert page.count("data-hls=") == 1 and video in page
        assert '<script src="/static/presentation.js" defer></script>' in page
        assert f"Vidéo de présentation de Documentaire {stage.films.index(presented) + 1}" in page
