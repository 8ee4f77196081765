"""The access cache trusts what it read for its few seconds only, and a zero delay means no cache at all."""

from __future__ import annotations

from streaming.runtime import ShortCache


class Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def test_an_answer_is_reused_within_the_delay_and_read_again_after() -> None:
    clock, reads = Clock(), []
    cache = ShortCache(5, clock)

    def load() -> str:
        reads.append(clock.now)
        return f"read at {clock.now}"

    assert cache.get("key", load) == "read at 100.0"
    clock.now = 104.9
    assert cache.get("key", load) == "read at 100.0"
    clock.now = 105.0
    assert cache.get("key", load) == "read at 105.0"
    assert reads == [100.0, 105.0]


def test_a_zero_delay_reads_every_time_and_forget_drops_entries() -> None:
    reads: list[int] = []
    assert ShortCache(0).get("k", lambda: reads.append(1) or 1) == 1
    assert ShortCache(0).get("k", lambda: reads.append(1) or 1) == 1
    assert len(reads) == 2
    cache, count = ShortCache(60), []
    cache.get("k", lambda: count.append(1))
    cache.forget("k")
    cache.get("k", lambda: count.append(1))
    cache.forget()
    cache.get("k", lambda: count.append(1))
    assert len(count) == 3


def test_none_is_remembered_like_any_answer() -> None:
    cache, count = ShortCache(60), []
    assert cache.get("missing", lambda: count.append(1)) is None
    assert cache.get("missing", lambda: count.append(1)) is None
    assert len(count) == 1
