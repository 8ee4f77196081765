"""Full-text, accent-insensitive film search with facets: FTS5 on SQLite, a French tsvector on PostgreSQL."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from sqlalchemy import Integer, String, and_, case, column, func, literal_column, or_, table, text
from sqlalchemy.sql import ColumnElement, Select
from sqlmodel import Session, col, select

from catalogue.models import Credit, Film, FilmCountry, FilmLanguage, FilmStatus, FilmSubject, Person, Subject
from catalogue.schemas import FacetValue, FilmSummary
from catalogue.summaries import summaries
from cinedoc.errors import InvalidInput
from cinedoc.i18n import country_name, language_name, translate

MAX_TOKENS = 12
MAX_QUERY_LENGTH = 200
MAX_PER_PAGE = 100

# Duration bands patrons think in: a short, a TV-length documentary, a feature, a long film.
DURATION_BANDS: dict[str, tuple[int, int]] = {
    "short": (0, 39),
    "medium": (40, 69),
    "feature": (70, 119),
    "long": (120, 100_000),
}
ACCESSIBILITY = {"sme": Film.has_sme_captions, "ad": Film.has_audio_description, "lsf": Film.has_lsf}

_fts = table("film_fts", column("rowid", Integer), column("document", String), column("rank"))
_pg_search = table("film_search", column("film_id", Integer), column("document"))


def fold(value: str) -> str:
    """Lower case without accents, so that 'cinema' and 'cinéma' are one word to the index."""
    decomposed = unicodedata.normalize("NFKD", value.casefold())
    return "".join(char for char in decomposed if not unicodedata.combining(char))


def tokens(query: str) -> list[str]:
    return re.findall(r"\w+", fold(query))[:MAX_TOKENS]


@dataclass(frozen=True)
class SearchQuery:
    text: str = ""
    subjects: tuple[int, ...] = ()
    decades: tuple[int, ...] = ()
    countries: tuple[str, ...] = ()
    languages: tuple[str, ...] = ()
    accessibility: tuple[str, ...] = ()
    durations: tuple[str, ...] = ()
    statuses: tuple[str, ...] = (FilmStatus.AVAILABLE.value,)
    page: int = 1
    per_page: int = 24
    with_facets: bool = True


@dataclass
class SearchPage:
    query: SearchQuery
    total: int
    results: list[FilmSummary]
    facets: dict[str, list[FacetValue]] = field(default_factory=dict)


def _ints(params: Mapping[str, Sequence[str]], key: str, label: str) -> tuple[int, ...]:
    values = []
    for raw in params.get(key, ()):
        if not raw.strip():
            continue
        if not raw.strip().isdigit():
            raise InvalidInput("The {label} filter expects a number, not '{value}'.", field=key, label=label,
                               value=raw[:40])
        values.append(int(raw))
    return tuple(values)


def _choices(params: Mapping[str, Sequence[str]], key: str, allowed: Sequence[str] | None,
             transform: type[str] | None = None) -> tuple[str, ...]:
    values = tuple(v.strip() for v in params.get(key, ()) if v.strip())
    if transform is not None:
        values = tuple(transform(v) for v in values)
    if allowed is not None:
        wrong = [v for v in values if v not in allowed]
        if wrong:
            raise InvalidInput("Unknown value for {key}: '{value}' (expected one of: {allowed}).", field=key,
                               key=key, value=wrong[0][:40], allowed=", ".join(allowed))
    return values


def parse_search_query(params: Mapping[str, Sequence[str]], *, staff: bool = False) -> SearchQuery:
    """Turn query-string parameters into a SearchQuery, refusing malformed ones with a clear message."""
    text_query = " ".join(params.get("q", ()))
    if len(text_query) > MAX_QUERY_LENGTH:
        raise InvalidInput("The search text is limited to {n} characters.", field="q", n=MAX_QUERY_LENGTH)
    decades = _ints(params, "decade", "decade")
    if any(decade % 10 or not 1890 <= decade <= 2100 for decade in decades):
        raise InvalidInput("A decade is written like 1990.", field="decade")
    countries = _choices(params, "country", None)
    if any(not re.fullmatch(r"[A-Za-z]{2}", code) for code in countries):
        raise InvalidInput("A country is a two-letter ISO 3166 code, like FR.", field="country")
    languages = _choices(params, "language", None)
    if any(not re.fullmatch(r"[a-z]{2,3}", code) for code in languages):
        raise InvalidInput("A language is an ISO 639 code, like fr.", field="language")
    page = _ints(params, "page", "page") or (1,)
    per_page = _ints(params, "per_page", "per_page") or (24,)
    if page[0] < 1 or page[0] > 10_000:
        raise InvalidInput("The page number must be between 1 and 10000.", field="page")
    if not 1 <= per_page[0] <= MAX_PER_PAGE:
        raise InvalidInput("per_page must be between 1 and {n}.", field="per_page", n=MAX_PER_PAGE)
    statuses = (FilmStatus.AVAILABLE.value,)
    if staff:
        statuses = _choices(params, "status", [s.value for s in FilmStatus]) or tuple(s.value for s in FilmStatus)
    return SearchQuery(
        text=text_query.strip(),
        subjects=_ints(params, "subject", "subject"),
        decades=decades,
        countries=tuple(code.upper() for code in countries),
        languages=languages,
        accessibility=_choices(params, "access", list(ACCESSIBILITY)),
        durations=_choices(params, "duration", list(DURATION_BANDS)),
        statuses=statuses,
        page=page[0],
        per_page=per_page[0],
        with_facets=params.get("facets", ("1",))[-1] not in ("0", "false", "no"),
    )


def _document(title: str, original_title: str | None, synopsis: str, names: Sequence[str],
              subjects: Sequence[str]) -> tuple[str, str]:
    heading = fold(" ".join(filter(None, [title, original_title])))
    body = fold(" ".join([synopsis, *names, *subjects]))
    return heading, body


def index_films(session: Session, film_ids: Sequence[int]) -> None:
    """(Re)write the search documents of these films; called by every service that changes a film."""
    if not film_ids:
        return
    films = session.exec(select(Film).where(col(Film.id).in_(film_ids))).all()
    names: dict[int, list[str]] = {}
    for film_id, name in session.exec(
        select(Credit.film_id, Person.name).join(Person, col(Person.id) == Credit.person_id)
        .where(col(Credit.film_id).in_(film_ids))
    ).all():
        names.setdefault(film_id, []).append(name)
    subjects: dict[int, list[str]] = {}
    for film_id, label in session.exec(
        select(FilmSubject.film_id, Subject.label).join(Subject, col(Subject.id) == FilmSubject.subject_id)
        .where(col(FilmSubject.film_id).in_(film_ids))
    ).all():
        subjects.setdefault(film_id, []).append(label)
    rows = []
    for film in films:
        assert film.id is not None
        heading, body = _document(film.title, film.original_title, film.synopsis, names.get(film.id, []),
                                  subjects.get(film.id, []))
        rows.append({"film_id": film.id, "heading": heading, "body": body})
    if session.get_bind().dialect.name == "sqlite":
        session.execute(text("DELETE FROM film_fts WHERE rowid = :film_id"), [{"film_id": i} for i in film_ids])
        session.execute(
            text("INSERT INTO film_fts(rowid, heading, body) VALUES (:film_id, :heading, :body)"), rows
        )
    else:
        session.execute(
            text(
                "INSERT INTO film_search (film_id, document) VALUES (:film_id, "
                "setweight(to_tsvector('french', :heading), 'A') || setweight(to_tsvector('french', :body), 'B')) "
                "ON CONFLICT (film_id) DO UPDATE SET document = excluded.document"
            ),
            rows,
        )


def _filters(query: SearchQuery) -> list[ColumnElement[bool]]:
    conditions: list[ColumnElement[bool]] = [col(Film.status).in_(query.statuses)]
    if query.subjects:
        conditions.append(col(Film.id).in_(
            select(FilmSubject.film_id).where(col(FilmSubject.subject_id).in_(query.subjects))))
    if query.countries:
        conditions.append(col(Film.id).in_(
            select(FilmCountry.film_id).where(col(FilmCountry.code).in_(query.countries))))
    if query.languages:
        conditions.append(col(Film.id).in_(
            select(FilmLanguage.film_id).where(col(FilmLanguage.code).in_(query.languages))))
    if query.decades:
        conditions.append(or_(*(and_(col(Film.year) >= d, col(Film.year) <= d + 9) for d in query.decades)))
    for key in query.accessibility:
        conditions.append(col(ACCESSIBILITY[key]).is_(True))
    if query.durations:
        conditions.append(or_(*(
            and_(col(Film.duration_minutes) >= DURATION_BANDS[band][0],
                 col(Film.duration_minutes) <= DURATION_BANDS[band][1])
            for band in query.durations
        )))
    return conditions


def _text_match(session: Session, words: list[str]) -> tuple[ColumnElement[bool], ColumnElement[float]]:
    """A condition on Film.id and a relevance score (lower is better) for the words typed."""
    if session.get_bind().dialect.name == "sqlite":
        expression = " ".join(f'"{word}"*' for word in words)
        matching = select(_fts.c.rowid).where(text("film_fts MATCH :fts").bindparams(fts=expression))
        # bm25 is already "lower is better"; title matches weigh ten times a synopsis match.
        score = (
            select(func.bm25(literal_column("film_fts"), 10.0, 1.0))
            .select_from(_fts)
            .where(_fts.c.rowid == Film.id, text("film_fts MATCH :fts").bindparams(fts=expression))
            .scalar_subquery()
        )
        return col(Film.id).in_(matching), score
    expression = " & ".join(f"{word}:*" for word in words)
    tsquery = func.to_tsquery(literal_column("'french'"), expression)
    matching = select(_pg_search.c.film_id).where(_pg_search.c.document.op("@@")(tsquery))
    score = -(
        select(func.ts_rank(_pg_search.c.document, tsquery)).where(_pg_search.c.film_id == Film.id).scalar_subquery()
    )
    return col(Film.id).in_(matching), score


def _facets(session: Session, matching: Select) -> dict[str, list[FacetValue]]:
    ids = matching.subquery()
    film_ids = select(ids.c.id)
    facets: dict[str, list[FacetValue]] = {}
    subject_rows = session.exec(
        select(Subject.id, Subject.label, func.count())
        .join(FilmSubject, col(FilmSubject.subject_id) == Subject.id)
        .where(col(FilmSubject.film_id).in_(film_ids))
        .group_by(col(Subject.id), col(Subject.label))
        .order_by(func.count().desc(), col(Subject.label))
    ).all()
    facets["subject"] = [FacetValue(value=str(i), label=label, count=n) for i, label, n in subject_rows]
    decade = (col(Film.year) // 10) * 10
    decade_rows = session.exec(
        select(decade, func.count()).where(col(Film.id).in_(film_ids), col(Film.year).is_not(None))
        .group_by(decade).order_by(decade)
    ).all()
    facets["decade"] = [
        FacetValue(value=str(d), label=translate("{decade}s", decade=d), count=n) for d, n in decade_rows
    ]
    for key, model, namer in (("country", FilmCountry, country_name), ("language", FilmLanguage, language_name)):
        rows = session.exec(
            select(model.code, func.count()).where(col(model.film_id).in_(film_ids))
            .group_by(col(model.code)).order_by(func.count().desc(), col(model.code)).limit(20)
        ).all()
        facets[key] = [FacetValue(value=code, label=namer(code), count=n) for code, n in rows]
    sums = session.exec(
        select(*(func.sum(case((col(flag).is_(True), 1), else_=0)) for flag in ACCESSIBILITY.values()))
        .where(col(Film.id).in_(film_ids))
    ).one()
    labels = {"sme": translate("SME captions"), "ad": translate("Audio description"),
              "lsf": translate("French Sign Language")}
    facets["access"] = [
        FacetValue(value=key, label=labels[key], count=int(n or 0)) for key, n in zip(ACCESSIBILITY, sums, strict=True)
        if n
    ]
    band = case(
        *((and_(col(Film.duration_minutes) >= low, col(Film.duration_minutes) <= high), name)
          for name, (low, high) in DURATION_BANDS.items()),
        else_=None,
    )
    band_counts = dict(session.exec(
        select(band, func.count()).where(col(Film.id).in_(film_ids)).group_by(band)
    ).all())
    band_labels = {"short": translate("Under 40 min"), "medium": translate("40 to 69 min"),
                   "feature": translate("70 min to 2 h"), "long": translate("2 h and more")}
    facets["duration"] = [
        FacetValue(value=name, label=band_labels[name], count=band_counts[name])
        for name in DURATION_BANDS if band_counts.get(name)
    ]
    return facets


def search_films(session: Session, query: SearchQuery) -> SearchPage:
    conditions = _filters(query)
    words = tokens(query.text)
    order: list[ColumnElement] = []
    if words:
        match, score = _text_match(session, words)
        conditions.append(match)
        order.append(score)
    order += [col(Film.title), col(Film.id)]
    matching = select(Film.id).where(*conditions)
    total = session.exec(select(func.count()).select_from(matching.subquery())).one()
    films = session.exec(
        select(Film).where(*conditions).order_by(*order)
        .offset((query.page - 1) * query.per_page).limit(query.per_page)
    ).all()
    facets = _facets(session, matching) if query.with_facets else {}
    return SearchPage(query=query, total=total, results=summaries(session, films), facets=facets)
