"""Loading many films at once (the demo network, benchmarks, catalogue imports) with batched inserts."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Protocol

from sqlalchemy import insert
from sqlmodel import Session, select

from catalogue.films import search
from catalogue.films.models import Credit, Film, FilmCountry, FilmLanguage, FilmStatus, FilmSubject, Person, Subject

BATCH = 1000


class CreditLike(Protocol):
    name: str
    role: str


class FilmLike(Protocol):
    """What a film to load must offer; catalogue.films.demo.FilmSeed is one."""

    title: str
    original_title: str | None
    year: int
    duration_minutes: int
    synopsis: str
    countries: Sequence[str]
    languages: Sequence[str]
    subjects: Sequence[str]
    credits: Sequence[CreditLike]
    age_advice: str
    has_sme_captions: bool
    has_audio_description: bool
    has_lsf: bool
    isan: str | None
    national_number: str


def load_films(
    session: Session,
    seeds: Sequence[FilmLike],
    statuses: Sequence[str] | None = None,
    progress: Callable[[int], None] | None = None,
) -> list[int]:
    """Insert the films with their people, subjects, countries and languages; return their ids in order."""
    subject_ids = dict(session.exec(select(Subject.label, Subject.id)).all())
    for label in sorted({label for seed in seeds for label in seed.subjects} - subject_ids.keys()):
        subject = Subject(label=label)
        session.add(subject)
        session.flush()
        subject_ids[label] = subject.id
    people = dict(session.exec(select(Person.name, Person.id)).all())
    new_names = sorted({credit.name for seed in seeds for credit in seed.credits} - people.keys())
    for start in range(0, len(new_names), BATCH):
        session.execute(insert(Person), [{"name": name} for name in new_names[start:start + BATCH]])
    if new_names:
        people = dict(session.exec(select(Person.name, Person.id)).all())
    film_ids: list[int] = []
    for start in range(0, len(seeds), BATCH):
        chunk = seeds[start:start + BATCH]
        chunk_statuses = statuses[start:start + BATCH] if statuses else [FilmStatus.AVAILABLE.value] * len(chunk)
        ids = []
        for seed, status in zip(chunk, chunk_statuses, strict=True):
            film = Film(
                title=seed.title, original_title=seed.original_title, year=seed.year,
                duration_minutes=seed.duration_minutes, synopsis=seed.synopsis, age_advice=seed.age_advice,
                has_sme_captions=seed.has_sme_captions, has_audio_description=seed.has_audio_description,
                has_lsf=seed.has_lsf, isan=seed.isan, national_number=seed.national_number, status=status,
            )
            session.add(film)
            ids.append(film)
        session.flush()
        chunk_ids = [film.id for film in ids]
        credits, subjects, countries, languages = [], [], [], []
        for film_id, seed in zip(chunk_ids, chunk, strict=True):
            seen: set[tuple[int, str]] = set()
            for position, credit in enumerate(seed.credits):
                key = (people[credit.name], str(credit.role))
                if key not in seen:
                    seen.add(key)
                    credits.append({"film_id": film_id, "person_id": key[0], "role": key[1], "position": position})
            subjects += [{"film_id": film_id, "subject_id": subject_ids[label]}
                         for label in dict.fromkeys(seed.subjects)]
            countries += [{"film_id": film_id, "code": code} for code in dict.fromkeys(seed.countries)]
            languages += [{"film_id": film_id, "code": code} for code in dict.fromkeys(seed.languages)]
        for model, rows in ((Credit, credits), (FilmSubject, subjects), (FilmCountry, countries),
                            (FilmLanguage, languages)):
            if rows:
                session.execute(insert(model), rows)
        search.index_films(session, chunk_ids)
        film_ids += chunk_ids
        if progress:
            progress(len(chunk))
        session.expunge_all()
    return film_ids

