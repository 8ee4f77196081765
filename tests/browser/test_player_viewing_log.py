"""The player's viewing log in Chromium: playing a film in the portal's frame, then pausing, sends the events of
the session the server opened; the session becomes a counted consultation with the seconds really played."""

from __future__ import annotations

import time

import pytest
from playwright.sync_api import BrowserContext
from sqlalchemy import Engine
from sqlmodel import Session, select

from audience.viewing.models import ConsultationRecord, MonthlyUsage, ViewingEvent
from tests.browser.test_player import Stage, context, ladder, player_frame, servers, stage  # noqa: F401

pytestmark = pytest.mark.browser


def test_playing_then_pausing_logs_a_counted_consultation(context: BrowserContext, stage: Stage,  # noqa: F811
                                                          db_engine: Engine) -> None:
    page = context.new_page()
    page.goto(stage.portal_url(stage.embed_url()))
    frame = player_frame(page)
    frame.evaluate("() => { document.getElementById('video').muted = true; }")
    frame.locator("#play").click()
    frame.wait_for_function("() => document.getElementById('video').currentTime > 11.5", timeout=30_000)
    frame.locator("#play").click()  # pause: the player sends what it has
    frame.wait_for_function("() => window.cinedocViewingLog.queue.length === 0", timeout=10_000)
    session_id = frame.evaluate("window.cinedocPlayer.session.session_id")
    deadline = time.monotonic() + 10
    with Session(db_engine) as db:
        while True:
            record = db.get(ConsultationRecord, session_id)
            if record is not None or time.monotonic() > deadline:
                break
            time.sleep(0.2)
            db.expire_all()
        assert record is not None and record.counted
        assert 10 <= record.watched_seconds <= 14
        kinds = [e.kind for e in db.exec(select(ViewingEvent).where(ViewingEvent.session_id == session_id)
                                         .order_by(ViewingEvent.seq))]
        assert kinds[0] == "start" and kinds[-1] == "pause"
        usage = db.exec(select(MonthlyUsage)).one()
        assert (usage.film_id, usage.total_item_requests) == (stage.film_id, 1)
