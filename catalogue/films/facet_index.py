"""An in-process bitset index of every film's facet values, so that filtering and facet counts cost a few
big-integer ANDs and popcounts instead of one SQL aggregate per facet.

Each process rebuilds its copy when the catalogue's revision token changes (one row in the database), so nothing in
it is needed by another process and a change made through any process is seen by all on their next search.
"""

from __future__ import annotations

import threading
import unicodedata
import uuid
import weakref
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from sqlalchemy import Engine
from sqlmodel import Session, select

from catalogue.films.models import CatalogueRevision, Film, FilmCountry, FilmLanguage, FilmSubject, Subject

# Duration bands patrons think in: a short, a TV-length documentary, a feature, a long film.
DURATION_BANDS: dict[str, tuple[int, int]] = {
    "short": (0, 39),
    "medium": (40, 69),
    "feature": (70, 119),
    "long": (120, 100_000),
}
ACCESS_FLAGS = ("sme", "ad", "lsf")


def fold(value: str) -> str:
    """Lower case without accents, so that 'cinema' and 'cinéma' are one word, and É sorts with E."""
    decomposed = unicodedata.normalize("NFKD", value.casefold())
    return "".join(char for char in decomposed if not unicodedata.combining(char))


def duration_band(minutes: int | None) -> str | None:
    if minutes is None:
        return None
    return next((name for name, (low, high) in DURATION_BANDS.items() if low <= minutes <= high), None)


def bitset(positions: Iterable[int], size: int) -> int:
    buffer = bytearray((size + 7) // 8)
    for position in positions:
        buffer[position >> 3] |= 1 << (position & 7)
    return int.from_bytes(buffer, "little")


@dataclass(frozen=True)
class MaskBytes:
    """A bitset's bytes, for O(1) membership tests (shifting a big integer costs its whole length)."""

    data: bytes

    @classmethod
    def of(cls, mask: int, size: int) -> MaskBytes:
        return cls(mask.to_bytes((size + 7) // 8 or 1, "little"))

    def __contains__(self, position: int) -> bool:
        return bool(self.data[position >> 3] >> (position & 7) & 1)


def positions_in_order(mask: int, size: int, skip: int, take: int) -> list[int]:
    """Positions of set bits, ascending, skipping the first `skip` and keeping `take` of them."""
    data = mask.to_bytes((size + 7) // 8 or 1, "little")
    chunk = 512  # bytes counted at once, so that skipping a long prefix stays cheap
    found: list[int] = []
    for start in range(0, len(data), chunk):
        block = data[start:start + chunk]
        count = int.from_bytes(block, "little").bit_count()
        if skip >= count:
            skip -= count
            continue
        for offset, byte in enumerate(block):
            while byte:
                low = byte & -byte
                if skip:
                    skip -= 1
                else:
                    found.append(((start + offset) << 3) + low.bit_length() - 1)
                    if len(found) == take:
                        return found
                byte ^= low
    return found


def first_in(order: list[int], mask: int, size: int, skip: int, take: int) -> list[int]:
    """The positions of `order` that are in the mask, skipping `skip` and keeping `take` of them."""
    allowed = MaskBytes.of(mask, size).data
    found: list[int] = []
    for position in order:
        if allowed[position >> 3] >> (position & 7) & 1:
            if skip:
                skip -= 1
                continue
            found.append(position)
            if len(found) == take:
                break
    return found


@dataclass
class FacetIndex:
    token: str | None
    film_ids: list[int]  # position -> film id; positions follow the folded title order
    positions: dict[int, int]  # film id -> position
    bits: dict[str, dict[str, int]] = field(default_factory=dict)  # facet -> value -> bitset
    by_year: list[int] = field(default_factory=list)  # positions, newest film first
    year_rank: list[int] = field(default_factory=list)  # position -> its place in by_year
    subject_labels: dict[str, str] = field(default_factory=dict)

    @property
    def size(self) -> int:
        return len(self.film_ids)

    def any_of(self, facet: str, values: Iterable[str]) -> int:
        bits = self.bits.get(facet, {})
        mask = 0
        for value in values:
            mask |= bits.get(value, 0)
        return mask

    def counts(self, facet: str, mask: int) -> Iterator[tuple[str, int]]:
        for value, bits in self.bits.get(facet, {}).items():
            count = (bits & mask).bit_count()
            if count:
                yield value, count


def build(session: Session, token: str | None) -> FacetIndex:
    films = session.exec(
        select(Film.id, Film.title, Film.status, Film.year, Film.duration_minutes, Film.has_sme_captions,
               Film.has_audio_description, Film.has_lsf)
    ).all()
    films = sorted(films, key=lambda row: (fold(row.title), row.id))
    film_ids = [row.id for row in films]
    positions = {film_id: position for position, film_id in enumerate(film_ids)}
    collected: dict[str, dict[str, list[int]]] = defaultdict(lambda: defaultdict(list))
    for position, row in enumerate(films):
        collected["status"][row.status].append(position)
        if row.year is not None:
            collected["decade"][str(row.year // 10 * 10)].append(position)
        band = duration_band(row.duration_minutes)
        if band:
            collected["duration"][band].append(position)
        for flag, present in zip(ACCESS_FLAGS, (row.has_sme_captions, row.has_audio_description, row.has_lsf),
                                 strict=True):
            if present:
                collected["access"][flag].append(position)
    relations = (("subject", FilmSubject, FilmSubject.subject_id), ("country", FilmCountry, FilmCountry.code),
                 ("language", FilmLanguage, FilmLanguage.code))
    for facet, model, column in relations:
        for film_id, value in session.exec(select(model.film_id, column)).all():
            position = positions.get(film_id)
            if position is not None:
                collected[facet][str(value)].append(position)
    size = len(film_ids)
    index = FacetIndex(token=token, film_ids=film_ids, positions=positions)
    index.by_year = sorted(range(size), key=lambda position: (-(films[position].year or 0), position))
    index.year_rank = [0] * size
    for rank, position in enumerate(index.by_year):
        index.year_rank[position] = rank
    index.bits = {facet: {value: bitset(found, size) for value, found in values.items()}
                  for facet, values in collected.items()}
    labels = session.exec(select(Subject.id, Subject.label)).all()
    index.subject_labels = {str(subject_id): label for subject_id, label in labels}
    return index


_indexes: weakref.WeakKeyDictionary[Engine, FacetIndex] = weakref.WeakKeyDictionary()
_lock = threading.Lock()


def current_token(session: Session) -> str | None:
    return session.exec(select(CatalogueRevision.token).where(CatalogueRevision.id == 1)).first()


def current_index(session: Session) -> FacetIndex:
    """This process's index, rebuilt first if the catalogue changed since it was built.

    An index built inside a transaction that changed films carries that transaction's new token, which no other
    session sees until the commit: if the transaction rolls back, the others simply rebuild.
    """
    engine = session.get_bind().engine
    token = current_token(session)
    cached = _indexes.get(engine)
    if cached is not None and cached.token == token and token is not None:
        return cached
    with _lock:
        cached = _indexes.get(engine)
        if cached is None or cached.token != token or token is None:
            cached = build(session, token)
            _indexes[engine] = cached
        return cached


def mark_changed(session: Session) -> None:
    """Give the catalogue a new revision token; every process rebuilds its index at its next search."""
    revision = session.get(CatalogueRevision, 1)
    if revision is None:
        session.add(CatalogueRevision(id=1, token=uuid.uuid4().hex))
    else:
        revision.token = uuid.uuid4().hex
        session.add(revision)
    session.flush()
