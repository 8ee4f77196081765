"""The bitset helpers behind facet counts and paging."""

from __future__ import annotations

import random

from catalogue.films.facet_index import MaskBytes, bitset, duration_band, fold, positions_in_order


def test_a_bitset_holds_exactly_its_positions() -> None:
    positions = [0, 7, 8, 63, 64, 4095]
    mask = bitset(positions, 5000)
    assert mask.bit_count() == len(positions)
    membership = MaskBytes.of(mask, 5000)
    assert [p for p in range(5000) if p in membership] == positions


def test_paging_walks_the_set_bits_in_order_whatever_the_offset() -> None:
    rng = random.Random(5)
    size = 30_000
    chosen = sorted(rng.sample(range(size), 7_000))
    mask = bitset(chosen, size)
    assert positions_in_order(mask, size, 0, 24) == chosen[:24]
    assert positions_in_order(mask, size, 4_096, 24) == chosen[4_096:4_120]
    assert positions_in_order(mask, size, 6_990, 24) == chosen[6_990:]
    assert positions_in_order(mask, size, 7_000, 24) == []
    assert positions_in_order(0, size, 0, 24) == []


def test_folding_ignores_case_and_accents_and_bands_follow_the_minutes() -> None:
    assert fold("Cinéma ÉCOLOGIE Ça") == "cinema ecologie ca"
    assert [duration_band(m) for m in (None, 12, 39, 40, 69, 70, 119, 120, 240)] == [
        None, "short", "short", "medium", "medium", "feature", "feature", "long", "long"]
