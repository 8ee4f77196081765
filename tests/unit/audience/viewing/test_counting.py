"""The counting rules one by one: watch time threshold, double clicks, unique items, on-site seats, completion."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from audience.viewing.counting import (
    SessionPlay,
    completion,
    count_chain,
    count_group,
    double_click_chains,
    percent_change,
    qualifies,
    viewer_key,
)

T0 = datetime(2024, 3, 5, 14, 0, tzinfo=UTC)


def play(sid: str, offset_s: float, watched: float, duration: float | None = 5400.0) -> SessionPlay:
    return SessionPlay(sid, T0 + timedelta(seconds=offset_s), watched, duration)


@pytest.mark.parametrize(("watched", "duration", "expected"), [
    (9.9, 5400.0, False), (10.0, 5400.0, True), (0.0, 5400.0, False), (10.0, None, True), (9.0, None, False),
    (20.0, 20.0, True), (9.9, 20.0, False),  # 20 s is not "under 20 s": the 10 s rule applies
    (6.0, 12.0, True), (5.9, 12.0, False), (0.5, 1.0, True),
])
def test_a_consultation_needs_ten_seconds_or_half_of_a_film_under_twenty_seconds(
        watched: float, duration: float | None, expected: bool) -> None:
    assert qualifies(watched, duration) is expected


def test_completion_is_the_watched_share_capped_at_one() -> None:
    assert completion(2700, 5400) == 0.5
    assert completion(9000, 5400) == 1.0
    assert completion(10, 0) is None
    assert completion(10, None) is None


def test_reopening_within_thirty_seconds_is_one_chain_and_counts_once() -> None:
    group = count_group([play("a", 0, 600), play("b", 25, 600)])
    assert group.requests == 1
    assert group.investigations == 1


def test_reopening_after_thirty_seconds_counts_twice() -> None:
    group = count_group([play("a", 0, 600), play("b", 31, 600)])
    assert group.requests == 2


def test_a_chain_of_reloads_each_within_thirty_seconds_of_the_previous_is_one_click() -> None:
    chains = double_click_chains([play("c", 50, 5), play("a", 0, 5), play("b", 25, 5)])
    assert [[p.session_id for p in chain] for chain in chains] == [["a", "b", "c"]]


def test_the_double_click_keeps_the_last_qualifying_session_with_the_chains_whole_watch_time() -> None:
    consultation = count_chain([play("a", 0, 4), play("b", 20, 2000)])
    assert consultation is not None
    assert consultation.session_id == "b"
    assert consultation.watched_seconds == 2004
    assert consultation.completion == pytest.approx(2004 / 5400)


def test_a_too_short_play_is_an_investigation_but_not_a_consultation() -> None:
    group = count_group([play("a", 0, 9)])
    assert (group.investigations, group.requests, group.unique_investigations, group.unique_requests) == (1, 0, 1, 0)
    assert group.watched_seconds == 0


def test_unique_items_count_a_film_once_per_patron_day() -> None:
    group = count_group([play("a", 0, 600), play("b", 3600, 600), play("c", 7200, 3)])
    assert (group.investigations, group.requests, group.unique_investigations, group.unique_requests) == (3, 2, 1, 1)


def test_watch_time_and_completion_are_summed_per_consultation() -> None:
    group = count_group([play("a", 0, 2700), play("b", 3600, 5400)])
    assert group.watched_seconds == 8100
    assert group.completion_sum == pytest.approx(1.5)
    assert [c.session_id for c in group.consultations] == ["a", "b"]


def test_an_empty_group_counts_nothing() -> None:
    assert count_group([]).investigations == 0


def test_on_site_sessions_without_patron_are_counted_by_session_never_by_address() -> None:
    assert viewer_key(None, "s1") != viewer_key(None, "s2")
    assert viewer_key("abc", "s1") == viewer_key("abc", "s2")


def test_year_on_year_change_is_a_percentage_with_one_decimal() -> None:
    assert percent_change(12993, 12742) == -1.9
    assert percent_change(100, 150) == 50.0
    assert percent_change(0, 10) is None
