"""Catalogue rules: creating, editing and retiring films, and reading them back as public records."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from sqlalchemy import delete, func
from sqlmodel import Session, col, select

from catalogue.films import search
from catalogue.films.models import (
    Credit,
    CreditRole,
    Film,
    FilmCountry,
    FilmLanguage,
    FilmStatus,
    FilmSubject,
    Person,
    Subject,
)
from catalogue.films.schemas import CreditPublic, FilmCreate, FilmPublic, FilmUpdate, PersonPublic, SubjectPublic
from catalogue.films.summaries import summaries
from cinedoc.kernel.clock import utcnow
from cinedoc.kernel.errors import Conflict, InvalidInput, NotFound

_SCALAR_FIELDS = (
    "title", "original_title", "year", "duration_minutes", "synopsis", "age_advice", "has_sme_captions",
    "has_audio_description", "has_lsf", "isan", "national_number", "poster_url", "trailer_url", "status",
)


def _check_identifiers_free(session: Session, data: FilmCreate | FilmUpdate, film_id: int | None) -> None:
    for field in ("isan", "national_number"):
        value = getattr(data, field)
        if not value:
            continue
        column = getattr(Film, field)
        other = session.exec(select(Film.id).where(column == value, col(Film.id) != film_id)).first()
        if other is not None:
            raise Conflict("Film {other} already has the identifier {value}.", field=field, other=other, value=value)


def _subject_ids(session: Session, labels: Sequence[str]) -> list[int]:
    if not labels:
        return []
    wanted = list(dict.fromkeys(labels))
    rows = session.exec(select(Subject.id, Subject.label).where(col(Subject.label).in_(wanted))).all()
    found = {label: subject_id for subject_id, label in rows}
    unknown = [label for label in wanted if label not in found]
    if unknown:
        raise InvalidInput("Unknown subject(s): {labels}.", field="subjects", labels=", ".join(unknown))
    return [found[label] for label in wanted]


def _people_ids(session: Session, names: Iterable[str]) -> dict[str, int]:
    names = list(dict.fromkeys(names))
    if not names:
        return {}
    existing = dict(session.exec(select(Person.name, Person.id).where(col(Person.name).in_(names))).all())
    for name in names:
        if name not in existing:
            person = Person(name=name)
            session.add(person)
            session.flush()
            assert person.id is not None
            existing[name] = person.id
    return existing


def _credit_pairs(data: FilmCreate | FilmUpdate) -> list[tuple[str, str]]:
    pairs = [(name, CreditRole.DIRECTOR.value) for name in data.directors]
    pairs += [(credit.name, credit.role.value) for credit in data.credits]
    return list(dict.fromkeys(pairs))


def _write_relations(session: Session, film_id: int, data: FilmCreate | FilmUpdate, subject_ids: list[int]) -> None:
    for table in (Credit, FilmSubject, FilmCountry, FilmLanguage):
        session.exec(delete(table).where(table.film_id == film_id))  # type: ignore[call-overload]
    pairs = _credit_pairs(data)
    people = _people_ids(session, (name for name, _ in pairs))
    session.add_all(
        Credit(film_id=film_id, person_id=people[name], role=role, position=position)
        for position, (name, role) in enumerate(pairs)
    )
    session.add_all(FilmSubject(film_id=film_id, subject_id=subject_id) for subject_id in subject_ids)
    session.add_all(FilmCountry(film_id=film_id, code=code) for code in data.countries)
    session.add_all(FilmLanguage(film_id=film_id, code=code) for code in data.languages)
    session.flush()


def create_film(session: Session, data: FilmCreate) -> Film:
    _check_identifiers_free(session, data, None)
    subject_ids = _subject_ids(session, data.subjects)
    film = Film(**{field: getattr(data, field) for field in _SCALAR_FIELDS})
    film.status = data.status.value
    session.add(film)
    session.flush()
    assert film.id is not None
    _write_relations(session, film.id, data, subject_ids)
    search.index_films(session, [film.id])
    return film


def get_film(session: Session, film_id: int, *, public: bool = False) -> Film:
    film = session.get(Film, film_id)
    # Patrons see neither drafts nor weeded films; the page answers as if the film did not exist.
    if film is None or (public and film.status != FilmStatus.AVAILABLE):
        raise NotFound("No film number {film_id}.", film_id=film_id)
    return film


def update_film(session: Session, film_id: int, data: FilmUpdate) -> Film:
    film = get_film(session, film_id)
    if film.status == FilmStatus.WEEDED and data.status != FilmStatus.WEEDED:
        # Bringing a weeded film back is a rights decision (a new licence), not an edit.
        raise Conflict("Film {film_id} is weeded; it comes back with a new licence.", film_id=film_id)
    if film.status != FilmStatus.WEEDED and data.status == FilmStatus.WEEDED:
        raise InvalidInput("A film is weeded by retiring it, with a reason.", field="status")
    _check_identifiers_free(session, data, film_id)
    subject_ids = _subject_ids(session, data.subjects)
    for field in _SCALAR_FIELDS:
        setattr(film, field, getattr(data, field))
    film.status = data.status.value
    film.updated_at = utcnow()
    session.add(film)
    _write_relations(session, film_id, data, subject_ids)
    search.index_films(session, [film_id])
    return film


def retire_film(session: Session, film_id: int, reason: str, actor_id: int | None) -> Film:
    film = get_film(session, film_id)
    if len(reason.strip()) < 3:
        raise InvalidInput("Say why this film is retired.", field="reason")
    if film.status == FilmStatus.WEEDED:
        raise Conflict("Film {film_id} is already weeded.", film_id=film_id)
    film.status = FilmStatus.WEEDED.value
    film.retired_at = utcnow()
    film.retired_reason = reason
    film.retired_by_id = actor_id
    film.updated_at = film.retired_at
    session.add(film)
    session.flush()
    search.index_films(session, [film_id])
    return film


def film_record(session: Session, film: Film) -> FilmPublic:
    assert film.id is not None
    credits = session.exec(
        select(Person.name, Credit.role).join(Person, col(Person.id) == Credit.person_id)
        .where(Credit.film_id == film.id).order_by(col(Credit.position))
    ).all()
    subjects = session.exec(
        select(Subject.label).join(FilmSubject, col(FilmSubject.subject_id) == Subject.id)
        .where(FilmSubject.film_id == film.id).order_by(col(Subject.label))
    ).all()
    countries = session.exec(select(FilmCountry.code).where(FilmCountry.film_id == film.id)).all()
    languages = session.exec(select(FilmLanguage.code).where(FilmLanguage.film_id == film.id)).all()
    summary = summaries(session, [film])[0]
    return FilmPublic(
        **summary.model_dump(),
        synopsis=film.synopsis, age_advice=film.age_advice, isan=film.isan, national_number=film.national_number,
        trailer_url=film.trailer_url,
        credits=[CreditPublic(name=name, role=role) for name, role in credits],
        subjects=list(subjects), countries=list(countries), languages=list(languages),
        created_at=film.created_at, updated_at=film.updated_at, retired_at=film.retired_at,
        retired_reason=film.retired_reason,
    )


def list_subjects(session: Session) -> list[SubjectPublic]:
    rows = session.exec(
        select(Subject.id, Subject.label, func.count(col(FilmSubject.film_id)))
        .outerjoin(FilmSubject, col(FilmSubject.subject_id) == Subject.id)
        .group_by(col(Subject.id), col(Subject.label))
        .order_by(col(Subject.label))
    ).all()
    return [SubjectPublic(id=subject_id, label=label, film_count=count) for subject_id, label, count in rows]


def ensure_subjects(session: Session, labels: Iterable[str]) -> None:
    existing = set(session.exec(select(Subject.label)).all())
    session.add_all(Subject(label=label) for label in dict.fromkeys(labels) if label not in existing)
    session.flush()


def create_subject(session: Session, label: str) -> SubjectPublic:
    if session.exec(select(Subject.id).where(func.lower(Subject.label) == label.lower())).first() is not None:
        raise Conflict("The subject {label} already exists.", field="label", label=label)
    subject = Subject(label=label)
    session.add(subject)
    session.flush()
    assert subject.id is not None
    return SubjectPublic(id=subject.id, label=subject.label, film_count=0)


def find_people(session: Session, name_start: str, limit: int = 20) -> list[PersonPublic]:
    """People whose name starts with the text typed (for the credit fields' suggestions)."""
    # Wildcards typed by the user are literal characters, not patterns.
    escaped = name_start.strip().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    rows = session.exec(
        select(Person.id, Person.name, func.count(col(Credit.film_id).distinct()))
        .outerjoin(Credit, col(Credit.person_id) == Person.id)
        .where(col(Person.name).ilike(escaped + "%", escape="\\"))
        .group_by(col(Person.id), col(Person.name))
        .order_by(col(Person.name))
        .limit(limit)
    ).all()
    return [PersonPublic(id=person_id, name=name, film_count=count) for person_id, name, count in rows]
