"""Short film records for lists and search results, with their directors fetched in one query."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence

from sqlmodel import Session, col, select

from catalogue.films.models import Credit, CreditRole, Film, Person
from catalogue.films.schemas import FilmSummary


def directors_by_film(session: Session, film_ids: Sequence[int]) -> dict[int, list[str]]:
    names: dict[int, list[str]] = defaultdict(list)
    if not film_ids:
        return names
    rows = session.exec(
        select(Credit.film_id, Person.name)
        .join(Person, col(Person.id) == Credit.person_id)
        .where(col(Credit.film_id).in_(film_ids), Credit.role == CreditRole.DIRECTOR.value)
        .order_by(col(Credit.film_id), col(Credit.position))
    ).all()
    for film_id, name in rows:
        names[film_id].append(name)
    return names


def summaries(session: Session, films: Sequence[Film]) -> list[FilmSummary]:
    directors = directors_by_film(session, [film.id for film in films if film.id is not None])
    return [
        FilmSummary(
            id=film.id or 0, title=film.title, original_title=film.original_title, year=film.year,
            duration_minutes=film.duration_minutes, directors=directors.get(film.id or 0, []),
            has_sme_captions=film.has_sme_captions, has_audio_description=film.has_audio_description,
            has_lsf=film.has_lsf, poster_url=film.poster_url, status=film.status,
        )
        for film in films
    ]
