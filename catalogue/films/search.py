"""Full-text, accent-insensitive film search with facets: FTS5 on SQLite, a French tsvector on PostgreSQL."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from sqlalchemy import text
from sqlmodel import Session, col, select

from catalogue.films import facet_index
from catalogue.films.facet_index import ACCESS_FLAGS, DURATION_BANDS, MaskBytes, fold, positions_in_order
from catalogue.films.models import Credit, Film, FilmStatus, FilmSubject, Person, Subject
from catalogue.films.schemas import FacetValue, FilmSummary
from catalogue.films.summaries import summaries
from cinedoc.kernel.errors import InvalidInput
from cinedoc.kernel.i18n import country_name, language_name, translate

MAX_TOKENS = 12
MAX_QUERY_LENGTH = 200
MAX_PER_PAGE = 100
SORTS = ("relevance", "title", "year")


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
    sort: str = "relevance"  # relevance (title order without words), title, or year (newest first)


@dataclass
class SearchPage:
    query: SearchQuery
    total: int
    results: list[FilmSummary]
    facets: dict[str, list[FacetValue]] = field(default_factory=dict)


def _ints(params: Mapping[str, Sequence[str]], key: str) -> tuple[int, ...]:
    values = []
    for raw in params.get(key, ()):
        if not raw.strip():
            continue
        if not raw.strip().isdigit():
            raise InvalidInput("The parameter {key} expects a whole number, not '{value}'.", field=key, key=key,
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
    decades = _ints(params, "decade")
    if any(decade % 10 or not 1890 <= decade <= 2100 for decade in decades):
        raise InvalidInput("A decade is written like 1990.", field="decade")
    countries = _choices(params, "country", None)
    if any(not re.fullmatch(r"[A-Za-z]{2}", code) for code in countries):
        raise InvalidInput("A country is a two-letter ISO 3166 code, like FR.", field="country")
    languages = _choices(params, "language", None)
    if any(not re.fullmatch(r"[a-z]{2,3}", code) for code in languages):
        raise InvalidInput("A language is an ISO 639 code, like fr.", field="language")
    page = _ints(params, "page") or (1,)
    per_page = _ints(params, "per_page") or (24,)
    if page[0] < 1 or page[0] > 10_000:
        raise InvalidInput("The page number must be between 1 and 10000.", field="page")
    if not 1 <= per_page[0] <= MAX_PER_PAGE:
        raise InvalidInput("per_page must be between 1 and {n}.", field="per_page", n=MAX_PER_PAGE)
    statuses = (FilmStatus.AVAILABLE.value,)
    if staff:
        statuses = _choices(params, "status", [s.value for s in FilmStatus]) or tuple(s.value for s in FilmStatus)
    return SearchQuery(
        text=text_query.strip(),
        subjects=_ints(params, "subject"),
        decades=decades,
        countries=tuple(code.upper() for code in countries),
        languages=languages,
        accessibility=_choices(params, "access", list(ACCESS_FLAGS)),
        durations=_choices(params, "duration", list(DURATION_BANDS)),
        statuses=statuses,
        page=page[0],
        per_page=per_page[0],
        with_facets=params.get("facets", ("1",))[-1] not in ("0", "false", "no"),
        sort=(_choices(params, "sort", SORTS) or ("relevance",))[-1],
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
                "INSERT INTO film_search (film_id, document, heading) VALUES (:film_id, "
                "setweight(to_tsvector('french', :heading), 'A') || setweight(to_tsvector('french', :body), 'B'), "
                "to_tsvector('french', :heading)) "
                "ON CONFLICT (film_id) DO UPDATE SET document = excluded.document, heading = excluded.heading"
            ),
            rows,
        )
    facet_index.mark_changed(session)


def _fetch_ids(session: Session, sql: str, expression: str) -> list[int]:
    # Thousands of ids for a short prefix: the driver's tuples are read directly, without SQLAlchemy rows.
    cursor = session.connection().connection.cursor()
    try:
        cursor.execute(sql, (expression,))
        return [row[0] for row in cursor.fetchall()]
    finally:
        cursor.close()


def _text_hits(session: Session, words: list[str]) -> tuple[list[int], list[int]]:
    """Ids of the films matching every word (as a prefix), and of those whose title matches.

    Relevance is "title matches first": scoring every match (bm25, ts_rank) costs four times the match itself
    on broad words, and a catalogue's readers expect the films named after what they typed on top.
    """
    if session.get_bind().dialect.name == "sqlite":
        expression = " ".join(f'"{word}"*' for word in words)
        every = "SELECT rowid FROM film_fts WHERE film_fts MATCH ?"
        titles = "SELECT rowid FROM film_fts WHERE film_fts MATCH ('heading : (' || ? || ')')"
        return _fetch_ids(session, every, expression), _fetch_ids(session, titles, expression)
    expression = " & ".join(f"{word}:*" for word in words)
    every = "SELECT film_id FROM film_search WHERE document @@ to_tsquery('french', %s)"
    titles = "SELECT film_id FROM film_search WHERE heading @@ to_tsquery('french', %s)"
    return _fetch_ids(session, every, expression), _fetch_ids(session, titles, expression)


def _facets(index: facet_index.FacetIndex, mask: int) -> dict[str, list[FacetValue]]:
    def values(facet: str) -> list[tuple[str, int]]:
        return list(index.counts(facet, mask))

    by_count = lambda pair: (-pair[1], pair[0])  # noqa: E731 - a sort key used four times
    access_labels = {"sme": translate("SME captions"), "ad": translate("Audio description"),
                     "lsf": translate("French Sign Language")}
    band_labels = {"short": translate("Under 40 min"), "medium": translate("40 to 69 min"),
                   "feature": translate("70 min to 2 h"), "long": translate("2 h and more")}
    subjects = sorted(values("subject"), key=lambda pair: (-pair[1], index.subject_labels.get(pair[0], "")))
    access = dict(values("access"))
    durations = dict(values("duration"))
    return {
        "subject": [FacetValue(value=v, label=index.subject_labels.get(v, v), count=n) for v, n in subjects],
        "decade": [FacetValue(value=v, label=translate("{decade}s", decade=int(v)), count=n)
                   for v, n in sorted(values("decade"), key=lambda pair: int(pair[0]))],
        "country": [FacetValue(value=v, label=country_name(v), count=n)
                    for v, n in sorted(values("country"), key=by_count)[:20]],
        "language": [FacetValue(value=v, label=language_name(v), count=n)
                     for v, n in sorted(values("language"), key=by_count)[:20]],
        "access": [FacetValue(value=v, label=access_labels[v], count=access[v]) for v in ACCESS_FLAGS if v in access],
        "duration": [FacetValue(value=v, label=band_labels[v], count=durations[v])
                     for v in DURATION_BANDS if v in durations],
    }


def search_films(session: Session, query: SearchQuery) -> SearchPage:
    index = facet_index.current_index(session)
    mask = index.any_of("status", query.statuses)
    for facet, chosen in (("subject", [str(s) for s in query.subjects]), ("decade", [str(d) for d in query.decades]),
                          ("country", query.countries), ("language", query.languages),
                          ("access", query.accessibility), ("duration", query.durations)):
        if chosen:
            mask &= index.any_of(facet, chosen)
    skip, take = (query.page - 1) * query.per_page, query.per_page
    words = tokens(query.text)
    if words:
        allowed = MaskBytes.of(mask, index.size).data
        # Inlined membership test: this loop runs once per matching film.
        every, in_titles = _text_hits(session, words)
        ranked = sorted(position for position in map(index.positions.get, every)
                        if position is not None and allowed[position >> 3] >> (position & 7) & 1)
        mask = facet_index.bitset(ranked, index.size)
        if query.sort == "relevance":
            # Positions follow the folded title order: title matches first, each group alphabetical.
            title_hits = MaskBytes.of(facet_index.bitset(
                (p for p in map(index.positions.get, in_titles) if p is not None), index.size), index.size).data
            ranked.sort(key=lambda position: not title_hits[position >> 3] >> (position & 7) & 1)
        elif query.sort == "year":
            ranked.sort(key=index.year_rank.__getitem__)
        page_ids = [index.film_ids[position] for position in ranked[skip:skip + take]]
    elif query.sort == "year":
        page_ids = [index.film_ids[position] for position in facet_index.first_in(index.by_year, mask, index.size,
                                                                                    skip, take)]
    else:
        page_ids = [index.film_ids[position] for position in positions_in_order(mask, index.size, skip, take)]
    films = {film.id: film for film in session.exec(select(Film).where(col(Film.id).in_(page_ids))).all()}
    ordered = [films[film_id] for film_id in page_ids if film_id in films]
    facets = _facets(index, mask) if query.with_facets else {}
    return SearchPage(query=query, total=mask.bit_count(), results=summaries(session, ordered), facets=facets)
