"""Properties of the generated demo and benchmark catalogue of documentaries."""

from __future__ import annotations

import re
import time
import unicodedata
from collections import Counter
from collections.abc import Callable

import pytest

from catalogue.films.demo import (
    AGE_ADVICE,
    CREDIT_ROLES,
    SUBJECTS,
    CreditSeed,
    FilmSeed,
    generate_films,
    isan_is_valid,
)

DEMO = 480
BENCH = 30_000
CJK = re.compile(r"[\u3040-\u30ff\u4e00-\u9fff]")


@pytest.fixture(scope="module")
def demo() -> list[FilmSeed]:
    return generate_films(DEMO)


@pytest.fixture(scope="module")
def bench() -> list[FilmSeed]:
    return generate_films(BENCH, seed=30_000)


def share(films: list[FilmSeed], predicate: Callable[[FilmSeed], bool]) -> float:
    return sum(1 for film in films if predicate(film)) / len(films)


def fold(text: str) -> str:
    """Accent-insensitive form, as a search box would compare words."""
    return "".join(c for c in unicodedata.normalize("NFD", text.lower()) if not unicodedata.combining(c))


# --- determinism and API ---------------------------------------------------


def test_same_count_and_seed_give_the_same_catalogue(demo: list[FilmSeed]) -> None:
    assert generate_films(DEMO) == demo


def test_another_seed_gives_another_catalogue(demo: list[FilmSeed]) -> None:
    other = generate_films(DEMO, seed=7)
    assert [film.title for film in other] != [film.title for film in demo]


def test_a_shorter_catalogue_is_a_prefix_of_a_longer_one(demo: list[FilmSeed]) -> None:
    assert generate_films(1_000)[:DEMO] == demo


def test_count_is_honoured_and_validated() -> None:
    assert generate_films(0) == []
    assert len(generate_films(3)) == 3
    with pytest.raises(ValueError):
        generate_films(-1)


def test_seeds_are_frozen_dataclasses_with_tuples(demo: list[FilmSeed]) -> None:
    film = demo[0]
    with pytest.raises(AttributeError):
        film.title = "Autre chose"  # type: ignore[misc]
    for film in demo:
        for value in (film.countries, film.languages, film.subjects, film.credits):
            assert isinstance(value, tuple)
        assert all(isinstance(credit, CreditSeed) for credit in film.credits)


# --- titles ----------------------------------------------------------------


def test_titles_and_national_numbers_are_unique_at_benchmark_scale(bench: list[FilmSeed]) -> None:
    assert len({film.title for film in bench}) == BENCH
    assert len({film.national_number for film in bench}) == BENCH


def test_titles_are_never_numbered(bench: list[FilmSeed]) -> None:
    for film in bench:
        assert not re.search(r"(?i)\b(film|documentaire|titre|episode|épisode)\s*\d+\b", film.title)
        if re.search(r"\d", film.title):
            # Digits only appear in the rare "— Lisbonne 1974" disambiguation, as a year after a place.
            assert re.fullmatch(r".+ — [^\d—]+ (19[6-9]\d|20[0-2]\d)", film.title), film.title
            assert film.title.endswith(str(film.year))
    disambiguated = share(bench, lambda film: " — " in film.title)
    assert disambiguated < 0.01


def test_titles_look_like_french_titles(bench: list[FilmSeed]) -> None:
    for film in bench:
        assert film.title == film.title.strip() and "  " not in film.title
        assert film.title[0].isupper(), film.title
        assert "{" not in film.title and "}" not in film.title
    # A rich vocabulary: first words vary widely instead of repeating one pattern, and, as in real
    # catalogues, not every title opens on a definite article.
    first_words = Counter(re.split(r"[ ']", film.title)[0] for film in bench)
    assert len(first_words) > 300
    assert first_words.most_common(1)[0][1] / BENCH < 0.25
    articles = sum(first_words[word] for word in ("Le", "La", "Les", "L"))
    assert articles / BENCH < 0.6


def test_some_well_formed_french_titles_exist(bench: list[FilmSeed]) -> None:
    titles = {film.title for film in bench}
    patterns = [
        r"Les [A-ZÉ]\w+ (de|du|des|d')\b.*",  # "Les Mains de la terre"
        r"(Après|Avant|Pendant|Depuis) .+",  # "Après la marée"
        r"Chronique d'une? .+",  # "Chronique d'un été ordinaire"
        r"Nous, les .+",  # "Nous, les ouvrières"
        r"Le Dernier [A-ZÉ]\w+.*",  # "Le Dernier Passeur"
        r"Retour (à|au|aux|en|dans) .+",  # "Retour à Tombouctou"
        r"(Ceux|Celles) (du|de|des|d'|qui) ?.+",  # "Ceux du fleuve"
    ]
    for pattern in patterns:
        assert any(re.fullmatch(pattern, title) for title in titles), pattern


def test_foreign_films_have_an_original_title_in_their_language(bench: list[FilmSeed]) -> None:
    foreign = [film for film in bench if film.original_title is not None]
    assert 0.2 < len(foreign) / BENCH < 0.4
    for film in foreign:
        assert film.original_title != film.title
        assert film.languages[0] != "fr"
        if film.languages[0] == "ja":
            assert CJK.search(film.original_title or ""), film.original_title
        else:
            assert not CJK.search(film.original_title or "")
    for film in bench:
        if film.original_title is None:
            assert "fr" in film.languages
    original_languages = {film.languages[0] for film in foreign}
    assert {"en", "de", "es", "it", "pt", "ja"} <= original_languages


# --- attributes -----------------------------------------------------------


def test_values_stay_within_their_ranges(bench: list[FilmSeed]) -> None:
    for film in bench:
        assert 1960 <= film.year <= 2025
        assert 20 <= film.duration_minutes <= 180
        assert film.age_advice in AGE_ADVICE
        assert 1 <= len(film.subjects) <= 3
        assert len(set(film.subjects)) == len(film.subjects)
        assert set(film.subjects) <= set(SUBJECTS)
        assert film.countries and all(re.fullmatch(r"[A-Z]{2}", code) for code in film.countries)
        assert len(set(film.countries)) == len(film.countries)
        assert film.languages and all(re.fullmatch(r"[a-z]{2}", code) for code in film.languages)
        assert re.fullmatch(r"BPI-DOC-\d{6}", film.national_number)


def test_subject_and_age_vocabularies() -> None:
    assert 28 <= len(SUBJECTS) <= 36
    assert len(set(SUBJECTS)) == len(SUBJECTS)
    for label in ("Cinéma", "Écologie", "Histoire", "Travail", "Migrations", "Monde rural", "Droits humains"):
        assert label in SUBJECTS
    assert AGE_ADVICE == ("Tous publics", "À partir de 10 ans", "À partir de 12 ans", "À partir de 16 ans")


def test_isans_are_valid_and_unique(bench: list[FilmSeed]) -> None:
    isans = [film.isan for film in bench if film.isan is not None]
    assert 0.3 < len(isans) / BENCH < 0.5
    assert len(set(isans)) == len(isans)
    for isan in isans:
        assert isan_is_valid(isan), isan


def test_isan_check_characters_match_a_published_example() -> None:
    assert isan_is_valid("0000-0001-8CFA-0000-I-0000-0000-K")
    assert not isan_is_valid("0000-0001-8CFA-0000-J-0000-0000-K")
    assert not isan_is_valid("0000-0001-8CFA-0000-I-0000-0000-L")


def test_demo_shares_are_roughly_realistic(demo: list[FilmSeed]) -> None:
    assert 0.35 <= share(demo, lambda film: film.has_sme_captions) <= 0.55
    assert 0.10 <= share(demo, lambda film: film.has_audio_description) <= 0.30
    assert 0.01 <= share(demo, lambda film: film.has_lsf) <= 0.12
    assert 0.30 <= share(demo, lambda film: film.isan is not None) <= 0.52
    assert 0.50 <= share(demo, lambda film: "FR" in film.countries) <= 0.72
    assert share(demo, lambda film: film.age_advice == "Tous publics") > 0.4


def test_durations_follow_broadcast_and_cinema_formats(bench: list[FilmSeed]) -> None:
    assert share(bench, lambda film: film.duration_minutes == 52) > 0.12
    assert share(bench, lambda film: 80 <= film.duration_minutes <= 100) > 0.15
    assert 0.07 < share(bench, lambda film: film.duration_minutes <= 35) < 0.25
    assert 0.005 < share(bench, lambda film: film.duration_minutes >= 150) < 0.05


def test_years_lean_towards_recent_decades(bench: list[FilmSeed]) -> None:
    sixties = share(bench, lambda film: film.year < 1970)
    recent = share(bench, lambda film: film.year >= 2010)
    assert 0.0 < sixties < 0.08
    assert recent > 0.4
    assert share(bench, lambda film: film.year >= 2020) > share(bench, lambda film: 1980 <= film.year < 1990)


def test_every_subject_is_used(bench: list[FilmSeed]) -> None:
    used = Counter(subject for film in bench for subject in film.subjects)
    assert set(used) == set(SUBJECTS)


def test_regional_subjects_match_the_country(bench: list[FilmSeed]) -> None:
    african = [film for film in bench if film.countries[0] in {"SN", "ML", "BF", "CI", "CD", "CM"}]
    assert african
    assert share(african, lambda film: "Afrique" in film.subjects) > 0.4


# --- synopses -------------------------------------------------------------


def test_synopses_are_short_french_paragraphs(bench: list[FilmSeed]) -> None:
    for film in bench:
        sentences = re.findall(r"[.?!](?:\s|$)", film.synopsis)
        assert 2 <= len(sentences) <= 4, film.synopsis
        assert "{" not in film.synopsis and "}" not in film.synopsis
        assert film.synopsis[0].isupper()
        assert film.synopsis.endswith((".", "?"))
    assert share(bench, lambda film: re.search(r"[éèêàçôîûùœ]", film.synopsis) is not None) > 0.95
    # Varied rather than one template repeated.
    assert len({film.synopsis for film in bench}) > 0.99 * BENCH


def test_accent_insensitive_search_finds_words(demo: list[FilmSeed]) -> None:
    texts = [fold(film.title + " " + film.synopsis) for film in demo]
    assert any("cinéma" in film.synopsis for film in demo)
    assert sum("cinema" in text for text in texts) >= 5
    assert sum("ecologie" in text for text in texts) >= 5
    assert any("ecologie" in text and "riviere" in text for text in texts)
    assert sum("memoire" in text for text in texts) >= 5


# --- people ---------------------------------------------------------------


def test_credits_list_directors_first_then_crew(bench: list[FilmSeed]) -> None:
    for film in bench:
        roles = [credit.role for credit in film.credits]
        directors = roles.count("director")
        assert 1 <= directors <= 2
        assert roles[:directors] == ["director"] * directors
        assert 2 <= len(roles) - directors <= 5
        assert set(roles) <= set(CREDIT_ROLES)
        names = [credit.name for credit in film.credits]
        assert len(set(names)) == len(names)


def test_people_have_realistic_names(bench: list[FilmSeed]) -> None:
    names = {credit.name for film in bench for credit in film.credits}
    for name in names:
        assert len(name.split()) >= 2, name
        assert not re.search(r"\d", name), name
    surnames = Counter(name.split()[-1] for name in names)
    assert len(surnames) > 500
    # Several origins are present, consistent with the country most of the time.
    japanese = {credit.name for film in bench if film.countries == ("JP",) for credit in film.credits}
    assert any(name.split()[-1] in {"Tanaka", "Suzuki", "Satō", "Yamamoto", "Nakamura"} for name in japanese)
    senegalese = [credit.name for film in bench if film.countries[0] == "SN" for credit in film.credits
                  if credit.role == "director"]
    west_african = {"Diop", "Ndiaye", "Sow", "Diallo", "Fall", "Faye", "Sarr", "Gueye", "Seck", "Niang", "Ba", "Sy"}
    assert any(name.split()[-1] in west_african for name in senegalese)


def test_directors_recur_from_a_pool_of_a_few_hundred(demo: list[FilmSeed]) -> None:
    films_per_director = Counter(
        credit.name for film in demo for credit in film.credits if credit.role == "director"
    )
    assert 100 <= len(films_per_director) < DEMO
    assert films_per_director.most_common(1)[0][1] >= 3
    assert sum(1 for count in films_per_director.values() if count > 1) >= 20


def test_the_director_pool_grows_with_the_catalogue(demo: list[FilmSeed], bench: list[FilmSeed]) -> None:
    small = {credit.name for film in demo for credit in film.credits if credit.role == "director"}
    large = {credit.name for film in bench for credit in film.credits if credit.role == "director"}
    assert len(large) > 10 * len(small)


# --- speed ----------------------------------------------------------------


def test_generation_is_fast() -> None:
    # CPU time, not wall-clock time, and generous margins over the targets (0.2 s and 3 s), so that a
    # busy CI machine running tests in parallel does not make this flaky.
    start = time.process_time()
    generate_films(DEMO)
    assert time.process_time() - start < 1.0
    start = time.process_time()
    generate_films(BENCH)
    assert time.process_time() - start < 10.0
