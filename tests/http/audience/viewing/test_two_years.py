"""Acceptance scenario: two years of event streams that amount to exactly 12,993 and 12,742 consultations once the
counting rules are applied, with double clicks, too-short plays, retried batches, out-of-order batches and on-site
seats mixed in; a slice goes through HTTP, the rest through the same ingestion service in bulk."""

from __future__ import annotations

import uuid
from collections import Counter, defaultdict
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from litestar.testing import TestClient
from sqlmodel import Session, select

from audience.statistics.figures import by_category, by_institution, by_month, compare_years, year_consultations
from audience.viewing.counting import SessionPlay, count_group
from audience.viewing.log import SessionFacts, ingest, validate_batch
from audience.viewing.models import ConsultationRecord, MonthlyUsage
from audience.viewing.schemas import EventBatchIn
from cinedoc.kernel import clock
from streaming.access.models import AccessMethod, PlaybackSession
from streaming.media.models import FilmMedia
from tests.audience_helpers import batch
from tests.playback_helpers import make_institution, make_playable_film

NOW = datetime(2025, 2, 1, 12, 0, tzinfo=UTC)
TARGETS = {2023: 12_993, 2024: 12_742}
HTTP_SLICE = 30
CATEGORIES = ("local_authority", "departmental", "university", "works_council")


@pytest.fixture(autouse=True)
def fixed_clock(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(clock, "utcnow", lambda: NOW)


class Scenario:
    """Builds sessions and their batches; every intended consultation gets its own slot, 40 minutes apart, so that
    only the double clicks placed on purpose fall within 30 seconds of each other."""

    def __init__(self, db: Session, institutions: list[int], films: list[tuple[int, int, float]]) -> None:
        self.db = db
        self.institutions = institutions
        self.films = films  # (film id, asset id, duration)
        self.sessions: list[dict[str, Any]] = []
        self.facts: dict[str, SessionFacts] = {}
        self.first_pass: list[tuple[str, dict[str, Any]]] = []
        self.second_pass: list[tuple[str, dict[str, Any]]] = []
        self.http: list[tuple[str, dict[str, Any]]] = []

    def session(self, institution: int, film: tuple[int, int, float], opened: datetime, patron: str | None) -> str:
        sid = uuid.uuid4().hex
        self.sessions.append({
            "id": sid, "institution_id": institution, "film_id": film[0], "asset_id": film[1],
            "storage_prefix": "films/x", "patron": patron, "kid": "k1", "created_at": opened,
            "expires_at": opened + timedelta(hours=4),
            "method": AccessMethod.ASSERTION if patron else AccessMethod.ON_SITE,
        })
        self.facts[sid] = SessionFacts(sid, institution, film[0], patron, patron is None, opened,
                                       opened + timedelta(hours=4), film[2])
        return sid

    def play(self, sid: str, opened: datetime, film: tuple[int, int, float], watched: float, n: int,
             via_http: bool = False) -> None:
        points = [0.0, *[watched * (k + 1) / (n - 1) for k in range(n - 1)]] if n > 1 else [watched]
        body = batch(film[0], opened, points)
        if via_http:
            self.http.append((sid, body))
        elif n % 4 == 0:
            # Out of order: the second half arrives first; retried: the first half comes twice.
            half = len(body["events"]) // 2
            self.first_pass.append((sid, body | {"events": body["events"][half:]}))
            self.second_pass.append((sid, body | {"events": body["events"][:half]}))
            self.second_pass.append((sid, body | {"events": body["events"][:half]}))
        else:
            self.first_pass.append((sid, body))

    def year(self, year: int, consultations: int) -> None:
        start = datetime(year, 1, 1, tzinfo=clock.PARIS).astimezone(UTC) + timedelta(minutes=30)
        spacing = timedelta(seconds=(365 * 86400 - 3600) / consultations)
        for i in range(consultations):
            slot = start + spacing * i
            institution = self.institutions[i % len(self.institutions)]
            film = self.films[(i * 7 + year) % len(self.films)]
            patron = None if i % 23 == 0 else f"patron-{(i * 13) % 997}"
            short = film[2] < 20
            watched = film[2] * 0.6 if short else min(film[2], 15 + (i * 37) % 5000)
            near_midnight = slot.astimezone(clock.PARIS).time().hour == 0 and slot.astimezone(
                clock.PARIS).time().minute < 2
            if patron and i % 9 == 0 and not near_midnight:
                # A double click: an opening 15 s before, itself watched enough or not; one consultation.
                early = slot - timedelta(seconds=15)
                sid = self.session(institution, film, early, patron)
                self.play(sid, early, film, 14.0 if i % 2 else 3.0, 2)
            sid = self.session(institution, film, slot, patron)
            self.play(sid, slot, film, watched, 2 + i % 5, via_http=year == 2024 and i < HTTP_SLICE)
            if i % 5 == 0:
                # A too-short play twenty minutes later: an investigation, never a consultation.
                later = slot + timedelta(minutes=20)
                sid = self.session(institution, film, later, patron)
                self.play(sid, later, film, film[2] * 0.4 if short else 9.0, 2)

    def store_sessions(self) -> None:
        table = PlaybackSession.__table__  # type: ignore[attr-defined]
        self.db.connection().execute(table.insert(), self.sessions)
        self.db.commit()

    def ingest(self, batches: list[tuple[str, dict[str, Any]]]) -> None:
        pairs = []
        for sid, body in batches:
            parsed = EventBatchIn.model_validate(body)
            validate_batch(self.facts[sid], parsed, NOW)
            pairs.append((self.facts[sid], parsed))
        for start in range(0, len(pairs), 2000):
            ingest(self.db, pairs[start:start + 2000])
            self.db.commit()


def assert_months_equal_a_full_recount(db: Session) -> None:
    """The monthly figures, kept by adding differences batch after batch, equal a recount of every viewer-day from
    scratch with the pure counting rules."""
    groups: dict[tuple, list[SessionPlay]] = defaultdict(list)
    for r in db.exec(select(ConsultationRecord)):
        started = r.started_at if r.started_at.tzinfo else r.started_at.replace(tzinfo=UTC)
        groups[(r.month, r.institution_id, r.film_id, r.viewer, r.day)].append(
            SessionPlay(r.session_id, started, r.watched_seconds, r.duration_seconds))
    expected: Counter[tuple] = Counter()
    investigations: Counter[tuple] = Counter()
    for (month, institution, film, _viewer, _day), plays in groups.items():
        counted = count_group(plays)
        expected[(month, institution, film)] += counted.requests
        investigations[(month, institution, film)] += counted.investigations
    db.expire_all()
    kept = {(u.month, u.institution_id, u.film_id): u for u in db.exec(select(MonthlyUsage))}
    assert {k: u.total_item_requests for k, u in kept.items() if u.total_item_requests} == +expected
    assert {k: u.total_item_investigations for k, u in kept.items()} == +investigations
    assert sum(investigations.values()) > sum(expected.values())  # too-short plays are there, not counted


def test_two_years_of_events_count_12993_then_12742_consultations(client: TestClient, db: Session) -> None:
    institutions = [make_institution(db, f"Bibliothèque {n}", category=CATEGORIES[n % 4]).institution_id
                    for n in range(6)]
    films = []
    for n in range(12):
        duration = 12.0 if n == 0 else 1800.0 + 300 * n
        film_id = make_playable_film(db, None, f"Film {n}", duration=duration)
        media = db.get(FilmMedia, film_id)
        assert media is not None
        films.append((film_id, media.asset_id, duration))
    scenario = Scenario(db, institutions, films)
    for year, target in TARGETS.items():
        scenario.year(year, target)
    scenario.store_sessions()
    scenario.ingest(scenario.first_pass)
    scenario.ingest(scenario.second_pass)
    for sid, body in scenario.http:
        assert client.post(f"/api/playback/{sid}/events", json=body).status_code == 200
        # A retried batch through HTTP: answered, not counted again.
        retry = client.post(f"/api/playback/{sid}/events", json=body)
        assert retry.status_code == 200 and retry.json()["stored"] == 0

    assert_months_equal_a_full_recount(db)
    comparison = compare_years(db, 2024)
    assert (comparison.previous_consultations, comparison.consultations) == (12_993, 12_742)
    assert comparison.change_percent == -1.9
    for year, target in TARGETS.items():
        assert sum(share.consultations for share in by_institution(db, year)) == target
        assert sum(share.consultations for share in by_category(db, year)) == target
        assert sum(share.consultations for share in by_month(db, year)) == target
        assert sum(year_consultations(db, year, institution) for institution in institutions) == target
