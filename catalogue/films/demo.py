"""Deterministic, standard-library-only generator of a realistic catalogue of documentary films.

The code holds the rules (grammar, title templates, draws); the words it draws from are JSON files in
`catalogue/films/demo_data/`, read once at import. The same (count, seed) gives the same films.
"""

import bisect
import json
import random
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from importlib import resources
from typing import Any, Generic, TypeVar

_T = TypeVar("_T")


@dataclass(frozen=True)
class CreditSeed:
    name: str
    role: str  # one of: "director", "image", "editing", "sound", "music", "production"


@dataclass(frozen=True)
class FilmSeed:
    title: str
    original_title: str | None
    year: int
    duration_minutes: int
    synopsis: str
    countries: tuple[str, ...]
    languages: tuple[str, ...]
    subjects: tuple[str, ...]
    credits: tuple[CreditSeed, ...]
    age_advice: str
    has_sme_captions: bool
    has_audio_description: bool
    has_lsf: bool
    isan: str | None
    national_number: str


SUBJECTS: tuple[str, ...] = (
    "Arts", "Cinéma", "Musique", "Danse", "Architecture", "Histoire", "Société", "Politique",
    "Travail", "Écologie", "Agriculture", "Sciences", "Santé", "Éducation", "Migrations",
    "Féminismes", "Jeunesse", "Famille", "Ville", "Monde rural", "Sport", "Littérature",
    "Photographie", "Droits humains", "Justice", "Économie", "Religions", "Animaux", "Mer",
    "Montagne", "Afrique", "Asie", "Amériques", "Monde arabe",
)

AGE_ADVICE: tuple[str, ...] = ("Tous publics", "À partir de 10 ans", "À partir de 12 ans", "À partir de 16 ans")

CREDIT_ROLES: tuple[str, ...] = ("director", "image", "editing", "sound", "music", "production")

# National numbers have six digits, so larger catalogues could not keep them unique.
MAX_FILMS = 999_999


# ---------------------------------------------------------------------------
# Random helpers
# ---------------------------------------------------------------------------


def _pick(rng: random.Random, items: Sequence[_T]) -> _T:
    # Indexing with random() is much cheaper than rng.choice and just as reproducible,
    # which matters for the 30,000-film benchmark catalogue.
    return items[int(rng.random() * len(items))]


class _Table(Generic[_T]):
    """Weighted table drawn with a single random() call and a bisection."""

    __slots__ = ("_cumulative", "_items", "_total")

    def __init__(self, pairs: Sequence[tuple[_T, float]]) -> None:
        self._items: tuple[_T, ...] = tuple(item for item, _ in pairs)
        running = 0.0
        cumulative: list[float] = []
        for _, weight in pairs:
            running += weight
            cumulative.append(running)
        self._cumulative = tuple(cumulative)
        self._total = running

    def draw(self, rng: random.Random) -> _T:
        # The upper bound guards against rounding landing exactly on the total.
        cumulative = self._cumulative
        return self._items[bisect.bisect_right(cumulative, rng.random() * self._total, 0, len(cumulative) - 1)]


# ---------------------------------------------------------------------------
# The word tables, read from demo_data/*.json (shipped as package data)
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class _NamePool:
    female: tuple[str, ...]
    male: tuple[str, ...]
    surnames: tuple[str, ...]
    family_first: bool = False
    double_surname: float = 0.0
    middle_female: tuple[str, ...] = ()
    middle_male: tuple[str, ...] = ()


@dataclass(frozen=True)
class _Profile:
    countries: tuple[str, ...]
    languages: tuple[tuple[str, ...], ...]  # drawn uniformly; repeat an entry to weight it
    title_lang: str
    weight: float


@dataclass(frozen=True)
class _Agent:
    fr: str
    fr_female: bool
    en: str
    de: str
    de_gender: str  # "m", "f" or "n"
    es: str
    it: str
    pt: str
    romance_female: bool  # grammatical gender in Spanish, Italian and Portuguese
    ja: str


def _agent(fr: str, en: str, de: str, es: str, it: str, pt: str, ja: str, female: bool = False) -> _Agent:
    return _Agent(fr, female, en, de, "f" if female else "m", es, it, pt, female, ja)


@dataclass(frozen=True)
class _Material:
    groups: tuple[str, ...]
    trades: tuple[tuple[str, str], ...]
    themes: tuple[str, ...]
    sentences: tuple[str, ...]


def _data(name: str) -> dict[str, Any]:
    return json.loads((resources.files("catalogue.films") / "demo_data" / f"{name}.json").read_text(encoding="utf-8"))


def _frozen(value: Any) -> Any:
    """JSON's arrays as the tuples the generator indexes and compares; objects stay dicts."""
    if isinstance(value, list):
        return tuple(_frozen(item) for item in value)
    if isinstance(value, dict):
        return {key: _frozen(item) for key, item in value.items()}
    return value


def _weighted(pairs: list[list[Any]]) -> _Table[Any]:
    return _Table([(_frozen(item), weight) for item, weight in pairs])


_GRAMMAR = _data("grammar")
_VOWEL_START = frozenset(_GRAMMAR["vowel_start"])
# Words and names starting with an "h" that forbids elision ("de Hambourg", not "d'Hambourg").
_H_ASPIRE = frozenset(_GRAMMAR["h_aspire"])
_FR_PRENOMINAL = frozenset(_GRAMMAR["french_prenominal_adjectives"])
_PT_CONTRACTIONS: dict[str, tuple[str, str, str, str]] = _frozen(_GRAMMAR["portuguese_contractions"])
_IT_DI = _frozen(_GRAMMAR["italian_di"])

_PEOPLE = _data("people")
_POOLS: dict[str, _NamePool] = {key: _NamePool(**_frozen(fields)) for key, fields in _PEOPLE["name_pools"].items()}
# French productions reflect the diversity of French society rather than a single name pool.
_FRENCH_PEOPLE = _weighted(_PEOPLE["french_people"])
_COUNTRY_POOL: dict[str, str] = _frozen(_PEOPLE["country_pool"])

# Places: French name first, then the local name used in original titles.
_PLACES_FILE = _data("places")
_PLACES: dict[str, tuple[tuple[str, str], ...]] = _frozen(_PLACES_FILE["places"])
# French documentaries often travel: a share of them is set far from France.
_ELSEWHERE = _frozen(_PLACES_FILE["elsewhere"])
# Cities people left behind, for migration stories told from anywhere.
_DEPARTURES = _frozen(_PLACES_FILE["departures"])
# Places whose locative is not the regular "à X" / "au X" / "en X".
_FR_IN_OVERRIDES: dict[str, str] = _frozen(_PLACES_FILE["french_in"])

# Production profiles: country of production, spoken languages, language of the title.
_PRODUCTIONS = _data("productions")
_PROFILES = _Table([(profile, profile.weight)
                    for profile in (_Profile(**_frozen(fields)) for fields in _PRODUCTIONS["profiles"])])
# Image and editing are always credited; two to five crew members in all, in credit order.
_CREW_ROLES: _Table[tuple[str, ...]] = _weighted(_PRODUCTIONS["crew_roles"])

_TITLES_FRENCH = _data("titles_french")
_FR_HEADS = _frozen(_TITLES_FRENCH["heads"])
_FR_COMPLEMENTS = _frozen(_TITLES_FRENCH["complements"])
# Concrete and evocative nouns that pair well in "La Terre et les hommes".
_FR_AND_NOUNS = _frozen(_TITLES_FRENCH["and_nouns"])
_FR_TIME_PREPS = _frozen(_TITLES_FRENCH["time_preps"])
_FR_EVENTS = _frozen(_TITLES_FRENCH["events"])
# Prepositions of space; True when a place name reads naturally after them.
_FR_SPACE_PREPS: tuple[tuple[str, bool], ...] = _frozen(_TITLES_FRENCH["space_preps"])
_FR_LANDFORMS = _frozen(_TITLES_FRENCH["landforms"])
# "Entre" needs two nouns; these pairs keep it idiomatic.
_FR_BETWEEN = _frozen(_TITLES_FRENCH["between"])
_FR_GENRES = _frozen(_TITLES_FRENCH["genres"])
# (noun, feminine)
_FR_CHRONICLE_NOUNS: tuple[tuple[str, bool], ...] = _frozen(_TITLES_FRENCH["chronicle_nouns"])
# (masculine, feminine)
_FR_CHRONICLE_ADJS: tuple[tuple[str, str], ...] = _frozen(_TITLES_FRENCH["chronicle_adjs"])
# Trades and roles, (masculine, feminine); None when one form would sound wrong in a title.
_FR_AGENTS: tuple[tuple[str | None, str | None], ...] = _frozen(_TITLES_FRENCH["agents"])
# Adjectives placed before the noun: (masculine, masculine before a vowel, feminine).
_FR_PRE_ADJS: tuple[tuple[str, str, str], ...] = _frozen(_TITLES_FRENCH["pre_adjs"])
# Plural forms for "Les Derniers Paysans": (masculine plural, feminine plural).
_FR_PRE_ADJS_PLURAL: tuple[tuple[str, str], ...] = _frozen(_TITLES_FRENCH["pre_adjs_plural"])
# Plural things that can follow those adjectives, with their gender.
_FR_PLURAL_THINGS: tuple[tuple[str, bool], ...] = _frozen(_TITLES_FRENCH["plural_things"])
_FR_PLACE_PHRASES = _frozen(_TITLES_FRENCH["place_phrases"])
# (noun, feminine, plural)
_FR_BARE_NOUNS: tuple[tuple[str, bool, bool], ...] = _frozen(_TITLES_FRENCH["bare_nouns"])
# (masculine, feminine, masculine plural, feminine plural)
_FR_POST_ADJS: tuple[tuple[str, str, str, str], ...] = _frozen(_TITLES_FRENCH["post_adjs"])
_FR_PLURAL_PAIRS = _frozen(_TITLES_FRENCH["plural_pairs"])
# (verb, object categories): p = places and things, h = people, a = abstractions.
_FR_VERBS: tuple[tuple[str, str], ...] = _frozen(_TITLES_FRENCH["verbs"])
_FR_OBJECTS: dict[str, tuple[str, ...]] = _frozen(_TITLES_FRENCH["objects"])
_FR_CLAUSE_STARTS = _frozen(_TITLES_FRENCH["clause_starts"])
_FR_CLAUSES = _frozen(_TITLES_FRENCH["clauses"])
# Groups for "Nous, les ...".
_FR_NOUS = _frozen(_TITLES_FRENCH["nous"])
_FR_CEUX_DE = _frozen(_TITLES_FRENCH["ceux_de"])
_FR_CEUX_QUI = _frozen(_TITLES_FRENCH["ceux_qui"])
_FR_NAME_FORMS = _frozen(_TITLES_FRENCH["name_forms"])
_AGE_WORDS = _frozen(_TITLES_FRENCH["age_words"])
_FR_RELATIVES: tuple[tuple[str, bool], ...] = _frozen(_TITLES_FRENCH["relatives"])
_FR_QUESTIONS: tuple[tuple[str, tuple[str, ...]], ...] = _frozen(_TITLES_FRENCH["questions"])
_FR_AGENT_HOMES = _frozen(_TITLES_FRENCH["agent_homes"])

# Multilingual vocabulary for foreign films. Order of every tuple: fr, en, de, es, it, pt, ja.
_LANG_INDEX: dict[str, int] = {"fr": 0, "en": 1, "de": 2, "es": 3, "it": 4, "pt": 5, "ja": 6}
_Multi = tuple[str, str, str, str, str, str, str]
# fr (masculine, masculine before a vowel, feminine), en, de, then es, it, pt (masculine, feminine each), ja
_AgentAdjective = tuple[tuple[str, str, str], str, str, tuple[str, str], tuple[str, str], tuple[str, str], str]

_TITLES_FOREIGN = _data("titles_foreign")
# French and Romance forms are lowercase with their article; English is in title case; German
# keeps its article so that the first letter can be lowered in mid-title.
_ML_NOUNS: tuple[_Multi, ...] = _frozen(_TITLES_FOREIGN["nouns"])
# Events for "After ..." / "Before ...": fr, en, German dative, es, it, pt, ja.
_ML_EVENTS: tuple[_Multi, ...] = _frozen(_TITLES_FOREIGN["events"])
_ML_AGENTS: tuple[_Agent, ...] = tuple(_agent(**fields) for fields in _TITLES_FOREIGN["agents"])
# Adjectives before agents: fr (masc, masc before vowel, fem), en, de (weak nominative), es, it, pt
# (masc, fem each), ja.
_ML_AGENT_ADJS: tuple[_AgentAdjective, ...] = _frozen(_TITLES_FOREIGN["agent_adjectives"])
# Place phrases: fr uses {a} (locative), {de} or {p}; the others use {p} and Portuguese its contractions.
_ML_PLACE_PHRASES: tuple[_Multi, ...] = _frozen(_TITLES_FOREIGN["place_phrases"])
_ML_SEASONS_OF: tuple[tuple[str, str, str, str, str, str], ...] = _frozen(_TITLES_FOREIGN["seasons_of"])

_SUBJECTS_FILE = _data("subjects")
# A word of a French title that suggests a subject (the last subject naming it wins).
_KEYWORD_SUBJECTS: dict[str, str] = {
    word: subject for subject, words in _SUBJECTS_FILE["title_keywords"].items() for word in words}
# Per subject: groups of people, trades (masculine, feminine), themes, and synopsis sentences with {slots}.
_SUBJECT_MATERIAL: dict[str, _Material] = {
    subject: _Material(**_frozen(fields)) for subject, fields in _SUBJECTS_FILE["material"].items()}
_GENERAL_SUBJECTS = _weighted(_SUBJECTS_FILE["general"])
# (regional subject, probability) for the main country of production.
_REGION_SUBJECTS: dict[str, tuple[str, float]] = _frozen(_SUBJECTS_FILE["regional"])
_SENSITIVE_SUBJECTS = frozenset(_SUBJECTS_FILE["sensitive"])

_SYNOPSES = _data("synopses")
_OPENERS = _frozen(_SYNOPSES["openers"])
_CLOSERS = _frozen(_SYNOPSES["closers"])
_IMAGES = _frozen(_SYNOPSES["images"])
_DURATIONS_SPENT = _frozen(_SYNOPSES["durations_spent"])
_YEARS_WORDS = _frozen(_SYNOPSES["years_words"])


# ---------------------------------------------------------------------------
# Grammar helpers (French first, then the languages of original titles)
# ---------------------------------------------------------------------------


def _cap(text: str) -> str:
    return text[:1].upper() + text[1:]


def _elides(word: str) -> bool:
    """Tell whether French "de", "le" or "la" elide before this word."""
    first = word[:1]
    if first in ("h", "H"):
        return word.split(" ", 1)[0].split("-", 1)[0] not in _H_ASPIRE
    if first in ("y", "Y"):
        return word[:2].lower() == "yv"
    return first in _VOWEL_START


def _fr_de(phrase: str) -> str:
    low = phrase[:4].lower()
    if low.startswith("les "):
        return "des " + phrase[4:]
    if low.startswith("le "):
        return "du " + phrase[3:]
    if _elides(phrase):
        return "d'" + phrase
    return "de " + phrase


def _fr_a(phrase: str) -> str:
    low = phrase[:4].lower()
    if low.startswith("les "):
        return "aux " + phrase[4:]
    if low.startswith("le "):
        return "au " + phrase[3:]
    return "à " + phrase


def _fr_prep(prep: str, phrase: str) -> str:
    # Prepositions ending in "de" or "à" contract with the article that follows.
    if prep.endswith(" de") or prep == "de":
        return f"{prep[:-3]} {_fr_de(phrase)}".lstrip()
    if prep.endswith(" à") or prep == "à":
        return f"{prep[:-2]} {_fr_a(phrase)}".lstrip()
    return f"{prep} {phrase}"


def _fr_in(place: str) -> str:
    """French locative for a place: "à Dakar", "au Havre", "en Casamance", "dans les Cévennes"."""
    special = _FR_IN_OVERRIDES.get(place)
    if special is not None:
        return special
    # A lowercase feminine article marks a region ("en Creuse"); a capital one is part of a city name.
    if place.startswith("la "):
        return "en " + place[3:]
    if place.startswith("l'"):
        return "en " + place[2:]
    return _fr_a(place)


def _fr_title(phrase: str) -> str:
    """Capitalise a noun phrase as French catalogues set titles: "Les Mains", "Le Dernier Passeur"."""
    words = phrase.split(" ")
    first = words[0]
    if first in ("le", "la", "les"):
        words[0] = _cap(first)
        index = 1
    elif first.startswith("l'"):
        rest = first[2:]
        words[0] = "L'" + _cap(rest)
        if rest not in _FR_PRENOMINAL:
            return " ".join(words)
        index = 1
    else:
        return _cap(phrase)
    while index < len(words):
        word = words[index]
        words[index] = _cap(word)
        if word not in _FR_PRENOMINAL:
            break
        index += 1
    return " ".join(words)


def _fr_bare(phrase: str) -> str:
    """Drop the definite article, as many titles do ("Voix des bergers", "Terre et cendres")."""
    for article in ("les ", "le ", "la ", "l'"):
        if phrase.startswith(article):
            return phrase[len(article):]
    return phrase


def _fr_plural(noun: str) -> str:
    special = {"sage-femme": "sages-femmes", "gardien de phare": "gardiens de phare"}.get(noun)
    if special is not None:
        return special
    head, sep, tail = noun.partition(" ")
    if head.endswith(("s", "x", "z")):
        plural = head
    elif head.endswith("eau"):
        plural = head + "x"
    else:
        plural = head + "s"
    return plural + sep + tail


def _es_de(phrase: str) -> str:
    return "del " + phrase[3:] if phrase.startswith("el ") else "de " + phrase


def _pt(prep: str, phrase: str) -> str:
    # Portuguese contracts prepositions with articles: "do Rio de Janeiro", "na Amazônia".
    for index, article in enumerate(("o ", "a ", "os ", "as ")):
        if phrase.startswith(article):
            return f"{_PT_CONTRACTIONS[prep][index]} {phrase[len(article):]}"
    return f"{prep} {phrase}"


def _it_di(phrase: str) -> str:
    for article, contracted in _IT_DI:
        if phrase.startswith(article):
            return contracted + phrase[len(article):]
    return "di " + phrase


def _it_with_article(word: str, female: bool) -> str:
    # Italian chooses l', lo, il or la from the first letters of the following word.
    first = word[:1].lower()
    if first in "aeiouàèéìòù":
        return "l'" + word
    if female:
        return "la " + word
    if first == "z" or word[:2].lower() in ("gn", "ps") or (first == "s" and word[1:2] not in "aeiou"):
        return "lo " + word
    return "il " + word


def _de_genitive(name: str) -> str:
    return name + "'" if name[-1] in "sxzß" else name + "s"


_ES_E_BEFORE = re.compile(r"h?[iíIÍ](?![aeouáéóú])", re.IGNORECASE)


def _es_and(left: str, right: str) -> str:
    # Spanish "y" becomes "e" before an /i/ sound ("Javier e Inés").
    return f"{left} {'e' if _ES_E_BEFORE.match(right) else 'y'} {right}"


# ---------------------------------------------------------------------------
# People
# ---------------------------------------------------------------------------


def _pool_key(country: str, title_lang: str, rng: random.Random) -> str:
    if country == "FR":
        return _FRENCH_PEOPLE.draw(rng)
    if country == "CA":
        # Canada is split between Québec (French titles) and English Canada.
        return "qc" if title_lang == "fr" else "en"
    return _COUNTRY_POOL[country]


def _full_name(rng: random.Random, pool: _NamePool, female: bool) -> str:
    given = _pick(rng, pool.female if female else pool.male)
    surnames = pool.surnames
    surname = surnames[int(rng.random() * len(surnames))]
    if pool.family_first:
        middles = pool.middle_female if female else pool.middle_male
        if middles:
            return f"{surname} {_pick(rng, middles)} {given}"
        return f"{surname} {given}"
    if pool.double_surname and rng.random() < pool.double_surname:
        second = _pick(rng, pool.surnames)
        if second != surname:
            return f"{given} {surname} {second}"
    return f"{given} {surname}"


# Even the most prolific people of a catalogue stop somewhere.
_FILM_CAP = {"director": 25, "crew": 60}

# Reuse grows with the size of a circle (base * size / (size + warm-up)), so that the first people
# created do not monopolise the first films.
_REUSE_BASE = {"director": 0.42, "crew": 0.7}
_REUSE_WARM_UP = {"director": 6, "crew": 4}


class _Circle:
    """The people of one name pool holding one kind of job (directors or crew)."""

    __slots__ = ("appearances", "distinct", "members")

    def __init__(self) -> None:
        # Appearances (with repetitions) give preferential attachment; distinct people give variety.
        self.appearances: list[str] = []
        self.distinct: list[str] = []
        self.members: set[str] = set()


class _People:
    """Registry of the people of one catalogue, so that directors and crews recur across films."""

    def __init__(self, rng: random.Random) -> None:
        self._rng = rng
        self._female: dict[str, bool] = {}
        self._film_counts: dict[str, int] = {}
        self._circles: dict[tuple[str, str], _Circle] = {}

    def is_female(self, name: str) -> bool:
        return self._female[name]

    def get(self, pool_key: str, kind: str, exclude: Sequence[str]) -> str:
        rng = self._rng
        circle = self._circles.get((pool_key, kind))
        if circle is None:
            circle = self._circles[(pool_key, kind)] = _Circle()
        size = len(circle.distinct)
        name: str | None = None
        if size and rng.random() * (size + _REUSE_WARM_UP[kind]) < _REUSE_BASE[kind] * size:
            name = self._reuse(circle, kind, exclude)
        if name is None:
            name = self._create(pool_key, exclude)
            if name is None:
                # The pool is saturated (very large catalogues): fall back on known people.
                name = self._reuse(circle, kind, exclude) or self._create_compound(pool_key)
        if name not in circle.members:
            circle.members.add(name)
            circle.distinct.append(name)
        circle.appearances.append(name)
        self._film_counts[name] = self._film_counts.get(name, 0) + 1
        return name

    def _reuse(self, circle: _Circle, kind: str, exclude: Sequence[str]) -> str | None:
        rng = self._rng
        for _ in range(3):
            source = circle.appearances if rng.random() < 0.5 else circle.distinct
            if not source:
                return None
            name = _pick(rng, source)
            if name in exclude:
                continue
            if self._film_counts[name] >= _FILM_CAP[kind]:
                continue
            return name
        return None

    def _create(self, pool_key: str, exclude: Sequence[str]) -> str | None:
        rng = self._rng
        pool = _POOLS[pool_key]
        known = self._female
        for _ in range(4):
            female = rng.random() < 0.5
            name = _full_name(rng, pool, female)
            if name not in known and name not in exclude:
                known[name] = female
                return name
        return None

    def _create_compound(self, pool_key: str) -> str:
        # Hyphenated surnames multiply the capacity of a pool when everything else is taken.
        rng = self._rng
        pool = _POOLS[pool_key]
        while True:
            female = rng.random() < 0.5
            given = _pick(rng, pool.female if female else pool.male)
            name = f"{given} {_pick(rng, pool.surnames)}-{_pick(rng, pool.surnames)}"
            if name not in self._female:
                self._female[name] = female
                return name


# ---------------------------------------------------------------------------
# Places: French name first, then the local name used in original titles
# ---------------------------------------------------------------------------


def _places_for(country: str, title_lang: str) -> tuple[tuple[str, str], ...]:
    if country == "CA":
        return _PLACES["CA-fr" if title_lang == "fr" else "CA-en"]
    return _PLACES[country]


# ---------------------------------------------------------------------------
# Keywords of French titles that suggest a subject (the words are _KEYWORD_SUBJECTS)
# ---------------------------------------------------------------------------

_WORD_RE = re.compile(r"[^\W\d_]+(?:-[^\W\d_]+)*")


# ---------------------------------------------------------------------------
# Titles
# ---------------------------------------------------------------------------


@dataclass
class _Draft:
    title: str
    original: str | None = None
    place: str | None = None  # French name of the place the title mentions, reused by the synopsis
    protagonist: str | None = None
    protagonist_female: bool = False
    trade: str | None = None


@dataclass(frozen=True)
class _Context:
    places: tuple[tuple[str, str], ...]
    pool: _NamePool
    title_lang: str


def _place(rng: random.Random, ctx: _Context) -> tuple[str, str]:
    return _pick(rng, ctx.places)


def _gendered_agent(rng: random.Random) -> tuple[str, bool]:
    male, female = _pick(rng, _FR_AGENTS)
    if male is None or (female is not None and rng.random() < 0.5):
        return female or "", True
    return male, False


def _fr_with_article(noun: str, female: bool) -> str:
    if _elides(noun):
        return "l'" + noun
    return ("la " if female else "le ") + noun


def _t_head_de(rng: random.Random, ctx: _Context) -> _Draft:
    head = _pick(rng, _FR_HEADS)
    place = None
    if rng.random() < 0.6:
        complement = _pick(rng, _FR_COMPLEMENTS)
        # "Les Enfants des enfants" reads as a mistake, not a title.
        while complement.split(" ")[-1] == head.split(" ")[-1]:
            complement = _pick(rng, _FR_COMPLEMENTS)
    else:
        complement = place = _place(rng, ctx)[0]
    # Plural heads often drop their article: "Voix des bergers", "Chants de la mine".
    start = _cap(head[4:]) if head.startswith("les ") and rng.random() < 0.5 else _fr_title(head)
    return _Draft(f"{start} {_fr_de(complement)}", place=place)


def _t_time(rng: random.Random, ctx: _Context) -> _Draft:
    return _Draft(_fr_prep(_pick(rng, _FR_TIME_PREPS), _pick(rng, _FR_EVENTS)))


def _t_space(rng: random.Random, ctx: _Context) -> _Draft:
    prep, takes_place = _pick(rng, _FR_SPACE_PREPS)
    if prep == "Entre":
        return _Draft(_pick(rng, _FR_BETWEEN))
    if takes_place and rng.random() < 0.4:
        place = _place(rng, ctx)[0]
        return _Draft(_fr_prep(prep, place), place=place)
    return _Draft(_fr_prep(prep, _pick(rng, _FR_LANDFORMS)))


def _t_chronicle(rng: random.Random, ctx: _Context) -> _Draft:
    genre = _pick(rng, _FR_GENRES)
    roll = rng.random()
    if roll < 0.15:
        return _Draft(f"{genre} {_fr_de(_pick(rng, _FR_COMPLEMENTS))}")
    noun, female = _pick(rng, _FR_CHRONICLE_NOUNS)
    article = "une" if female else "un"
    if roll < 0.35:
        place = _place(rng, ctx)[0]
        return _Draft(f"{genre} d'{article} {noun} {_fr_de(place)}", place=place)
    masculine, feminine = _pick(rng, _FR_CHRONICLE_ADJS)
    return _Draft(f"{genre} d'{article} {noun} {feminine if female else masculine}")


def _t_nous(rng: random.Random, ctx: _Context) -> _Draft:
    roll = rng.random()
    if roll < 0.35:
        return _Draft(f"Nous, les {_pick(rng, _FR_NOUS)}")
    pronoun = "Celles" if rng.random() < 0.45 else "Ceux"
    if roll < 0.65:
        return _Draft(f"{pronoun} qui {_pick(rng, _FR_CEUX_QUI)}")
    if rng.random() < 0.3:
        place = _place(rng, ctx)[0]
        return _Draft(f"{pronoun} {_fr_de(place)}", place=place)
    return _Draft(f"{pronoun} {_fr_de(_pick(rng, _FR_CEUX_DE))}")


def _t_agent_adj(rng: random.Random, ctx: _Context) -> _Draft:
    noun, female = _gendered_agent(rng)
    masculine, before_vowel, feminine = _pick(rng, _FR_PRE_ADJS)
    adjective = feminine if female else (before_vowel if _elides(noun) else masculine)
    title = f"{'La' if female else 'Le'} {_cap(adjective)} {_cap(noun)}"
    place = None
    if rng.random() < 0.4:
        place = _place(rng, ctx)[0]
        title = f"{title} {_fr_de(place)}"
    return _Draft(title, place=place, protagonist_female=female, trade=noun)


def _t_agent_place(rng: random.Random, ctx: _Context) -> _Draft:
    noun, female = _gendered_agent(rng)
    # Some of these titles speak of the whole trade: "Les Pêcheurs de Saint-Louis".
    plural = rng.random() < 0.15
    head = "Les " + _cap(_fr_plural(noun)) if plural else _fr_title(_fr_with_article(noun, female))
    if rng.random() < 0.7:
        place = _place(rng, ctx)[0]
        return _Draft(f"{head} {_fr_de(place)}", place=place, protagonist_female=female, trade=noun)
    return _Draft(f"{head} {_fr_de(_pick(rng, _FR_AGENT_HOMES))}", protagonist_female=female, trade=noun)


def _t_place_phrase(rng: random.Random, ctx: _Context) -> _Draft:
    place = _place(rng, ctx)[0]
    pattern = _pick(rng, _FR_PLACE_PHRASES)
    title = pattern.format(a=_fr_in(place), de=_fr_de(place), p=place, P=_cap(place))
    return _Draft(_cap(title), place=place)


def _t_noun_adj(rng: random.Random, ctx: _Context) -> _Draft:
    noun, female, plural = _pick(rng, _FR_BARE_NOUNS)
    forms = _pick(rng, _FR_POST_ADJS)
    adjective = forms[(1 if female else 0) + (2 if plural else 0)]
    return _Draft(f"{_cap(noun)} {adjective}")


def _t_and(rng: random.Random, ctx: _Context) -> _Draft:
    if rng.random() < 0.3:
        left = _pick(rng, _FR_PLURAL_PAIRS)
        right = _pick(rng, _FR_PLURAL_PAIRS)
        while right == left:
            right = _pick(rng, _FR_PLURAL_PAIRS)
        return _Draft(f"Des {left} et des {right}")
    left = _pick(rng, _FR_AND_NOUNS)
    right = _pick(rng, _FR_AND_NOUNS)
    while right == left:
        right = _pick(rng, _FR_AND_NOUNS)
    if rng.random() < 0.4:
        return _Draft(f"{_cap(_fr_bare(left))} et {_fr_bare(right)}")
    return _Draft(f"{_fr_title(left)} et {right}")


def _t_infinitive(rng: random.Random, ctx: _Context) -> _Draft:
    verb, categories = _pick(rng, _FR_VERBS)
    category = _pick(rng, categories)
    if category == "p" and rng.random() < 0.3:
        place = _place(rng, ctx)[0]
        return _Draft(f"{verb} {place}", place=place)
    return _Draft(f"{verb} {_pick(rng, _FR_OBJECTS[category])}")


def _t_clause(rng: random.Random, ctx: _Context) -> _Draft:
    return _Draft(f"{_pick(rng, _FR_CLAUSE_STARTS)} {_pick(rng, _FR_CLAUSES)}")


def _t_first_name(rng: random.Random, ctx: _Context) -> _Draft:
    female = rng.random() < 0.55
    pool = ctx.pool
    name = _pick(rng, pool.female if female else pool.male)
    other = _pick(rng, pool.male if female else pool.female)
    pattern = _pick(rng, _FR_NAME_FORMS)
    trade = None
    place = None
    if "{trade}" in pattern:
        male_trade, female_trade = _pick(rng, _FR_AGENTS)
        trade = (female_trade or male_trade) if female else (male_trade or female_trade)
    if "{a}" in pattern:
        place = _place(rng, ctx)[0]
    title = pattern.format(
        n=name, n2=other, trade=trade, a=_fr_in(place) if place else "", de=_fr_de(name),
        age=_pick(rng, _AGE_WORDS),
    )
    return _Draft(_cap(title), place=place, protagonist=name, protagonist_female=female, trade=trade)


def _t_family(rng: random.Random, ctx: _Context) -> _Draft:
    relative, female = _pick(rng, _FR_RELATIVES)
    if rng.random() < 0.5:
        return _Draft(f"{relative}, {_pick(rng, _FR_COMPLEMENTS)} et moi")
    male_trade, female_trade = _pick(rng, _FR_AGENTS)
    trade = (female_trade or male_trade) if female else (male_trade or female_trade)
    return _Draft(f"{relative}, {trade}")


def _t_question(rng: random.Random, ctx: _Context) -> _Draft:
    pattern, objects = _pick(rng, _FR_QUESTIONS)
    thing = _pick(rng, objects)
    return _Draft(pattern.format(x=thing, de=_fr_de(thing)))


def _t_adj_plural(rng: random.Random, ctx: _Context) -> _Draft:
    masculine, feminine = _pick(rng, _FR_PRE_ADJS_PLURAL)
    trade = None
    if rng.random() < 0.6:
        trade, female = _gendered_agent(rng)
        noun = _fr_plural(trade)
    else:
        noun, female = _pick(rng, _FR_PLURAL_THINGS)
    title = f"Les {_cap(feminine if female else masculine)} {_cap(noun)}"
    roll = rng.random()
    place = None
    if roll < 0.45:
        place = _place(rng, ctx)[0]
        title = f"{title} {_fr_de(place)}"
    elif roll < 0.65:
        title = f"{title} {_fr_de(_pick(rng, _FR_AGENT_HOMES))}"
    return _Draft(title, place=place, protagonist_female=female, trade=trade)


_FRENCH_TEMPLATES: _Table[Callable[[random.Random, _Context], _Draft]] = _Table([
    # Weighted so that, as in real catalogues, well under half of the titles open on an article.
    (_t_head_de, 12.0), (_t_time, 6.0), (_t_space, 4.0), (_t_chronicle, 10.0), (_t_nous, 4.0),
    (_t_agent_adj, 4.0), (_t_agent_place, 9.0), (_t_place_phrase, 13.0), (_t_noun_adj, 5.0),
    (_t_and, 5.0), (_t_infinitive, 5.0), (_t_clause, 4.0), (_t_first_name, 10.0), (_t_family, 2.0),
    (_t_question, 2.0), (_t_adj_plural, 3.0),
])


def _ml_start(noun: _Multi, lang: str) -> str:
    """A multilingual noun phrase as the first words of an original title."""
    value = noun[_LANG_INDEX[lang]]
    return _cap(value) if lang in ("es", "it", "pt") else value


def _ml_middle(noun: _Multi, lang: str) -> str:
    """The same phrase after a conjunction: articles go back to lowercase."""
    value = noun[_LANG_INDEX[lang]]
    if lang == "en":
        return "the " + value[4:] if value.startswith("The ") else value
    if lang == "de":
        return value[:1].lower() + value[1:]
    return value


def _f_noun_of_place(rng: random.Random, ctx: _Context) -> _Draft:
    noun = _pick(rng, _ML_NOUNS)
    french, local = _place(rng, ctx)
    lang = ctx.title_lang
    start = _ml_start(noun, lang)
    original = {
        "en": f"{start} of {local}",
        "de": f"{start} von {local}",
        "es": f"{start} de {local}",
        "it": f"{start} di {local}",
        "pt": f"{start} {_pt('de', local)}",
        "ja": f"{local}の{start}",
    }[lang]
    # When the original drops its article ("Voices of Harlem"), the French title often does too.
    if not noun[1].startswith("The ") and rng.random() < 0.4:
        return _Draft(f"{_cap(_fr_bare(noun[0]))} {_fr_de(french)}", original=original, place=french)
    return _Draft(f"{_fr_title(noun[0])} {_fr_de(french)}", original=original, place=french)


def _f_place_phrase(rng: random.Random, ctx: _Context) -> _Draft:
    pattern = _pick(rng, _ML_PLACE_PHRASES)
    french, local = _place(rng, ctx)
    lang = ctx.title_lang
    title = pattern[0].format(a=_fr_in(french), de=_fr_de(french), p=french)
    original = pattern[_LANG_INDEX[lang]].format(
        p=local, pt_a=_pt("a", local) if lang == "pt" else "", pt_de=_pt("de", local) if lang == "pt" else "",
        pt_em=_pt("em", local) if lang == "pt" else "",
    )
    return _Draft(_cap(title), original=_cap(original), place=french)


def _agent_original(agent: _Agent, lang: str, adjective_index: int | None) -> str:
    """Render "[the] [adjective] agent" in the language of the original title."""
    if lang == "en":
        if adjective_index is None:
            return f"The {agent.en}"
        return f"The {_ML_AGENT_ADJS[adjective_index][1]} {agent.en}"
    if lang == "de":
        article = {"m": "Der", "f": "Die", "n": "Das"}[agent.de_gender]
        if adjective_index is None:
            return f"{article} {agent.de}"
        return f"{article} {_ML_AGENT_ADJS[adjective_index][2]} {agent.de}"
    if lang == "ja":
        if adjective_index is None:
            return agent.ja
        return f"{_ML_AGENT_ADJS[adjective_index][6]}{agent.ja}"
    female = agent.romance_female
    noun = {"es": agent.es, "it": agent.it, "pt": agent.pt}[lang]
    phrase = noun
    if adjective_index is not None:
        forms = _ML_AGENT_ADJS[adjective_index][{"es": 3, "it": 4, "pt": 5}[lang]]
        phrase = f"{forms[1] if female else forms[0]} {noun}"
    if lang == "es":
        return f"{'La' if female else 'El'} {phrase}"
    if lang == "pt":
        return f"{'A' if female else 'O'} {phrase}"
    return _cap(_it_with_article(phrase, female))


def _f_agent_adjective(rng: random.Random, ctx: _Context) -> _Draft:
    agent = _pick(rng, _ML_AGENTS)
    index = int(rng.random() * len(_ML_AGENT_ADJS))
    masculine, before_vowel, feminine = _ML_AGENT_ADJS[index][0]
    adjective = feminine if agent.fr_female else (before_vowel if _elides(agent.fr) else masculine)
    title = f"{'La' if agent.fr_female else 'Le'} {_cap(adjective)} {_cap(agent.fr)}"
    original = _agent_original(agent, ctx.title_lang, index)
    return _Draft(title, original=original, protagonist_female=agent.fr_female, trade=agent.fr)


def _f_agent_of_place(rng: random.Random, ctx: _Context) -> _Draft:
    agent = _pick(rng, _ML_AGENTS)
    french, local = _place(rng, ctx)
    lang = ctx.title_lang
    base = _agent_original(agent, lang, None)
    original = {
        "en": f"{base} of {local}",
        "de": f"{base} von {local}",
        "es": f"{base} de {local}",
        "it": f"{base} di {local}",
        "pt": f"{base} {_pt('de', local)}",
        "ja": f"{local}の{base}",
    }[lang]
    title = f"{_fr_title(_fr_with_article(agent.fr, agent.fr_female))} {_fr_de(french)}"
    return _Draft(title, original=original, place=french, protagonist_female=agent.fr_female, trade=agent.fr)


def _f_event(rng: random.Random, ctx: _Context) -> _Draft:
    event = _pick(rng, _ML_EVENTS)
    after = rng.random() < 0.6
    lang = ctx.title_lang
    value = event[_LANG_INDEX[lang]]
    if lang == "en":
        original = f"{'After' if after else 'Before'} {value}"
    elif lang == "de":
        original = f"{'Nach' if after else 'Vor'} {value}"
    elif lang == "es":
        original = f"{'Después' if after else 'Antes'} {_es_de(value)}"
    elif lang == "it":
        original = f"Dopo {value}" if after else f"Prima {_it_di(value)}"
    elif lang == "pt":
        original = f"{'Depois' if after else 'Antes'} {_pt('de', value)}"
    else:
        original = f"{value}のあとで" if after else f"{value}の前に"
    return _Draft(f"{'Après' if after else 'Avant'} {event[0]}", original=original)


def _f_and(rng: random.Random, ctx: _Context) -> _Draft:
    left = _pick(rng, _ML_NOUNS)
    right = _pick(rng, _ML_NOUNS)
    while right is left:
        right = _pick(rng, _ML_NOUNS)
    lang = ctx.title_lang
    start, middle = _ml_start(left, lang), _ml_middle(right, lang)
    original = {
        "en": f"{start} and {middle}",
        "de": f"{start} und {middle}",
        "es": _es_and(start, middle),
        "it": f"{start} e {middle}",
        "pt": f"{start} e {middle}",
        "ja": f"{start}と{middle}",
    }[lang]
    return _Draft(f"{_fr_title(left[0])} et {right[0]}", original=original)


def _f_first_name(rng: random.Random, ctx: _Context) -> _Draft:
    lang = ctx.title_lang
    if lang == "ja":
        # Japanese titles would need the name in Japanese script; use another pattern instead.
        return _f_noun_of_place(rng, ctx)
    female = rng.random() < 0.55
    pool = ctx.pool
    name = _pick(rng, pool.female if female else pool.male)
    roll = int(rng.random() * 6)
    if roll == 0:
        title = f"Lettres à {name}"
        original = {"en": f"Letters to {name}", "de": f"Briefe an {name}", "es": f"Cartas a {name}",
                    "it": f"Lettere a {name}", "pt": f"Cartas para {name}"}[lang]
    elif roll == 1:
        title = f"À la recherche {_fr_de(name)}"
        original = {"en": f"Searching for {name}", "de": f"Auf der Suche nach {name}",
                    "es": f"Buscando a {name}", "it": f"Cercando {name}", "pt": f"À procura de {name}"}[lang]
    elif roll == 2:
        season = _pick(rng, _ML_SEASONS_OF)
        title = f"{season[0]} {_fr_de(name)}"
        original = {"en": f"{name}'s {season[1]}", "de": f"{_de_genitive(name)} {season[2]}",
                    "es": f"{season[3]} de {name}", "it": f"{season[4]} di {name}",
                    "pt": f"{season[5]} de {name}"}[lang]
    elif roll == 3:
        other = _pick(rng, pool.male if female else pool.female)
        title = f"{name} et {other}"
        original = {"en": f"{name} and {other}", "de": f"{name} und {other}", "es": _es_and(name, other),
                    "it": f"{name} e {other}", "pt": f"{name} e {other}"}[lang]
    elif roll == 4:
        title = f"Le Monde {_fr_de(name)}"
        original = {"en": f"{name}'s World", "de": f"{_de_genitive(name)} Welt", "es": f"El mundo de {name}",
                    "it": f"Il mondo di {name}", "pt": f"O mundo de {name}"}[lang]
    else:
        title = f"Pour {name}"
        original = {"en": f"For {name}", "de": f"Für {name}", "es": f"Para {name}", "it": f"Per {name}",
                    "pt": f"Para {name}"}[lang]
    return _Draft(title, original=original, protagonist=name, protagonist_female=female)


_FOREIGN_TEMPLATES: _Table[Callable[[random.Random, _Context], _Draft]] = _Table([
    (_f_noun_of_place, 17.0), (_f_place_phrase, 24.0), (_f_agent_adjective, 8.0), (_f_agent_of_place, 14.0),
    (_f_event, 8.0), (_f_and, 14.0), (_f_first_name, 14.0),
])


def _draft_title(rng: random.Random, ctx: _Context) -> _Draft:
    templates = _FRENCH_TEMPLATES if ctx.title_lang == "fr" else _FOREIGN_TEMPLATES
    return templates.draw(rng)(rng, ctx)


def _unique_title(
    rng: random.Random, ctx: _Context, year: int, taken: set[str], attempts: int = 12
) -> _Draft:
    draft = _draft_title(rng, ctx)
    for _ in range(attempts):
        if draft.title not in taken:
            return draft
        draft = _draft_title(rng, ctx)
    if draft.title not in taken:
        return draft
    # Catalogues disambiguate homonymous films with a place and a year, never with a bare counter.
    # Bare city names of the film's own country read best ("— Lisbonne 1974"); other places come after.
    base = draft.title
    local = [name for name, _ in ctx.places if name not in base]
    offset = int(rng.random() * len(local)) if local else 0
    local = local[offset:] + local[:offset]
    elsewhere = [name for name, _ in _ELSEWHERE if name not in base]
    bare_local = [name for name in local if not name[:1].islower()]
    candidates = bare_local + [name for name in local + elsewhere if name not in bare_local]
    for place in candidates:
        title = f"{base} — {_cap(place)} {year}"
        if title not in taken:
            draft.title = title
            return draft
    for first in candidates:
        for second in candidates:
            title = f"{base} — {_cap(first)}, {second} {year}"
            if title not in taken:
                draft.title = title
                return draft
    raise RuntimeError(f"cannot find a unique title for {base!r}")  # pragma: no cover - unreachable


def _title_subjects(title: str) -> list[str]:
    found: list[str] = []
    for word in _WORD_RE.findall(title.lower()):
        subject = _KEYWORD_SUBJECTS.get(word)
        if subject is not None and subject not in found:
            found.append(subject)
    return found


# ---------------------------------------------------------------------------
# Synopses
# ---------------------------------------------------------------------------


# Openers that introduce the protagonist, preferred when the title already names one.
_PERSON_OPENERS = (_OPENERS[1], _OPENERS[3], _OPENERS[4], _OPENERS[6])
_OPENERS_MIGRATION = tuple(opener for opener in _OPENERS if "jamais quitté" not in opener)


def _era(rng: random.Random, year: int) -> str:
    # The events a film recalls happened before it was made.
    latest = max(1900, (year - 5) // 10 * 10)
    earliest = max(1900, latest - 60)
    decade = earliest + 10 * int(rng.random() * ((latest - earliest) // 10 + 1))
    return f"dans les années {decade}"


class _Slots(dict[str, str]):
    """Placeholder values of a synopsis, drawn on first use so each film only pays for what it says."""

    def __init__(self, rng: random.Random, material: _Material, place: str, year: int) -> None:
        super().__init__()
        self._rng = rng
        self._material = material
        self._place = place
        self._year = year

    def __missing__(self, key: str) -> str:
        rng, place = self._rng, self._place
        if key == "a_lieu":
            value = _fr_in(place)
        elif key == "A_lieu":
            value = _cap(self["a_lieu"])
        elif key == "de_lieu":
            value = _fr_de(place)
        elif key == "lieu2":
            value = _pick(rng, _DEPARTURES)
            while value == place:
                value = _pick(rng, _DEPARTURES)
        elif key == "groupe":
            value = _pick(rng, self._material.groups)
        elif key == "theme":
            value = _pick(rng, self._material.themes)
        elif key == "epoque":
            value = _era(rng, self._year)
        elif key == "duree":
            value = _pick(rng, _DURATIONS_SPENT)
        elif key == "n_ans":
            value = _pick(rng, _YEARS_WORDS)
        elif key == "age":
            value = _pick(rng, _AGE_WORDS[:-1])
        elif key == "image":
            value = _pick(rng, _IMAGES)
        else:
            raise KeyError(key)
        self[key] = value
        return value


def _synopsis(
    rng: random.Random,
    subjects: Sequence[str],
    draft: _Draft,
    place: str,
    pool: _NamePool,
    year: int,
    director_female: bool,
) -> str:
    primary = _SUBJECT_MATERIAL[subjects[0]]
    if draft.protagonist is not None:
        name, female = draft.protagonist, draft.protagonist_female
    else:
        # A title about a trade ("Le Dernier Passeur") gives the synopsis its protagonist's gender.
        female = draft.protagonist_female if draft.trade else rng.random() < 0.5
        name = _pick(rng, pool.female if female else pool.male)
    trade = draft.trade or _pick(rng, primary.trades)[1 if female else 0]
    director = "la réalisatrice" if director_female else "le réalisateur"
    values = _Slots(rng, primary, place, year)
    values.update(
        lieu=place, prenom=name, metier=trade, lui="elle" if female else "lui", realisateur=director,
        Realisateur=_cap(director), il_real="elle" if director_female else "il",
    )
    if draft.protagonist is not None:
        openers = _PERSON_OPENERS
    else:
        # Someone who "never left" their town cannot be the exile of a migration story.
        openers = _OPENERS_MIGRATION if subjects[0] == "Migrations" else _OPENERS
    sentences = [_pick(rng, openers).format_map(values)]
    first = _pick(rng, primary.sentences)
    sentences.append(first.format_map(values))
    if rng.random() < 0.6:
        if len(subjects) > 1:
            sentences.append(_pick(rng, _SUBJECT_MATERIAL[subjects[1]].sentences).format_map(values))
        else:
            second = _pick(rng, primary.sentences)
            if second != first:
                sentences.append(second.format_map(values))
    if rng.random() < 0.55:
        if year < 1985 and rng.random() < 0.4:
            closer = "Tourné en 16 mm, le film est aussi un précieux document sur son époque."
        elif year >= 2015 and rng.random() < 0.15:
            closer = "Un film d'une brûlante actualité."
        else:
            closer = _pick(rng, _CLOSERS).format_map(values)
        sentences.append(closer)
    return " ".join(sentences)


# ---------------------------------------------------------------------------
# Other attributes
# ---------------------------------------------------------------------------

_DECADES = _Table([(1960, 3.0), (1970, 6.0), (1980, 8.0), (1990, 12.0), (2000, 20.0), (2010, 30.0), (2020, 21.0)])

_DURATION_KINDS = _Table([
    ("short", 14.0), ("medium", 6.0), ("tv52", 18.0), ("tv", 12.0), ("mid", 12.0), ("feature", 25.0),
    ("long", 10.0), ("very_long", 1.0), ("epic", 2.0),
])


_SUBJECT_COUNT = _Table([(1, 30.0), (2, 45.0), (3, 25.0)])

_AGE_DEFAULT = _Table(list(zip(AGE_ADVICE, (62.0, 18.0, 14.0, 6.0), strict=True)))
_AGE_SENSITIVE = _Table(list(zip(AGE_ADVICE, (40.0, 22.0, 25.0, 13.0), strict=True)))


def _duration(rng: random.Random) -> int:
    kind = _DURATION_KINDS.draw(rng)
    if kind == "short":
        return rng.randint(20, 35)
    if kind == "medium":
        return rng.randint(36, 49)
    if kind == "tv52":
        return 52  # the French television slot that shapes so many documentaries
    if kind == "tv":
        return rng.randint(50, 58)
    if kind == "mid":
        return rng.randint(59, 75)
    if kind == "feature":
        return round(rng.triangular(76, 100, 90))
    if kind == "long":
        return rng.randint(101, 140)
    if kind == "very_long":
        return rng.randint(141, 149)
    return rng.randint(150, 180)


def _year(rng: random.Random) -> int:
    decade = _DECADES.draw(rng)
    return decade + int(rng.random() * (6 if decade == 2020 else 10))


def _subjects(rng: random.Random, title: str, country: str) -> tuple[str, ...]:
    target = _SUBJECT_COUNT.draw(rng)
    chosen: list[str] = []
    hints = _title_subjects(title)
    if hints:
        chosen.append(hints[0])
        if len(hints) > 1 and target > 1 and rng.random() < 0.5:
            chosen.append(hints[1])
    region = _REGION_SUBJECTS.get(country)
    if region is not None and len(chosen) < target and rng.random() < region[1] and region[0] not in chosen:
        chosen.append(region[0])
    while len(chosen) < target:
        subject = _GENERAL_SUBJECTS.draw(rng)
        if subject not in chosen:
            chosen.append(subject)
    return tuple(chosen)


_BASE36 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"


def _isan_check(hex_digits: str) -> str:
    """ISO 7064 MOD 37-36 check character, as used by ISAN."""
    product = 36
    for char in hex_digits:
        total = (product + int(char, 16)) % 36
        product = ((total or 36) * 2) % 37
    return _BASE36[(37 - product) % 36]


def isan_is_valid(isan: str) -> bool:
    """Tell whether an ISAN string is well formed and both of its check characters are right."""
    match = re.fullmatch(
        r"([0-9A-F]{4})-([0-9A-F]{4})-([0-9A-F]{4})-([0-9A-F]{4})-([0-9A-Z])-([0-9A-F]{4})-([0-9A-F]{4})-([0-9A-Z])",
        isan,
    )
    if match is None:
        return False
    root_episode = "".join(match.group(1, 2, 3, 4))
    version = "".join(match.group(6, 7))
    return match.group(5) == _isan_check(root_episode) and match.group(8) == _isan_check(root_episode + version)


def _isan(index: int, seed: int, rng: random.Random) -> str:
    # An odd multiplier makes the mapping a bijection modulo 2**32, hence unique roots per index.
    root = (index * 0x9E3779B1 + seed * 0x85EBCA6B + 0x10000) & 0xFFFFFFFF
    root_hex = f"0000{root:08X}"
    episode = "0000"
    version = "00000000" if rng.random() < 0.8 else f"{int(rng.random() * 0xFFFF) + 1:04X}0000"
    first = _isan_check(root_hex + episode)
    second = _isan_check(root_hex + episode + version)
    return (
        f"{root_hex[0:4]}-{root_hex[4:8]}-{root_hex[8:12]}-{episode}-{first}-"
        f"{version[0:4]}-{version[4:8]}-{second}"
    )


def _national_number(index: int) -> str:
    # 7919 is prime and coprime with 10**6, so every index below a million gets its own number,
    # and the numbers look like a real inventory rather than a counter.
    return f"BPI-DOC-{(index * 7919 + 4217) % 1_000_000:06d}"


def _credits(
    rng: random.Random, people: _People, countries: tuple[str, ...], title_lang: str, director_pool: str
) -> tuple[CreditSeed, ...]:
    names: list[str] = []
    credits: list[CreditSeed] = []
    for _ in range(2 if rng.random() < 0.12 else 1):
        name = people.get(director_pool, "director", names)
        names.append(name)
        credits.append(CreditSeed(name, "director"))
    for role in _CREW_ROLES.draw(rng):
        # Crews of co-productions mix technicians from every producing country.
        country = countries[0] if len(countries) == 1 or rng.random() < 0.65 else _pick(rng, countries[1:])
        name = people.get(_pool_key(country, title_lang, rng), "crew", names)
        names.append(name)
        credits.append(CreditSeed(name, role))
    return tuple(credits)


# ---------------------------------------------------------------------------
# Public entry point
# ---------------------------------------------------------------------------


def generate_films(count: int, seed: int = 2024) -> list[FilmSeed]:
    """Generate ``count`` documentary films, identically for a given ``(count, seed)``.

    Each film depends only on the films before it, so a shorter catalogue is a prefix of a
    longer one generated with the same seed.
    """
    if count < 0:
        raise ValueError("count must be positive or zero")
    if count > MAX_FILMS:
        raise ValueError(f"count must not exceed {MAX_FILMS}")
    rng = random.Random(seed)
    people = _People(rng)
    taken: set[str] = set()
    films: list[FilmSeed] = []
    for index in range(count):
        profile = _PROFILES.draw(rng)
        countries = profile.countries
        main = countries[0]
        title_lang = profile.title_lang
        places = _places_for(main, title_lang)
        if main == "FR" and rng.random() < 0.15:
            places = _ELSEWHERE
        director_pool = _pool_key(main, title_lang, rng)
        ctx = _Context(places=places, pool=_POOLS[director_pool], title_lang=title_lang)
        year = _year(rng)
        draft = _unique_title(rng, ctx, year, taken)
        taken.add(draft.title)
        subjects = _subjects(rng, draft.title, main)
        credits = _credits(rng, people, countries, title_lang, director_pool)
        director_female = people.is_female(credits[0].name)
        place = draft.place or _pick(rng, places)[0]
        synopsis = _synopsis(rng, subjects, draft, place, ctx.pool, year, director_female)
        recent = year >= 2005
        age_table = _AGE_SENSITIVE if _SENSITIVE_SUBJECTS.intersection(subjects) else _AGE_DEFAULT
        films.append(FilmSeed(
            title=draft.title,
            original_title=draft.original,
            year=year,
            duration_minutes=_duration(rng),
            synopsis=synopsis,
            countries=countries,
            languages=_pick(rng, profile.languages),
            subjects=subjects,
            credits=credits,
            age_advice=age_table.draw(rng),
            # Accessibility versions are far more common for recent films.
            has_sme_captions=rng.random() < (0.55 if recent else 0.30),
            has_audio_description=rng.random() < (0.26 if recent else 0.11),
            has_lsf=rng.random() < (0.07 if recent else 0.02),
            isan=_isan(index, seed, rng) if rng.random() < (0.5 if year >= 2000 else 0.22) else None,
            national_number=_national_number(index),
        ))
    return films
