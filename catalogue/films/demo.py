"""Deterministic, standard-library-only generator of a realistic catalogue of documentary films."""

import bisect
import random
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Generic, TypeVar

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
# Grammar helpers (French first, then the languages of original titles)
# ---------------------------------------------------------------------------

def _words(text: str) -> tuple[str, ...]:
    return tuple(text.split())


def _names(text: str) -> tuple[str, ...]:
    # Comma-separated so that compound names ("Ben Ammar", "Mame Diarra") stay whole.
    return tuple(part.strip() for part in text.split(",") if part.strip())


_VOWEL_START = frozenset("aeiouâàäéèêëîïôöûùüœæAEIOUÂÀÄÉÈÊËÎÏÔÖÛÙÜŒÆ")

# Words and names starting with an "h" that forbids elision ("de Hambourg", not "d'Hambourg").
_H_ASPIRE = frozenset({
    "Hambourg", "Halle", "Hanovre", "Huelva", "Harlem", "Halifax", "Hakim", "Hamid", "Hichem",
    "Hind", "Houria", "Hafsia", "Hannah", "Harriet", "Heather", "Heike", "Hamza", "Hội", "Hồ",
    "Hà", "Hải", "Hương", "héros", "haut", "hauts", "hameau",
})

_FR_PRENOMINAL = frozenset(_words(
    "dernier dernière derniers dernières premier première premiers premières petit petite petits "
    "petites vieux vieil vieille vieilles jeune jeunes grand grande grands grandes nouveau nouvel "
    "nouvelle nouveaux nouvelles autre autres haut haute hauts hautes seul seule seuls seules"
))


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


# Places whose locative is not the regular "à X" / "au X" / "en X".
_FR_IN_OVERRIDES: dict[str, str] = {
    "la Réunion": "à La Réunion",
    "les Cévennes": "dans les Cévennes",
    "les Vosges": "dans les Vosges",
    "les Landes": "dans les Landes",
    "les Ardennes": "dans les Ardennes",
    "les Andes": "dans les Andes",
    "les Appalaches": "dans les Appalaches",
    "les Asturies": "dans les Asturies",
    "le Rif": "dans le Rif",
    "l'Atlas": "dans l'Atlas",
    "le Finistère": "dans le Finistère",
    "le Morvan": "dans le Morvan",
    "le Vercors": "dans le Vercors",
    "le Jura": "dans le Jura",
    "le Cantal": "dans le Cantal",
    "le Quercy": "dans le Quercy",
    "le Yorkshire": "dans le Yorkshire",
    "le Bronx": "dans le Bronx",
    "le Sertão": "dans le Sertão",
    "le bassin minier": "dans le bassin minier",
    "le Marais poitevin": "dans le Marais poitevin",
    "la vallée de la Fensch": "dans la vallée de la Fensch",
    "l'île d'Oléron": "sur l'île d'Oléron",
    "la Côte-Nord": "sur la Côte-Nord",
    "le Jura bernois": "dans le Jura bernois",
    "le pays dogon": "en pays dogon",
    "le delta du Mékong": "dans le delta du Mékong",
    "la baie d'Along": "dans la baie d'Along",
    "le Tonlé Sap": "sur les rives du Tonlé Sap",
    "l'Himalaya": "dans l'Himalaya",
    "l'Atacama": "dans le désert d'Atacama",
    "Haïti": "en Haïti",
}


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


_PT_CONTRACTIONS: dict[str, tuple[str, str, str, str]] = {
    "de": ("do", "da", "dos", "das"),
    "em": ("no", "na", "nos", "nas"),
    "a": ("ao", "à", "aos", "às"),
}


def _pt(prep: str, phrase: str) -> str:
    # Portuguese contracts prepositions with articles: "do Rio de Janeiro", "na Amazônia".
    for index, article in enumerate(("o ", "a ", "os ", "as ")):
        if phrase.startswith(article):
            return f"{_PT_CONTRACTIONS[prep][index]} {phrase[len(article):]}"
    return f"{prep} {phrase}"


_IT_DI = (
    ("il ", "del "), ("lo ", "dello "), ("la ", "della "), ("l'", "dell'"),
    ("i ", "dei "), ("gli ", "degli "), ("le ", "delle "),
)


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


@dataclass(frozen=True)
class _NamePool:
    female: tuple[str, ...]
    male: tuple[str, ...]
    surnames: tuple[str, ...]
    family_first: bool = False
    double_surname: float = 0.0
    middle_female: tuple[str, ...] = ()
    middle_male: tuple[str, ...] = ()


_POOLS: dict[str, _NamePool] = {
    "fr": _NamePool(
        female=_words(
            "Marie Camille Claire Sophie Anne Isabelle Hélène Juliette Léa Chloé Manon Élise Mathilde "
            "Agnès Nathalie Valérie Sandrine Céline Émilie Laure Margaux Pauline Lucie Aurélie Virginie "
            "Delphine Sylvie Françoise Monique Geneviève Brigitte Catherine Dominique Christine Martine "
            "Colette Odile Bérénice Solène Gaëlle Maëlle Clémence Noémie Inès Jeanne Louise Alice Marion "
            "Charlotte Judith Ariane Océane Nadège Laetitia Stéphanie Florence Élodie Coralie Marine Anaïs "
            "Hélène Yvonne Josiane Ségolène Perrine Armelle Annabelle"
        ),
        male=_words(
            "Jean Pierre Michel Philippe Alain Bernard Jacques François Nicolas Olivier Thomas Julien "
            "Mathieu Antoine Guillaume Sébastien Vincent Laurent Stéphane Christophe Frédéric Benoît "
            "Jérôme Yann Gaël Loïc Hugo Lucas Théo Raphaël Maxime Damien Rémi Arnaud Clément Bastien "
            "Étienne Grégoire Xavier Yves Gérard Marcel René Henri Luc Denis Patrice Cédric Fabrice Hervé "
            "Jean-Luc Jean-Marc Jean-Pierre Pierre-Yves Paul Émile Joseph Louis Noël Baptiste Aurélien "
            "Florian Ronan Erwan Mathias"
        ),
        surnames=_names(
            "Martin, Bernard, Dubois, Thomas, Robert, Richard, Petit, Durand, Leroy, Moreau, Simon, "
            "Laurent, Lefèvre, Michel, David, Bertrand, Roux, Vincent, Fournier, Morel, Girard, André, "
            "Mercier, Dupont, Lambert, Bonnet, François, Legrand, Garnier, Faure, Rousseau, Blanc, Guérin, "
            "Muller, Henry, Roussel, Perrin, Morin, Mathieu, Clément, Gauthier, Dumont, Fontaine, "
            "Chevalier, Robin, Masson, Gérard, Boyer, Denis, Lemaire, Duval, Joly, Gautier, Roche, Noël, "
            "Meyer, Lucas, Meunier, Marchand, Dufour, Blanchard, Barbier, Brun, Dumas, Brunet, Schmitt, "
            "Leroux, Colin, Renard, Arnaud, Rolland, Caron, Aubert, Giraud, Leclerc, Vidal, Bourgeois, "
            "Renaud, Lemoine, Picard, Gaillard, Lacroix, Fabre, Dupuis, Olivier, Hubert, Rivière, Le Gall, "
            "Adam, Rey, Moulin, Berger, Lecomte, Ménard, Fleury, Deschamps, Carpentier, Benoît, Maillard, "
            "Marchal, Aubry, Vasseur, Le Roux, Jacquet, Collet, Prévost, Poirier, Charpentier, Royer, "
            "Huet, Baron, Dupuy, Pons, Carré, Breton, Rémy, Perrot, Guyot, Barre, Marty, Cousin, Le Goff, "
            "Kerbrat, Tanguy, Quéré, Le Bihan, Cazenave, Etcheverry, Lagarde, Delmas, Bouvier, Favier, "
            "Besson, Chauvin, Arnoux, Peyrot, Castaing, Marchetti, Santoni, Ferrand, Thibault, Vallet, "
            "Lebon, Després, Chabert, Lalande, Raynaud, Bonnefoy, Laborde, Jourdan, Caillaud, Grimaud"
        ),
    ),
    "be": _NamePool(
        female=_words(
            "Annick Véronique Fabienne Anne-Sophie Pascale Nathalie Els Griet An Sarah Laure Chantal "
            "Myriam Delphine Marie-Claire Caroline Sandrine Hélène Isabelle Charlotte"
        ),
        male=_words(
            "Luc Jean-Marie Benoît Frédéric Thierry Olivier Pieter Koen Wim Bart Jan Didier Philippe Marc "
            "Geert Michel Laurent Nicolas Arnaud Quentin"
        ),
        surnames=_names(
            "Peeters, Janssens, Maes, Jacobs, Mertens, Willems, Claes, Goossens, Wouters, De Smet, "
            "Dubois, Lambert, Dupont, Leclercq, Renard, Lemaire, Collard, Gilson, Delvaux, Hermans, "
            "Vandenberghe, Dewulf, Lejeune, Moens, Hendrickx, Michiels, Cornet, Piron, Wauters, "
            "Vermeulen, Van Acker, Pirard, Stiernon, Deprez, Mathy, Gérard, Lurquin, Bodart, Closset"
        ),
    ),
    "ch": _NamePool(
        female=_words("Anne-Laure Mireille Séverine Corinne Martine Aline Noémie Sabine Léa Fanny Nadia Sylvie"),
        male=_words("Jean-Daniel Pierre-Alain Yves Laurent Olivier Stéphane Raphaël Lionel Cédric Nicolas Fabian"),
        surnames=_names(
            "Favre, Rochat, Perrin, Mottier, Zbinden, Cuendet, Chappuis, Jaccard, Meylan, Bonvin, "
            "Rossier, Schaller, Pittet, Monnier, Dubuis, Tschanz, Reymond, Aebischer, Clerc, "
            "Vuilleumier, Bovet, Gerber, Burri, Gigon, Fragnière, Jeanneret"
        ),
    ),
    "qc": _NamePool(
        female=_words(
            "Geneviève Marie-Ève Mélanie Julie Annie Isabelle Sophie Catherine Karine Josée Chantal "
            "Maryse Valérie Marie-Hélène Émilie"
        ),
        male=_words(
            "Jean-François Sylvain Martin Éric Stéphane Patrick Mathieu Simon Gilles Luc Benoît Denis "
            "Réjean Gaétan Félix"
        ),
        surnames=_names(
            "Tremblay, Gagnon, Roy, Côté, Bouchard, Gauthier, Morin, Lavoie, Fortin, Gagné, Ouellet, "
            "Pelletier, Bélanger, Lévesque, Bergeron, Leblanc, Paquette, Girard, Simard, Boucher, "
            "Caron, Beaulieu, Cloutier, Dubé, Poirier, Lapointe, Leclerc, Lefebvre, Poulin, Thibault, "
            "St-Pierre, Desjardins, Labrecque, Charbonneau, Arsenault, Nadeau"
        ),
    ),
    "waf": _NamePool(
        female=_names(
            "Aminata, Fatou, Awa, Mariama, Aïssatou, Khady, Ramatoulaye, Kadiatou, Oumou, Rokia, "
            "Salimata, Binta, Ndeye, Coumba, Astou, Fanta, Nafissatou, Djeneba, Safiatou, Maïmouna, "
            "Assita, Rasmata, Mame Diarra, Yacine, Adjoa, Akissi"
        ),
        male=_names(
            "Mamadou, Ousmane, Moussa, Ibrahima, Cheikh, Souleymane, Boubacar, Abdoulaye, Seydou, "
            "Idrissa, Adama, Lamine, Modou, Babacar, Aliou, Pape, Issa, Amadou, Bakary, Sékou, Djibril, "
            "Malick, Tidiane, Yacouba, Koffi, Kouamé"
        ),
        surnames=_names(
            "Diop, Ndiaye, Sow, Diallo, Traoré, Keïta, Coulibaly, Touré, Sissoko, Cissé, Konaté, "
            "Ouédraogo, Sawadogo, Kaboré, Camara, Fall, Faye, Mbaye, Sarr, Kouyaté, Diabaté, Sangaré, "
            "Dembélé, Koné, Bamba, Kouassi, N'Guessan, Gueye, Seck, Niang, Thiam, Ba, Barry, Bah, Sy, "
            "Kane, Dia, Tall, Dramé, Doumbia, Diakité, Kanté, Maïga, Cissoko, Tapsoba, Zongo, "
            "Ilboudo, Yaméogo, Zerbo, Konan, Kouadio"
        ),
    ),
    "caf": _NamePool(
        female=_words("Espérance Patience Grâce Mireille Nadège Solange Joséphine Clémentine Rosine Ornella Chantal"),
        male=_words("Dieudonné Fiston Trésor Blaise Jean-Marie Serge Yannick Christian Didier Landry Armel Hervé"),
        surnames=_names(
            "Mukendi, Kabongo, Ilunga, Tshibanda, Mbuyi, Kasongo, Lumbala, Nsimba, Matondo, Kalala, "
            "Mbala, Lukusa, Ngoy, Mwamba, Bokolo, Mbarga, Essomba, Fotso, Tchatchoua, Nkoulou, Ngono, "
            "Atangana, Kamga, Tchinda, Mbida, Ekotto"
        ),
    ),
    "mag": _NamePool(
        female=_words(
            "Nadia Yasmina Leïla Samira Amina Malika Dalila Houria Soraya Meriem Kenza Rym Nawel Sabrina "
            "Fatima Khadija Zohra Aïcha Lamia Salma Hafsia Imane Nour Sonia Yamina Latifa Hind Najat "
            "Dorra Amel"
        ),
        male=_words(
            "Karim Mehdi Rachid Farid Nassim Sofiane Hakim Kamel Walid Nabil Youssef Anouar Mourad "
            "Samir Tarek Omar Hichem Saïd Mohamed Ahmed Ali Hamid Mustapha Lotfi Nadir Réda Ilyes Yacine "
            "Bilal Slimane Abdelkader Larbi Brahim"
        ),
        surnames=_names(
            "Benali, Bouzid, Haddad, Mansouri, Belkacem, Chérif, Zerrouki, Amrani, Bensaïd, Tazi, "
            "Alaoui, Chaouch, Ben Ammar, Trabelsi, Jebali, Hamdi, Messaoudi, Khelifi, Boudjema, Ouali, "
            "Lahlou, Bennani, Saïdi, Medjahed, Benmoussa, Djebbar, Ait Ali, Amara, Bouaziz, Chaabane, "
            "Dridi, Ferhat, Guerfi, Idir, Kaci, Lounis, Meddeb, Naceri, Rahmani, Slimani, Taleb, "
            "Zitouni, Belhadj, Boukhari, El Idrissi, Berrada, Chraïbi, Filali, Benjelloun, Mejri, Zaïdi, "
            "Yahiaoui, Mekki, Tlili"
        ),
    ),
    "vi": _NamePool(
        female=_words("Linh Thảo Lan Mai Hương Ngọc Trang Thu Phương Hạnh Yến"),
        male=_words("Minh Huy Trung Quang Tuấn Dũng Hải Long Nam Sơn Khoa Bảo"),
        surnames=_words("Nguyễn Trần Lê Phạm Hoàng Vũ Đặng Bùi Đỗ Ngô Dương Lý Phan Võ Trương"),
        family_first=True,
        middle_female=_words("Thị Ngọc Thu Minh"),
        middle_male=_words("Văn Minh Đức Quốc Hữu"),
    ),
    "km": _NamePool(
        female=_words("Sophea Chanthy Sreymom Bopha Dany Kalyan Sopheap Vanny Rachana Sreyneang"),
        male=_words("Vannak Dara Sokha Vuthy Rithisak Sovann Bunthoeun Visal Kosal Piseth"),
        surnames=_words("Sok Chea Kim Heng Chhun Ly Meas Prak Seng Touch Chan Keo Mao Nhem Pen Sam Sin Yin Hem"),
        family_first=True,
    ),
    "en": _NamePool(
        female=_words(
            "Sarah Emily Jennifer Rachel Laura Megan Jessica Amanda Nicole Heather Lauren Keisha Tamika "
            "Olivia Hannah Grace Abigail Samantha Katherine Elizabeth Rebecca Claire Fiona Siobhan "
            "Eleanor Harriet Alison Julia Naomi Ruth Dana Maya Aisha Priya Bridget Molly"
        ),
        male=_words(
            "Michael David James Daniel Kevin Brian Ryan Matthew Andrew Jason Marcus Andre Robert "
            "William John Christopher Joshua Nathan Peter Benjamin Samuel Owen Callum Rhys Liam Patrick "
            "Sean Darnell Tyrone Raj Ethan Noah Caleb Gareth Dylan Connor"
        ),
        surnames=_names(
            "Smith, Johnson, Williams, Brown, Jones, Miller, Davis, Wilson, Anderson, Taylor, Moore, "
            "Jackson, Lee, Thompson, White, Harris, Clark, Lewis, Robinson, Walker, Young, Allen, King, "
            "Wright, Scott, Green, Baker, Adams, Nelson, Hill, Campbell, Mitchell, Roberts, Carter, "
            "Phillips, Evans, Turner, Parker, Collins, Edwards, Stewart, Morris, Murphy, Cook, Rogers, "
            "Morgan, Cooper, Peterson, Reed, Bailey, Bell, Kelly, Howard, Ward, Cox, Richardson, Wood, "
            "Watson, Brooks, Bennett, Gray, Hughes, Price, Sanders, Myers, Ross, Foster, Owen, Fletcher, "
            "Hargreaves, Whitfield, Pritchard, Davies, Llewellyn, Patel, Okafor, Mensah, Chowdhury, "
            "Hussain, Singh, O'Brien, McAllister, Gallagher, Doyle"
        ),
    ),
    "de": _NamePool(
        female=_words(
            "Anna Julia Katharina Sabine Miriam Ulrike Lena Jana Heike Birgit Petra Claudia Susanne "
            "Franziska Johanna Greta Marlene Sophie Hannah Leonie Antje Dörte Silke Britta Anke"
        ),
        male=_words(
            "Lukas Jonas Felix Thomas Stefan Matthias Tobias Florian Jürgen Sebastian Klaus Wolfgang "
            "Andreas Markus Jens Uwe Dirk Moritz Maximilian Niklas Philipp Bernd Gregor Volker Emre"
        ),
        surnames=_names(
            "Müller, Schmidt, Schneider, Fischer, Weber, Meyer, Wagner, Becker, Schulz, Hoffmann, Koch, "
            "Richter, Klein, Wolf, Schröder, Neumann, Schwarz, Braun, Zimmermann, Krüger, Hofmann, "
            "Hartmann, Lange, Werner, Krause, Lehmann, Köhler, Maier, Huber, Brandt, Gruber, Pichler, "
            "Steiner, Moser, Hofer, Leitner, Fuchs, Eder, Wimmer, Egger, Reiter, Yılmaz, Demir, Kaya, "
            "Şahin, Öztürk, Aydın, Çelik, Kowalski, Vogel, Sommer, Engel"
        ),
    ),
    "es": _NamePool(
        female=_words(
            "Lucía Carmen Marta Elena Nuria Montserrat Begoña Pilar Laia Ainhoa Irene Paula Cristina "
            "Rocío Inmaculada Itziar Mercedes Alba Beatriz Raquel"
        ),
        male=_words(
            "Javier Pablo Álvaro Sergio Jordi Iñaki Alejandro Carlos Manuel Antonio Jesús Fernando "
            "Óscar Íñigo Pau Andrés Rubén Guillermo Joan Xavier"
        ),
        surnames=_names(
            "García, Fernández, López, Martínez, Sánchez, Pérez, Gómez, Ruiz, Hernández, Díaz, Moreno, "
            "Muñoz, Álvarez, Romero, Navarro, Torres, Domínguez, Vázquez, Ramos, Gil, Serrano, Blanco, "
            "Molina, Ortega, Castro, Garrido, Iglesias, Vidal, Puig, Ferrer, Soler, Pujol, Etxeberria, "
            "Goikoetxea, Aguirre, Otero, Rey, Lorenzo, Cabrera, Cano, Prieto, Méndez, Calvo, Gallego, "
            "Santana"
        ),
        double_surname=0.45,
    ),
    "latam": _NamePool(
        female=_words(
            "Valentina Camila Ximena Florencia Catalina Paz Daniela Fernanda Guadalupe Maite Constanza "
            "Renata Sofía Antonia Luciana Mariana Itzel Yolanda"
        ),
        male=_words(
            "Mateo Diego Joaquín Rodrigo Matías Tomás Santiago Emiliano Sebastián Gonzalo Ignacio "
            "Felipe Nicolás Luis Ramiro Esteban Hernán Julián"
        ),
        surnames=_names(
            "González, Rodríguez, Silva, Rojas, Contreras, Morales, Figueroa, Vargas, Herrera, Quispe, "
            "Mamani, Castillo, Medina, Aguilar, Cárdenas, Gutiérrez, Flores, Ramírez, Reyes, Jiménez, "
            "Mendoza, Ortiz, Salazar, Espinoza, Sepúlveda, Fuentes, Araya, Valenzuela, Acosta, Benítez, "
            "Villalobos, Zapata, Ríos, Pineda, Bustos, Carrasco, Huenchumilla"
        ),
        double_surname=0.35,
    ),
    "it": _NamePool(
        female=_words(
            "Giulia Francesca Chiara Sara Martina Federica Silvia Valentina Roberta Alessandra Elisa "
            "Paola Laura Anna Ilaria Serena Giorgia Beatrice Costanza Ludovica"
        ),
        male=_words(
            "Marco Luca Alessandro Matteo Davide Lorenzo Giovanni Paolo Andrea Stefano Francesco "
            "Giuseppe Antonio Pietro Gianni Massimo Roberto Fabio Simone Tommaso Emanuele Vittorio"
        ),
        surnames=_names(
            "Rossi, Russo, Ferrari, Esposito, Bianchi, Romano, Colombo, Ricci, Marino, Greco, Bruno, "
            "Gallo, Conti, De Luca, Mancini, Costa, Giordano, Rizzo, Lombardi, Moretti, Barbieri, "
            "Fontana, Santoro, Mariani, Rinaldi, Caruso, Ferrara, Galli, Martini, Leone, Longo, Gentile, "
            "Martinelli, Vitale, Serra, Coppola, De Santis, D'Angelo, Pellegrini, Sartori"
        ),
    ),
    "pt": _NamePool(
        female=_words(
            "Maria Inês Catarina Beatriz Ana Sofia Filipa Leonor Joana Rita Marta Teresa Mariana Carolina Helena"
        ),
        male=_words(
            "João Rui Tiago Pedro Miguel Nuno Gonçalo Diogo Francisco Bruno Ricardo André Luís Manuel Duarte"
        ),
        surnames=_names(
            "Silva, Santos, Ferreira, Pereira, Oliveira, Costa, Rodrigues, Martins, Sousa, Fernandes, "
            "Gonçalves, Gomes, Lopes, Marques, Alves, Almeida, Ribeiro, Pinto, Carvalho, Teixeira, "
            "Moreira, Correia, Mendes, Nunes, Soares, Vieira, Monteiro, Cardoso, Rocha, Neves, Coelho, Cruz"
        ),
    ),
    "br": _NamePool(
        female=_words(
            "Larissa Juliana Fernanda Mariana Camila Letícia Bruna Gabriela Aline Tainá Jéssica Luana "
            "Raquel Patrícia Vanessa Thaís"
        ),
        male=_words(
            "Thiago Gabriel Rafael Lucas Bruno Caio Felipe Gustavo Vinícius Leonardo Rodrigo Marcelo "
            "Henrique Matheus Igor Renato"
        ),
        surnames=_names(
            "Silva, Santos, Oliveira, Souza, Lima, Pereira, Ferreira, Costa, Rodrigues, Almeida, "
            "Nascimento, Barbosa, Araújo, Cavalcanti, Moura, Batista, Freitas, Azevedo, Machado, "
            "Carvalho, Gomes, Martins, Rocha, Ribeiro, Alves, Monteiro, Mendes, Cardoso, Teixeira, "
            "Xavier, Macedo, Tavares, Prado, Pires"
        ),
    ),
    "ja": _NamePool(
        female=_words(
            "Yuki Aiko Naomi Mariko Keiko Yumiko Emi Sachiko Noriko Kaori Haruka Miho Ayako Tomoko "
            "Megumi Yoko Rie Chihiro Asami Natsuki"
        ),
        male=_words(
            "Takeshi Kenji Hiroshi Daisuke Shinji Kazuo Ryo Makoto Satoshi Haruki Yusuke Kenta Takuya "
            "Shota Masaki Tetsuya Koji Naoki Jun Akira"
        ),
        surnames=_words(
            "Satō Suzuki Takahashi Tanaka Watanabe Itō Yamamoto Nakamura Kobayashi Katō Yoshida Yamada "
            "Sasaki Yamaguchi Matsumoto Inoue Kimura Hayashi Shimizu Mori Ikeda Hashimoto Ishikawa "
            "Ogawa Fujita Okada Hasegawa Murakami Kondō Sakamoto"
        ),
    ),
}

# French productions reflect the diversity of French society rather than a single name pool.
_FRENCH_PEOPLE = _Table([
    ("fr", 80.0), ("mag", 8.0), ("waf", 3.0), ("pt", 2.0), ("vi", 2.0),
    ("es", 1.5), ("be", 1.5), ("it", 1.0), ("caf", 1.0),
])

_COUNTRY_POOL: dict[str, str] = {
    "FR": "fr", "BE": "be", "CH": "ch", "SN": "waf", "ML": "waf", "BF": "waf", "CI": "waf",
    "CD": "caf", "CM": "caf", "DZ": "mag", "MA": "mag", "TN": "mag", "VN": "vi", "KH": "km",
    "US": "en", "GB": "en", "DE": "de", "AT": "de", "ES": "es", "AR": "latam", "MX": "latam",
    "CL": "latam", "CO": "latam", "IT": "it", "PT": "pt", "BR": "br", "JP": "ja",
}


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


def _local(names: str) -> tuple[tuple[str, str], ...]:
    # Places of French-speaking countries are written the same way in both slots.
    return tuple((name, name) for name in _names(names))


def _pairs(names: str) -> tuple[tuple[str, str], ...]:
    result = []
    for item in _names(names):
        french, _, local = item.partition("=")
        result.append((french.strip(), (local or french).strip()))
    return tuple(result)


_PLACES: dict[str, tuple[tuple[str, str], ...]] = {
    "FR": _local(
        "Marseille, Lyon, Lille, Roubaix, Saint-Nazaire, Brest, Le Havre, Nantes, Bordeaux, Toulouse, "
        "Saint-Étienne, Clermont-Ferrand, Grenoble, Montreuil, Saint-Denis, Aubervilliers, Vénissieux, "
        "Villeurbanne, Calais, Dunkerque, Longwy, Florange, Decazeville, Carmaux, Billancourt, Sochaux, "
        "Fos-sur-Mer, Le Creusot, Lorient, Concarneau, Douarnenez, Arles, Sète, Montpellier, Perpignan, "
        "Bayonne, Limoges, Tulle, Rennes, Caen, Cherbourg, Rouen, Amiens, Reims, Metz, Nancy, "
        "Strasbourg, Mulhouse, Besançon, Dijon, Saint-Claude, Ajaccio, Bastia, Nice, Toulon, "
        "La Rochelle, Les Sables-d'Olonne, Belle-Île, Ouessant, Mayotte, la Creuse, le Larzac, "
        "les Cévennes, le Morvan, l'Aubrac, le Vercors, l'Ardèche, le Jura, les Vosges, la Camargue, "
        "le Cantal, l'Ariège, la Corse, la Guadeloupe, la Martinique, la Réunion, la Guyane, "
        "le Finistère, la Beauce, le Pays basque, la Brière, le Quercy, la Lozère, les Landes, "
        "le bassin minier, la vallée de la Fensch, l'île d'Oléron, le Marais poitevin"
    ),
    "BE": _local(
        "Bruxelles, Liège, Charleroi, Namur, Mons, Anvers, Gand, Ostende, Molenbeek, Seraing, "
        "La Louvière, le Borinage, les Ardennes, Verviers, Tournai, Arlon, Schaerbeek, Bruges, Louvain"
    ),
    "CH": _local(
        "Genève, Lausanne, Neuchâtel, Fribourg, le Valais, La Chaux-de-Fonds, Bâle, Sion, Bienne, "
        "Yverdon, Delémont, le Jura bernois, l'Engadine, Zurich, Lugano"
    ),
    "CA-fr": _local(
        "Montréal, Québec, le Saguenay, la Gaspésie, l'Abitibi, Trois-Rivières, "
        "les Îles-de-la-Madeleine, Rimouski, Sherbrooke, la Côte-Nord, Gatineau, le Lac-Saint-Jean, "
        "Chicoutimi, Kuujjuaq, Hochelaga"
    ),
    "SN": _local(
        "Dakar, Saint-Louis, Ziguinchor, Thiès, Touba, Rufisque, la Casamance, Kaolack, Gorée, Joal, "
        "Mbour, Podor, Tambacounda, Pikine"
    ),
    "ML": _local("Bamako, Tombouctou, Mopti, Gao, Kayes, Ségou, Djenné, Sikasso, le pays dogon, Bandiagara"),
    "BF": _local("Ouagadougou, Bobo-Dioulasso, Koudougou, Banfora, Dori, Ouahigouya, Kaya"),
    "CI": _local("Abidjan, Bouaké, Yamoussoukro, Grand-Bassam, San-Pédro, Korhogo, Man, Abobo, Yopougon"),
    "CD": _local("Kinshasa, Lubumbashi, Goma, Kisangani, Bukavu, Matadi, Mbandaka, Kolwezi, le Kivu"),
    "CM": _local("Douala, Yaoundé, Bafoussam, Garoua, Kribi, Limbé, Maroua"),
    "DZ": _local(
        "Alger, Oran, Constantine, Annaba, Tizi Ouzou, la Kabylie, Béjaïa, Tamanrasset, Ghardaïa, "
        "Sétif, Tlemcen, Blida, Biskra, Bab El Oued"
    ),
    "MA": _local(
        "Casablanca, Rabat, Tanger, Fès, Marrakech, Agadir, le Rif, Ouarzazate, Essaouira, Meknès, "
        "Oujda, Tétouan, l'Atlas, Salé"
    ),
    "TN": _local(
        "Tunis, Sfax, Gafsa, Kairouan, Sidi Bouzid, Djerba, Kasserine, Redeyef, Bizerte, Sousse, "
        "Gabès, Tozeur, Métlaoui"
    ),
    "VN": _local(
        "Hanoï, Hô Chi Minh-Ville, Hué, le delta du Mékong, Haïphong, Da Nang, Sa Pa, la baie d'Along, Cần Thơ"
    ),
    "KH": _local("Phnom Penh, Battambang, Siem Reap, Kampot, le Tonlé Sap, Kep, Sihanoukville, Kratie"),
    "US": _pairs(
        "Détroit=Detroit, La Nouvelle-Orléans=New Orleans, Chicago, Baltimore, Oakland, "
        "les Appalaches=Appalachia, l'Alaska=Alaska, le Texas=Texas, Harlem, Flint, Brooklyn, "
        "Pittsburgh, Tulsa, le Montana=Montana, la Louisiane=Louisiana, le Kentucky=Kentucky, "
        "Las Vegas, Standing Rock, le Mississippi=Mississippi, le Bronx=the Bronx, Cleveland, Memphis"
    ),
    "GB": _pairs(
        "Londres=London, Glasgow, Belfast, Liverpool, Manchester, la Cornouailles=Cornwall, "
        "les Hébrides=the Hebrides, le pays de Galles=Wales, Sheffield, Douvres=Dover, "
        "le Yorkshire=Yorkshire, Édimbourg=Edinburgh, Bradford, Newcastle, Brixton, "
        "les Shetland=Shetland, Cardiff"
    ),
    "CA-en": _pairs("Toronto, Vancouver, le Nunavut=Nunavut, Winnipeg, Halifax, le Yukon=the Yukon"),
    "DE": _pairs(
        "Berlin, Munich=München, Hambourg=Hamburg, Cologne=Köln, Leipzig, Dresde=Dresden, "
        "Brême=Bremen, Francfort=Frankfurt, Rostock, Chemnitz, Rügen, Duisbourg=Duisburg, Bochum, "
        "Görlitz, Halle, Stuttgart, Nuremberg=Nürnberg, Hanovre=Hannover"
    ),
    "AT": _pairs("Vienne=Wien, Graz, Salzbourg=Salzburg, Linz, Innsbruck, le Tyrol=Tirol"),
    "ES": _pairs(
        "Madrid, Barcelone=Barcelona, Séville=Sevilla, Bilbao, Cadix=Cádiz, Valence=Valencia, "
        "Almería, Grenade=Granada, Málaga, Saragosse=Zaragoza, Vigo, Gijón, Lavapiés, Tolède=Toledo, "
        "Huelva, Melilla, la Galice=Galicia, les Asturies=Asturias, l'Estrémadure=Extremadura"
    ),
    "AR": _pairs(
        "Buenos Aires, Rosario, la Patagonie=Patagonia, Tucumán, Córdoba, Ushuaia, Mendoza, Salta, "
        "Jujuy, La Plata"
    ),
    "MX": _pairs(
        "Mexico=Ciudad de México, Oaxaca, le Chiapas=Chiapas, Tijuana, Veracruz, Ciudad Juárez, "
        "Guadalajara, Monterrey, le Yucatán=Yucatán, le Sonora=Sonora"
    ),
    "CL": _pairs(
        "Valparaíso, Santiago, l'Atacama=Atacama, Chiloé, Iquique, Temuco, Punta Arenas, Antofagasta"
    ),
    "CO": _pairs("Medellín, Carthagène=Cartagena, Bogota=Bogotá, Cali, le Chocó=Chocó, Buenaventura"),
    "IT": _pairs(
        "Rome=Roma, Naples=Napoli, Palerme=Palermo, Turin=Torino, Gênes=Genova, Lampedusa, "
        "Tarente=Taranto, Venise=Venezia, Matera, Trieste, Bologne=Bologna, Milan=Milano, "
        "Catane=Catania, Bari, Livourne=Livorno, Florence=Firenze, Scampia, Ivrée=Ivrea, Prato, Riace"
    ),
    "PT": _pairs(
        "Lisbonne=Lisboa, Porto, Coimbra, Setúbal, Braga, Évora, Faro, Nazaré, Guimarães, Sines, Aveiro"
    ),
    "BR": _pairs(
        "São Paulo, Rio de Janeiro=o Rio de Janeiro, Salvador, Recife=o Recife, Belém, Manaus, "
        "Fortaleza, Brasília, Belo Horizonte, Porto Alegre, le Sertão=o Sertão, l'Amazonie=a Amazônia"
    ),
    "JP": _pairs(
        "Tokyo=東京, Osaka=大阪, Kyoto=京都, Hiroshima=広島, Nagasaki=長崎, Fukushima=福島, "
        "Okinawa=沖縄, Hokkaidō=北海道, Kobe=神戸, Sendai=仙台, Minamata=水俣, Kamagasaki=釜ヶ崎, "
        "Nara=奈良, Kanazawa=金沢, Yokohama=横浜, Ishinomaki=石巻, Sapporo=札幌, Kagoshima=鹿児島"
    ),
}

# French documentaries often travel: a share of them is set far from France.
_ELSEWHERE = _local(
    "la Patagonie, l'Amazonie, le Groenland, la Sibérie, le Sahel, la Mongolie, l'Himalaya, "
    "les Kerguelen, Tchernobyl, Fukushima, Lampedusa, Valparaíso, la Terre de Feu, les Andes, "
    "le Spitzberg, Haïti, Port-au-Prince, Istanbul, Lesbos, Naples, Bucarest, Odessa, Sarajevo, "
    "Beyrouth, Tanger, Dakar, Alger, Bamako, Lisbonne, Cuba, le Kerala, Bornéo, Madagascar, "
    "la Nouvelle-Calédonie, Tahiti"
)

# Cities people left behind, for migration stories told from anywhere.
_DEPARTURES = _names(
    "Dakar, Bamako, Alger, Oran, Casablanca, Tunis, Lisbonne, Porto, Hanoï, Kinshasa, Kaboul, Alep, "
    "Port-au-Prince, Conakry, Istanbul, Erevan, Varsovie, Naples, Madrid, Tbilissi, Bucarest, Khartoum"
)


def _places_for(country: str, title_lang: str) -> tuple[tuple[str, str], ...]:
    if country == "CA":
        return _PLACES["CA-fr" if title_lang == "fr" else "CA-en"]
    return _PLACES[country]


# ---------------------------------------------------------------------------
# Production profiles: country of production, spoken languages, language of the title
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class _Profile:
    countries: tuple[str, ...]
    languages: tuple[tuple[str, ...], ...]  # drawn uniformly; repeat an entry to weight it
    title_lang: str
    weight: float


_FR = ("fr",)

_PROFILES = _Table([
    (profile, profile.weight)
    for profile in (
        _Profile(("FR",), (_FR,) * 8 + (("fr", "ar"), ("fr", "en")), "fr", 32.0),
        _Profile(("FR", "BE"), (_FR,), "fr", 2.5),
        _Profile(("FR", "CH"), (_FR,), "fr", 1.5),
        _Profile(("FR", "DE"), (_FR, _FR, ("fr", "de")), "fr", 2.0),
        _Profile(("FR", "CA"), (_FR,), "fr", 1.0),
        _Profile(("FR", "IT"), (_FR, ("fr", "it")), "fr", 0.5),
        _Profile(("BE",), (_FR, _FR, _FR, ("fr", "nl")), "fr", 3.0),
        _Profile(("BE", "FR"), (_FR,), "fr", 2.5),
        _Profile(("CH",), (_FR, _FR, ("fr", "de")), "fr", 1.5),
        _Profile(("CH", "FR"), (_FR,), "fr", 1.0),
        _Profile(("CA",), (_FR,), "fr", 2.0),
        _Profile(("SN", "FR"), (_FR, ("wo", "fr")), "fr", 1.5),
        _Profile(("SN",), (("wo", "fr"), _FR), "fr", 0.5),
        _Profile(("ML", "FR"), (("bm", "fr"), _FR), "fr", 1.0),
        _Profile(("BF", "FR"), (_FR, ("ff", "fr")), "fr", 0.8),
        _Profile(("BF",), (_FR,), "fr", 0.4),
        _Profile(("CI", "FR"), (_FR,), "fr", 0.6),
        _Profile(("CD", "BE"), (("ln", "fr"), _FR), "fr", 0.7),
        _Profile(("CM", "FR"), (_FR,), "fr", 0.5),
        _Profile(("DZ", "FR"), (("ar", "fr"),), "fr", 1.5),
        _Profile(("MA", "FR"), (("ar", "fr"),), "fr", 1.2),
        _Profile(("MA",), (("ar", "fr"),), "fr", 0.5),
        _Profile(("TN", "FR"), (("ar", "fr"),), "fr", 0.8),
        _Profile(("TN",), (("ar", "fr"),), "fr", 0.4),
        _Profile(("VN", "FR"), (("vi", "fr"),), "fr", 0.6),
        _Profile(("KH", "FR"), (("km", "fr"),), "fr", 0.6),
        _Profile(("US",), (("en",),) * 5 + (("en", "es"),), "en", 6.0),
        _Profile(("GB",), (("en",),), "en", 2.5),
        _Profile(("GB", "US"), (("en",),), "en", 0.4),
        _Profile(("CA",), (("en",),), "en", 0.8),
        _Profile(("DE",), (("de",),), "de", 2.5),
        _Profile(("DE", "AT"), (("de",),), "de", 0.4),
        _Profile(("AT",), (("de",),), "de", 0.8),
        _Profile(("ES",), (("es",),) * 3 + (("es", "ca"),), "es", 1.8),
        _Profile(("ES", "FR"), (("es",),), "es", 0.4),
        _Profile(("AR",), (("es",),), "es", 0.9),
        _Profile(("MX",), (("es",),), "es", 0.9),
        _Profile(("CL",), (("es",),), "es", 0.6),
        _Profile(("CO",), (("es",),), "es", 0.4),
        _Profile(("IT",), (("it",),), "it", 1.8),
        _Profile(("IT", "FR"), (("it",), ("it", "fr")), "it", 0.6),
        _Profile(("PT",), (("pt",),), "pt", 1.2),
        _Profile(("PT", "FR"), (("pt",), ("pt", "fr")), "pt", 0.5),
        _Profile(("BR",), (("pt",),), "pt", 1.4),
        _Profile(("BR", "FR"), (("pt",),), "pt", 0.3),
        _Profile(("JP",), (("ja",),), "ja", 1.5),
        _Profile(("JP", "FR"), (("ja",), ("ja", "fr")), "ja", 0.3),
    )
])


# ---------------------------------------------------------------------------
# French title vocabulary
# ---------------------------------------------------------------------------

_FR_HEADS = _names(
    "la voix, les voix, les mains, le chant, les chants, la mémoire, les enfants, le silence, la colère, "
    "les chemins, le temps, les saisons, la part, le goût, la fin, le bruit, les murs, les rêves, "
    "les oubliés, la lumière, le sel, les gardiens, le cri, le souffle, les racines, l'ombre, l'écho, "
    "la faim, les visages, les filles, les fils, la nuit, les nuits, les jours, l'hiver, le printemps, "
    "les feux, les secrets, les héritiers, les veilleurs, la route, le pain, le prix, la loi, le cœur, "
    "les larmes, la fièvre, les carnets, les lettres, la trace, les sentinelles, l'appel, la légende, "
    "le poids, les portes, les yeux, la parole, le territoire, les ailes, les années, la maison, l'âme, "
    "le bal, la danse, les fantômes, la promesse, le rêve, les derniers jours, les premiers jours, "
    "les petites mains, la beauté, la tendresse, l'héritage, les blessures, la patience, les gestes, "
    "la musique, les lumières, le peuple, les rives, les sentiers, la traversée, le retour, "
    "le murmure, le royaume, les ruines, le miroir, les saints, la fête, les noces, le jardin, "
    "l'invention, la forge, les orphelins, les enfants perdus, les chants oubliés, le sang"
)

_FR_COMPLEMENTS = _names(
    "la terre, les bergers, le fleuve, la mer, l'exil, les mines, l'usine, la forêt, les sables, "
    "le désert, la montagne, les vallées, la ville, la frontière, les ouvrières, les pêcheurs, "
    "les saisonniers, les marins, les mineurs, les cheminots, l'estuaire, la lagune, les glaciers, "
    "les abeilles, les oiseaux, la vigne, les champs, les hauts plateaux, la banlieue, la cité, "
    "le village, l'île, le port, les docks, la steppe, l'enfance, l'oubli, l'aube, les anciens, "
    "les vivants, les morts, les autres, la rue, les tisserands, les sages-femmes, les infirmières, "
    "les exilés, les dockers, les brodeuses, la soie, le coton, le charbon, le fer, la pierre, "
    "l'argile, la laine, l'école, le lycée, la prison, l'hôpital, la plaine, le marais, les dunes, "
    "la rivière, le volcan, les loups, les baleines, le vent, la pluie, la neige, l'été, la paix, "
    "la guerre, la révolution, la liberté, l'espoir, la résistance, la classe ouvrière, l'océan, "
    "les îles, les quais, le bidonville, les tours, le quartier, la campagne, les moissons, "
    "les vendanges, les jardins, la colline, les cimes, les grands fonds, le large, la marée, "
    "la côte, les falaises, les sources, le rivage, le rail, le chantier, les filatures, les arbres, "
    "les chevaux, les troupeaux, les insoumises, les femmes, les hommes, les ancêtres, nos pères, "
    "nos mères, mon père, ma mère, ma grand-mère, mon village, la vallée, la mine, le monde, "
    "l'autre rive, la gare, le marché, les pauvres, les étoiles, le cinéma"
)

# Concrete and evocative nouns that pair well in "La Terre et les hommes".
_FR_AND_NOUNS = _names(
    "la terre, le fleuve, la mer, l'exil, la mine, l'usine, la forêt, le désert, la montagne, la ville, "
    "la frontière, le village, l'île, le port, la pierre, le fer, le charbon, la laine, le sel, le vent, "
    "la pluie, la neige, la nuit, la guerre, la paix, la mémoire, l'oubli, la colère, le silence, "
    "les hommes, les femmes, les enfants, les bêtes, les loups, les chevaux, les abeilles, les oiseaux, "
    "le pain, le sang, les rêves, la musique, la danse, le cinéma, l'école, la loi, les livres, l'or, "
    "la poussière, les morts, les vivants, le feu, l'eau, la lumière, l'ombre, le ciel, le sable"
)

_FR_TIME_PREPS = (
    "Après", "Avant", "Pendant", "Depuis", "Au lendemain de", "À la veille de", "Le Temps de",
    "Au temps de", "En attendant",
)

_FR_EVENTS = _names(
    "la marée, l'orage, la grève, la crue, la guerre, l'incendie, la tempête, la fermeture, la moisson, "
    "les vendanges, l'hiver, la pluie, la fête, le déluge, la sécheresse, l'exil, la révolution, "
    "l'indépendance, le séisme, la vague, la fonte des glaces, le dernier train, la nuit, le match, "
    "le procès, l'élection, la saison des pluies, la transhumance, la rentrée, les vacances, "
    "le carnaval, la récolte, la mousson, la canicule, le naufrage, la chute du mur, les grandes marées, "
    "la crise, l'aube, la dernière récolte, la fin du monde, le printemps, la démolition, le verdict"
)

# Prepositions of space; True when a place name reads naturally after them.
_FR_SPACE_PREPS: tuple[tuple[str, bool], ...] = (
    ("Sous", False), ("Au-delà de", True), ("Loin de", True), ("Au bord de", False), ("Au pied de", False),
    ("Au cœur de", True), ("Face à", False), ("Vers", False), ("Derrière", False), ("Par-delà", False),
    ("Au fond de", False), ("Au bout de", False), ("Sur", False), ("Dans", False), ("Entre", False),
)

_FR_LANDFORMS = _names(
    "la mer, le fleuve, la montagne, les murs, la frontière, les dunes, le volcan, la forêt, la ville, "
    "les nuages, la glace, le ciel, la route, la plaine, les ponts, la falaise, l'horizon, le lac, "
    "la mine, les tours, le monde, la nuit, les vagues, les collines, le désert, les rails, la steppe"
)

# "Entre" needs two nouns; these pairs keep it idiomatic.
_FR_BETWEEN = (
    "Entre deux rives", "Entre ciel et terre", "Entre terre et mer", "Entre deux mondes",
    "Entre les murs", "Entre chien et loup", "Entre les lignes", "Entre deux eaux", "Entre les vagues",
)

_FR_GENRES = _names(
    "Chronique, Journal, Portrait, Histoire, Récit, Anatomie, Carnets, Fragments, Mémoires, "
    "Petite chronique, Ballade, Élégie, Autopsie, Naissance, Mort, Légende, Souvenirs, Images, "
    "Fin, Éclats"
)

# (noun, feminine)
_FR_CHRONICLE_NOUNS: tuple[tuple[str, bool], ...] = tuple(
    (word[:-2], word.endswith("/f"))
    for word in _names(
        "été/m, hiver/m, printemps/m, automne/m, village/m, usine/f, quartier/m, famille/f, exil/m, "
        "île/f, frontière/f, fleuve/m, ville/f, lycée/m, saison/f, combat/m, lutte/f, voyage/m, "
        "enfance/f, amitié/f, retour/m, disparition/f, naufrage/m, chantier/m, colère/f, "
        "territoire/m, résistance/f, amour/m, grève/f, port/m, vallée/f, école/f, ferme/f, mine/f, "
        "cité/f, marché/m, hôpital/m, tribunal/m, musée/m, théâtre/m, orchestre/m, équipe/f, "
        "troupe/f, rue/f, maison/f, classe/f, génération/f, révolte/f, fête/f, chorale/f, procès/m, "
        "élection/f, filature/f, pêcherie/f, caserne/f, fanfare/f"
    )
)

def _gender_pair(item: str) -> tuple[str, str]:
    """Split "ouvrier/ouvrière" into both genders; a word without a slash serves for both."""
    masculine, _, feminine = item.strip().partition("/")
    return masculine, feminine or masculine


# (masculine, feminine)
_FR_CHRONICLE_ADJS: tuple[tuple[str, str], ...] = tuple(
    _gender_pair(item)
    for item in _names(
        "ordinaire, oublié/oubliée, tranquille, perdu/perdue, lointain/lointaine, "
        "silencieux/silencieuse, inachevé/inachevée, brûlant/brûlante, immobile, fragile, invisible, "
        "paisible, singulier/singulière, obstiné/obstinée, modeste, rebelle, secret/secrète, "
        "heureux/heureuse, difficile, sauvage, anonyme, indocile, provisoire, en sursis, à part, "
        "populaire, nomade, sans histoire, ouvrier/ouvrière, paysan/paysanne, insoumis/insoumise, "
        "presque parfait/presque parfaite"
    )
)

# Trades and roles, (masculine, feminine); None when one form would sound wrong in a title.
_FR_AGENTS: tuple[tuple[str | None, str | None], ...] = (
    ("passeur", "passeuse"), ("berger", "bergère"), ("meunier", "meunière"), ("tisserand", "tisserande"),
    ("forgeron", "forgeronne"), ("pêcheur", "pêcheuse"), ("facteur", "factrice"),
    ("instituteur", "institutrice"), ("projectionniste", "projectionniste"), ("luthier", "luthière"),
    ("horloger", "horlogère"), ("vigneron", "vigneronne"), ("gardien de phare", "gardienne de phare"),
    ("photographe", "photographe"), ("conteur", "conteuse"), ("marin", None),
    ("cordonnier", "cordonnière"), ("libraire", "libraire"), ("médecin", "médecin"),
    (None, "sage-femme"), ("docker", None), ("chiffonnier", "chiffonnière"), ("boulanger", "boulangère"),
    ("éclusier", "éclusière"), ("apiculteur", "apicultrice"), ("danseur", "danseuse"),
    ("funambule", "funambule"), ("boxeur", "boxeuse"), ("guide", "guide"), ("mineur", None),
    ("griot", None), ("paysan", "paysanne"), ("maraîcher", "maraîchère"),
    ("ostréiculteur", "ostréicultrice"), ("chanteur", "chanteuse"), ("brodeur", "brodeuse"),
    ("potier", "potière"), ("charpentier", "charpentière"), ("infirmier", "infirmière"),
    ("juge", "juge"), ("avocat", "avocate"), ("maire", "maire"), ("cheminot", "cheminote"),
    ("bûcheron", "bûcheronne"), ("saisonnier", "saisonnière"), ("marionnettiste", "marionnettiste"),
    ("accordéoniste", "accordéoniste"), ("cartographe", "cartographe"), ("veilleur", "veilleuse"),
    ("colporteur", "colporteuse"), ("sculpteur", "sculptrice"), ("couturier", "couturière"),
    ("fromager", "fromagère"), ("guérisseur", "guérisseuse"), ("cinéaste", "cinéaste"),
    ("soudeur", "soudeuse"), ("moine", "moniale"),
)

# Adjectives placed before the noun: (masculine, masculine before a vowel, feminine).
_FR_PRE_ADJS: tuple[tuple[str, str, str], ...] = (
    ("dernier", "dernier", "dernière"), ("premier", "premier", "première"), ("petit", "petit", "petite"),
    ("vieux", "vieil", "vieille"), ("jeune", "jeune", "jeune"), ("nouveau", "nouvel", "nouvelle"),
)

# Plural forms for "Les Derniers Paysans": (masculine plural, feminine plural).
_FR_PRE_ADJS_PLURAL: tuple[tuple[str, str], ...] = (
    ("derniers", "dernières"), ("nouveaux", "nouvelles"), ("petits", "petites"), ("vieux", "vieilles"),
    ("jeunes", "jeunes"), ("premiers", "premières"),
)

# Plural things that can follow those adjectives, with their gender.
_FR_PLURAL_THINGS: tuple[tuple[str, bool], ...] = (
    ("mains", True), ("marées", True), ("saisons", True), ("frontières", True), ("routes", True),
    ("forêts", True), ("heures", True), ("cabanes", True), ("lumières", True), ("moissons", True),
    ("colères", True), ("vendanges", True), ("chansons", True), ("terres", True), ("écoles", True),
    ("jours", False), ("hivers", False), ("étés", False), ("chemins", False), ("feux", False),
    ("combats", False), ("rivages", False), ("voyages", False), ("nomades", False),
)

_FR_PLACE_PHRASES = (
    "Retour {a}", "Voyage {a}", "Lettre {de}", "Lettres {de}", "Un été {a}", "Un hiver {a}",
    "Un printemps {a}", "Un automne {a}", "Une saison {a}", "Loin {de}", "Au cœur {de}",
    "Sur la route {de}", "Dernier train pour {p}", "Quitter {p}", "Habiter {p}", "Adieu {p}",
    "Mémoires {de}", "Souvenirs {de}", "Chroniques {de}", "Carnets {de}", "Nuits {de}",
    "Lumières {de}", "Les Oubliés {de}", "Les Gens {de}", "Il était une fois {p}",
    "{P}, terre d'exil", "{P}, dernière escale", "{P} debout", "{P} blues", "{P} en chantier",
    "{P}, mon amour", "{P}, année zéro", "{P} la nuit", "{P} sous la neige", "{P}, les années d'usine",
    "{P}, été brûlant", "{P}, à contre-courant", "{P} en héritage", "{P} au présent", "Les Enfants {de}",
    "Les Veilleurs {de}", "La Colère {de}", "Les Murs {de}", "Les Femmes {de}",
)

# (noun, feminine, plural)
_FR_BARE_NOUNS: tuple[tuple[str, bool, bool], ...] = (
    ("terre", True, False), ("mémoire", True, False), ("eaux", True, True), ("nuit", True, False),
    ("nuits", True, True), ("ciel", False, False), ("feu", False, False), ("vent", False, False),
    ("pays", False, False), ("mer", True, False), ("saison", True, False), ("jours", False, True),
    ("corps", False, False), ("frontières", True, True), ("cœurs", False, True), ("voix", True, False),
    ("temps", False, False), ("heures", True, True), ("rivage", False, False), ("racines", True, True),
    ("regards", False, True), ("mains", True, True), ("sel", False, False), ("sable", False, False),
    ("forêt", True, False), ("lumière", True, False), ("été", False, False), ("hiver", False, False),
    ("paysages", False, True), ("enfance", True, False), ("jeunesse", True, False),
    ("colère", True, False), ("silence", False, False), ("territoires", False, True),
    ("vies", True, True), ("chemins", False, True), ("terres", True, True), ("printemps", False, False),
)

# (masculine, feminine, masculine plural, feminine plural)
_FR_POST_ADJS: tuple[tuple[str, str, str, str], ...] = tuple(
    (m, f, mp or (m if m.endswith(("s", "x")) else m + "s"), fp or f + "s")
    for m, f, mp, fp in (
        ("brûlé", "brûlée", "", ""), ("vif", "vive", "", ""), ("trouble", "trouble", "", ""),
        ("blanc", "blanche", "", ""), ("fertile", "fertile", "", ""), ("ouvert", "ouverte", "", ""),
        ("fragile", "fragile", "", ""), ("lointain", "lointaine", "", ""), ("sauvage", "sauvage", "", ""),
        ("invisible", "invisible", "", ""), ("perdu", "perdue", "", ""), ("suspendu", "suspendue", "", ""),
        ("intérieur", "intérieure", "", ""), ("noir", "noire", "", ""), ("rouge", "rouge", "", ""),
        ("amer", "amère", "", ""), ("profond", "profonde", "", ""), ("nomade", "nomade", "", ""),
        ("secret", "secrète", "", ""), ("insoumis", "insoumise", "", ""), ("vivant", "vivante", "", ""),
        ("partagé", "partagée", "", ""), ("retrouvé", "retrouvée", "", ""), ("inquiet", "inquiète", "", ""),
        ("immense", "immense", "", ""), ("oublié", "oubliée", "", ""), ("muet", "muette", "", ""),
        ("errant", "errante", "", ""), ("ardent", "ardente", "", ""), ("nu", "nue", "", ""),
        ("précaire", "précaire", "", ""), ("rebelle", "rebelle", "", ""), ("commun", "commune", "", ""),
        ("natal", "natale", "natals", ""), ("promis", "promise", "", ""), ("brisé", "brisée", "", ""),
        ("dormant", "dormante", "", ""), ("libre", "libre", "", ""), ("heureux", "heureuse", "", ""),
        ("sombre", "sombre", "", ""), ("froid", "froide", "", ""), ("battant", "battante", "", ""),
        ("silencieux", "silencieuse", "", ""), ("inachevé", "inachevée", "", ""), ("sacré", "sacrée", "", ""),
    )
)

_FR_PLURAL_PAIRS = _names(
    "pierres, hommes, femmes, abeilles, loups, chevaux, livres, arbres, oiseaux, rêves, bêtes, "
    "enfants, machines, fleuves, étoiles, chansons, ruines, montagnes, vaches, graines"
)

# (verb, object categories): p = places and things, h = people, a = abstractions.
_FR_VERBS: tuple[tuple[str, str], ...] = (
    ("Habiter", "p"), ("Traverser", "pa"), ("Réparer", "hp"), ("Cultiver", "pa"), ("Filmer", "pha"),
    ("Écouter", "pha"), ("Garder", "pa"), ("Quitter", "p"), ("Raconter", "pha"), ("Reconstruire", "pa"),
    ("Défendre", "pha"), ("Nourrir", "h"), ("Soigner", "h"), ("Chanter", "pha"), ("Partager", "pa"),
    ("Sauver", "pha"), ("Transmettre", "a"), ("Accueillir", "h"), ("Franchir", "p"), ("Affronter", "p"),
    ("Regarder", "ph"), ("Rejoindre", "ph"), ("Nommer", "a"), ("Retrouver", "pha"), ("Veiller sur", "ph"),
)

_FR_OBJECTS: dict[str, tuple[str, ...]] = {
    "p": _names(
        "la terre, le fleuve, la ville, la frontière, la montagne, la mer, l'île, la forêt, la nuit, "
        "l'hiver, le désert, la plaine, le monde, la vallée, le quartier, la rivière, les champs, "
        "le jardin, la côte, les dunes, le village, la maison"
    ),
    "h": _names(
        "les vivants, les autres, les anciens, les enfants, les exilés, les morts, les bêtes, nos pères, "
        "nos mères, les siens, les oubliés, les invisibles"
    ),
    "a": _names(
        "la mémoire, l'oubli, l'espoir, la colère, la paix, le silence, la liberté, le feu, la flamme, "
        "le temps, la parole, les rêves, la lumière, la joie"
    ),
}

_FR_CLAUSE_STARTS = ("Là où", "Quand", "Tant que", "Le Jour où", "Depuis que", "Là-bas où")

_FR_CLAUSES = _names(
    "naissent les fleuves, la terre tremble, dorment les glaciers, finit la route, s'arrête le train, "
    "poussent les oliviers, chantent les baleines, meurent les rivières, commence la mer, "
    "vivent les loups, le vent se lève, les enfants jouent, tombe la neige, brillent les étoiles, "
    "la nuit tombe, les oiseaux reviennent, l'eau manque, les murs parlent, les femmes dansent, "
    "se perd la piste, le fleuve déborde, les usines se taisent, les cloches sonnent, "
    "la forêt brûle, les hommes partent, le bateau rentre, la mer se retire, fleurissent les amandiers"
)

# Groups for "Nous, les ...".
_FR_NOUS = _names(
    "ouvrières, paysans, mineurs, femmes de ménage, enfants du quartier, invisibles, sans-papiers, "
    "saisonniers, cheminots, dockers, infirmières, vieux, jeunes, habitants des tours, marins pêcheurs, "
    "caissières, aides-soignantes, enseignants, bergères, sages-femmes, agriculteurs, intermittents, "
    "réfugiés, étudiants, chômeurs, métallos, femmes du port, gens d'ici, filles de la cité, "
    "brodeuses, couturières, bûcherons"
)

_FR_CEUX_DE = _names(
    "le fleuve, le rail, le fond, le large, le port, le marché, le bidonville, la mine, la nuit, "
    "la forêt, la montagne, l'ombre, l'usine, les champs, les îles, les quais, la rue, la marge, "
    "l'autre rive, l'exil, la cité, les cimes, la terre, la vallée, la plaine"
)

_FR_CEUX_QUI = _names(
    "restent, partent, sèment, résistent, attendent, veillent, marchent, reviennent, soignent, "
    "chantent, rêvent, se lèvent tôt, n'ont rien, tiennent bon, traversent, construisent, luttent, "
    "dansent, cherchent, demeurent, nous nourrissent, gardent le feu, font la ville, prient, "
    "ne dorment pas, s'en vont, savent"
)

_FR_NAME_FORMS = (
    "{n}, {trade}", "{n}, {trade} {a}", "{n} et les siens", "{n} et {n2}", "Les Carnets {de}",
    "L'Été {de}", "L'Hiver {de}", "Le Monde {de}", "La Promesse {de}", "Pour {n}", "Lettre à {n}",
    "À la recherche {de}", "{n}, {age} ans", "{n}, une vie {a}", "Les Combats {de}", "Le Voyage {de}",
    "Les Saisons {de}", "Le Rêve {de}", "La Maison {de}", "Le Jardin {de}", "Les Enfants {de}",
    "{n} {a}", "Le Dernier Été {de}", "La Colère {de}", "{n} au travail", "Les Années {n}",
)

_AGE_WORDS = _names(
    "seize, dix-sept, dix-huit, vingt, vingt-deux, trente, quarante, cinquante-sept, soixante-dix, "
    "quatre-vingts, quatre-vingt-douze, cent"
)

_FR_RELATIVES: tuple[tuple[str, bool], ...] = (
    ("Mon père", False), ("Ma mère", True), ("Mon grand-père", False), ("Ma grand-mère", True),
    ("Mon frère", False), ("Ma sœur", True), ("Mon oncle", False), ("Ma tante", True),
)

_FR_QUESTIONS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("Où vont {x} ?", _names(
        "les abeilles, les hirondelles, les rivières, les enfants, les ouvrières, les saumons, "
        "les nuages, les exilés, les baleines, les anguilles, les bergers, les fleuves"
    )),
    ("Qui a peur {de} ?", _names(
        "les loups, les ours, les étrangers, les femmes, les jeunes, les pauvres, la forêt, la nuit, "
        "les mots, la mer"
    )),
    ("Que reste-t-il {de} ?", _names(
        "la mine, l'usine, nos luttes, la révolution, nos rêves, la mer, nos villages, la classe ouvrière, "
        "l'été, la forêt, nos amours, la frontière"
    )),
    ("À qui appartient {x} ?", _names(
        "la terre, l'eau, la ville, la mer, la forêt, le fleuve, la rue, la nuit, la montagne, le ciel, "
        "la mémoire, le vent"
    )),
)


# ---------------------------------------------------------------------------
# Multilingual vocabulary for foreign films
# Order of every tuple: fr, en, de, es, it, pt, ja.
# ---------------------------------------------------------------------------

_LANG_INDEX: dict[str, int] = {"fr": 0, "en": 1, "de": 2, "es": 3, "it": 4, "pt": 5, "ja": 6}

_Multi = tuple[str, str, str, str, str, str, str]

# French and Romance forms are lowercase with their article; English is in title case; German
# keeps its article so that the first letter can be lowered in mid-title.
_ML_NOUNS: tuple[_Multi, ...] = (
    ("les voix", "Voices", "Die Stimmen", "las voces", "le voci", "as vozes", "声"),
    ("les enfants", "Children", "Die Kinder", "los niños", "i bambini", "as crianças", "子どもたち"),
    ("les nuits", "Nights", "Die Nächte", "las noches", "le notti", "as noites", "夜"),
    ("les fantômes", "Ghosts", "Die Geister", "los fantasmas", "i fantasmi", "os fantasmas", "亡霊"),
    ("les femmes", "Women", "Die Frauen", "las mujeres", "le donne", "as mulheres", "女たち"),
    ("les rues", "Streets", "Die Straßen", "las calles", "le strade", "as ruas", "通り"),
    ("les chants", "Songs", "Die Lieder", "los cantos", "i canti", "os cantos", "歌"),
    ("la mémoire", "Memory", "Das Gedächtnis", "la memoria", "la memoria", "a memória", "記憶"),
    ("le silence", "Silence", "Die Stille", "el silencio", "il silenzio", "o silêncio", "沈黙"),
    ("la lumière", "The Light", "Das Licht", "la luz", "la luce", "a luz", "光"),
    ("les mains", "Hands", "Die Hände", "las manos", "le mani", "as mãos", "手"),
    ("les ouvriers", "Workers", "Die Arbeiter", "los obreros", "gli operai", "os operários", "労働者たち"),
    ("les pêcheurs", "Fishermen", "Die Fischer", "los pescadores", "i pescatori", "os pescadores", "漁師たち"),
    ("les rêves", "Dreams", "Die Träume", "los sueños", "i sogni", "os sonhos", "夢"),
    ("les toits", "Rooftops", "Die Dächer", "los tejados", "i tetti", "os telhados", "屋根"),
    ("les mères", "Mothers", "Die Mütter", "las madres", "le madri", "as mães", "母たち"),
    ("les derniers jours", "The Last Days", "Die letzten Tage", "los últimos días", "gli ultimi giorni",
     "os últimos dias", "最後の日々"),
    ("l'hiver", "Winter", "Der Winter", "el invierno", "l'inverno", "o inverno", "冬"),
    ("le cœur", "The Heart", "Das Herz", "el corazón", "il cuore", "o coração", "心"),
    ("l'âme", "The Soul", "Die Seele", "el alma", "l'anima", "a alma", "魂"),
    ("les ruines", "Ruins", "Die Ruinen", "las ruinas", "le rovine", "as ruínas", "廃墟"),
    ("les bruits", "Sounds", "Die Geräusche", "los sonidos", "i suoni", "os sons", "音"),
    ("les gardiens", "Guardians", "Die Wächter", "los guardianes", "i custodi", "os guardiões", "守り人"),
    ("les filles", "Daughters", "Die Töchter", "las hijas", "le figlie", "as filhas", "娘たち"),
    ("les fils", "Sons", "Die Söhne", "los hijos", "i figli", "os filhos", "息子たち"),
    ("les années", "The Years", "Die Jahre", "los años", "gli anni", "os anos", "歳月"),
    ("les murs", "Walls", "Die Mauern", "los muros", "i muri", "os muros", "壁"),
    ("les ponts", "Bridges", "Die Brücken", "los puentes", "i ponti", "as pontes", "橋"),
    ("les ombres", "Shadows", "Die Schatten", "las sombras", "le ombre", "as sombras", "影"),
    ("les histoires", "Stories", "Die Geschichten", "las historias", "le storie", "as histórias", "物語"),
    ("les blessures", "Wounds", "Die Wunden", "las heridas", "le ferite", "as feridas", "傷"),
    ("les lumières", "Lights", "Die Lichter", "las luces", "le luci", "as luzes", "灯り"),
    ("les saisons", "Seasons", "Die Jahreszeiten", "las estaciones", "le stagioni", "as estações", "季節"),
    ("les secrets", "Secrets", "Die Geheimnisse", "los secretos", "i segreti", "os segredos", "秘密"),
    ("les exilés", "Exiles", "Die Vertriebenen", "los exiliados", "gli esuli", "os exilados", "亡命者たち"),
    ("les voisins", "Neighbors", "Die Nachbarn", "los vecinos", "i vicini", "os vizinhos", "隣人たち"),
    ("le pain", "Bread", "Das Brot", "el pan", "il pane", "o pão", "パン"),
    ("les cendres", "Ashes", "Die Asche", "las cenizas", "le ceneri", "as cinzas", "灰"),
    ("la mer", "The Sea", "Das Meer", "el mar", "il mare", "o mar", "海"),
    ("les oiseaux", "Birds", "Die Vögel", "los pájaros", "gli uccelli", "os pássaros", "鳥たち"),
    ("les arbres", "Trees", "Die Bäume", "los árboles", "gli alberi", "as árvores", "木々"),
    ("la colère", "Anger", "Die Wut", "la rabia", "la rabbia", "a raiva", "怒り"),
    ("les racines", "Roots", "Die Wurzeln", "las raíces", "le radici", "as raízes", "根"),
    ("les visages", "Faces", "Die Gesichter", "los rostros", "i volti", "os rostos", "顔"),
    ("le fleuve", "The River", "Der Fluss", "el río", "il fiume", "o rio", "川"),
    ("les promesses", "Promises", "Die Versprechen", "las promesas", "le promesse", "as promessas", "約束"),
    ("les héros", "Heroes", "Die Helden", "los héroes", "gli eroi", "os heróis", "英雄たち"),
    ("le travail", "Work", "Die Arbeit", "el trabajo", "il lavoro", "o trabalho", "仕事"),
    ("les écoles", "Schools", "Die Schulen", "las escuelas", "le scuole", "as escolas", "学校"),
    ("le cinéma", "Cinema", "Das Kino", "el cine", "il cinema", "o cinema", "映画館"),
)

# Events for "After ..." / "Before ...": fr, en, German dative, es, it, pt, ja.
_ML_EVENTS: tuple[_Multi, ...] = (
    ("la marée", "the Tide", "der Flut", "la marea", "la marea", "a maré", "潮"),
    ("l'orage", "the Storm", "dem Sturm", "la tormenta", "la tempesta", "a tempestade", "嵐"),
    ("la crue", "the Flood", "dem Hochwasser", "la inundación", "l'alluvione", "a cheia", "洪水"),
    ("la guerre", "the War", "dem Krieg", "la guerra", "la guerra", "a guerra", "戦争"),
    ("l'incendie", "the Fire", "dem Brand", "el incendio", "l'incendio", "o incêndio", "火事"),
    ("la grève", "the Strike", "dem Streik", "la huelga", "lo sciopero", "a greve", "ストライキ"),
    ("la moisson", "the Harvest", "der Ernte", "la cosecha", "il raccolto", "a colheita", "収穫"),
    ("le séisme", "the Earthquake", "dem Erdbeben", "el terremoto", "il terremoto", "o terremoto", "地震"),
    ("la vague", "the Wave", "der Welle", "la ola", "l'onda", "a onda", "波"),
    ("la pluie", "the Rain", "dem Regen", "la lluvia", "la pioggia", "a chuva", "雨"),
    ("la fermeture", "the Shutdown", "der Schließung", "el cierre", "la chiusura", "o encerramento", "閉鎖"),
    ("la révolution", "the Revolution", "der Revolution", "la revolución", "la rivoluzione",
     "a revolução", "革命"),
    ("la fête", "the Party", "dem Fest", "la fiesta", "la festa", "a festa", "祭り"),
    ("la fin du monde", "the End of the World", "dem Ende der Welt", "el fin del mundo",
     "la fine del mondo", "o fim do mundo", "世界の終わり"),
    ("la dictature", "the Dictatorship", "der Diktatur", "la dictadura", "la dittatura", "a ditadura", "独裁"),
    ("le barrage", "the Dam", "dem Staudamm", "la presa", "la diga", "a barragem", "ダム"),
    ("le match", "the Game", "dem Spiel", "el partido", "la partita", "o jogo", "試合"),
    ("le déluge", "the Deluge", "der Sintflut", "el diluvio", "il diluvio", "o dilúvio", "大洪水"),
    ("la neige", "the Snow", "dem Schnee", "la nieve", "la neve", "a neve", "雪"),
    ("la mine", "the Mine", "dem Bergwerk", "la mina", "la miniera", "a mina", "鉱山"),
    ("l'exil", "Exile", "dem Exil", "el exilio", "l'esilio", "o exílio", "亡命"),
    ("le procès", "the Trial", "dem Prozess", "el juicio", "il processo", "o julgamento", "裁判"),
)


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


_ML_AGENTS: tuple[_Agent, ...] = (
    _agent("passeur", "Ferryman", "Fährmann", "barquero", "traghettatore", "barqueiro", "渡し守"),
    _agent("berger", "Shepherd", "Hirte", "pastor", "pastore", "pastor", "羊飼い"),
    _agent("meunier", "Miller", "Müller", "molinero", "mugnaio", "moleiro", "粉屋"),
    _agent("pêcheur", "Fisherman", "Fischer", "pescador", "pescatore", "pescador", "漁師"),
    _agent("sage-femme", "Midwife", "Hebamme", "partera", "levatrice", "parteira", "助産師", female=True),
    _agent("projectionniste", "Projectionist", "Filmvorführer", "proyeccionista", "proiezionista",
           "projecionista", "映写技師"),
    _agent("libraire", "Bookseller", "Buchhändler", "librero", "libraio", "livreiro", "本屋"),
    _agent("horloger", "Watchmaker", "Uhrmacher", "relojero", "orologiaio", "relojoeiro", "時計職人"),
    _agent("forgeron", "Blacksmith", "Schmied", "herrero", "fabbro", "ferreiro", "鍛冶屋"),
    _agent("facteur", "Postman", "Briefträger", "cartero", "postino", "carteiro", "郵便配達人"),
    _agent("instituteur", "Schoolteacher", "Dorflehrer", "maestro", "maestro", "professor", "教師"),
    _agent("apiculteur", "Beekeeper", "Imker", "apicultor", "apicoltore", "apicultor", "養蜂家"),
    _agent("vigneron", "Winegrower", "Winzer", "viñador", "vignaiolo", "vinhateiro", "ぶどう農家"),
    _agent("gardien de phare", "Lighthouse Keeper", "Leuchtturmwärter", "farero", "guardiano del faro",
           "faroleiro", "灯台守"),
    _agent("conteur", "Storyteller", "Geschichtenerzähler", "narrador", "cantastorie",
           "contador de histórias", "語り部"),
    _agent("mineur", "Miner", "Bergmann", "minero", "minatore", "mineiro", "炭鉱夫"),
    _agent("docker", "Docker", "Hafenarbeiter", "estibador", "portuale", "estivador", "港湾労働者"),
    _agent("boxeur", "Boxer", "Boxer", "boxeador", "pugile", "pugilista", "ボクサー"),
    _agent("luthier", "Violin Maker", "Geigenbauer", "lutier", "liutaio", "violeiro", "弦楽器職人"),
    _agent("photographe", "Photographer", "Fotograf", "fotógrafo", "fotografo", "fotógrafo", "写真家"),
    _agent("cartographe", "Mapmaker", "Kartograf", "cartógrafo", "cartografo", "cartógrafo", "地図職人"),
    _agent("tisserand", "Weaver", "Weber", "tejedor", "tessitore", "tecelão", "機織り職人"),
    _agent("boulanger", "Baker", "Bäcker", "panadero", "fornaio", "padeiro", "パン職人"),
    _agent("médecin de campagne", "Country Doctor", "Landarzt", "médico rural", "medico condotto",
           "médico rural", "村医者"),
    _agent("cordonnier", "Shoemaker", "Schuster", "zapatero", "calzolaio", "sapateiro", "靴職人"),
    _agent("chanteur", "Singer", "Sänger", "cantante", "cantante", "cantor", "歌手"),
    _agent("danseuse", "Dancer", "Tänzerin", "bailarina", "ballerina", "bailarina", "踊り子", female=True),
    _agent("infirmière", "Nurse", "Krankenschwester", "enfermera", "infermiera", "enfermeira", "看護師",
           female=True),
    _agent("juge", "Judge", "Richter", "juez", "giudice", "juiz", "裁判官"),
    _agent("avocate", "Lawyer", "Anwältin", "abogada", "avvocata", "advogada", "弁護士", female=True),
    _agent("couturière", "Seamstress", "Näherin", "costurera", "sarta", "costureira", "お針子", female=True),
    _agent("institutrice", "Schoolteacher", "Lehrerin", "maestra", "maestra", "professora", "女教師",
           female=True),
    _agent("bergère", "Shepherdess", "Hirtin", "pastora", "pastora", "pastora", "女羊飼い", female=True),
)

# Adjectives before agents: fr (masc, masc before vowel, fem), en, de (weak nominative), es, it, pt
# (masc, fem each), ja.
_ML_AGENT_ADJS: tuple[tuple[tuple[str, str, str], str, str, tuple[str, str], tuple[str, str],
                            tuple[str, str], str], ...] = (
    (("dernier", "dernier", "dernière"), "Last", "letzte", ("último", "última"), ("ultimo", "ultima"),
     ("último", "última"), "最後の"),
    (("premier", "premier", "première"), "First", "erste", ("primer", "primera"), ("primo", "prima"),
     ("primeiro", "primeira"), "最初の"),
    (("vieux", "vieil", "vieille"), "Old", "alte", ("viejo", "vieja"), ("vecchio", "vecchia"),
     ("velho", "velha"), "老いた"),
    (("jeune", "jeune", "jeune"), "Young", "junge", ("joven", "joven"), ("giovane", "giovane"),
     ("jovem", "jovem"), "若き"),
)

# Place phrases: fr uses {a} (locative), {de} or {p}; the others use {p} and Portuguese its contractions.
_ML_PLACE_PHRASES: tuple[_Multi, ...] = (
    ("Retour {a}", "Return to {p}", "Rückkehr nach {p}", "Regreso a {p}", "Ritorno a {p}", "Regresso {pt_a}",
     "{p}への帰還"),
    ("Lettres {de}", "Letters from {p}", "Briefe aus {p}", "Cartas desde {p}", "Lettere da {p}",
     "Cartas {pt_de}", "{p}からの手紙"),
    ("Loin {de}", "Far from {p}", "Weit weg von {p}", "Lejos de {p}", "Lontano da {p}", "Longe {pt_de}",
     "{p}を遠く離れて"),
    ("Au cœur {de}", "In the Heart of {p}", "Im Herzen von {p}", "En el corazón de {p}", "Nel cuore di {p}",
     "No coração {pt_de}", "{p}の中心で"),
    ("Un été {a}", "Summer in {p}", "Sommer in {p}", "Verano en {p}", "Estate a {p}", "Verão {pt_em}",
     "{p}の夏"),
    ("Un hiver {a}", "Winter in {p}", "Winter in {p}", "Invierno en {p}", "Inverno a {p}", "Inverno {pt_em}",
     "{p}の冬"),
    ("Un printemps {a}", "Spring in {p}", "Frühling in {p}", "Primavera en {p}", "Primavera a {p}",
     "Primavera {pt_em}", "{p}の春"),
    ("Un automne {a}", "Autumn in {p}", "Herbst in {p}", "Otoño en {p}", "Autunno a {p}", "Outono {pt_em}",
     "{p}の秋"),
    ("Quitter {p}", "Leaving {p}", "{p} verlassen", "Dejar {p}", "Lasciare {p}", "Deixar {p}", "{p}を去る"),
    ("Dernier train pour {p}", "Last Train to {p}", "Letzter Zug nach {p}", "Último tren a {p}",
     "Ultimo treno per {p}", "Último comboio para {p}", "{p}行き最終列車"),
    ("Sur la route {de}", "On the Road to {p}", "Unterwegs nach {p}", "Camino a {p}", "In viaggio verso {p}",
     "A caminho {pt_de}", "{p}への道"),
    ("Mémoires {de}", "Memories of {p}", "Erinnerungen an {p}", "Memorias de {p}", "Memorie di {p}",
     "Memórias {pt_de}", "{p}の記憶"),
)

_ML_SEASONS_OF: tuple[tuple[str, str, str, str, str, str], ...] = (
    ("L'Été", "Summer", "Sommer", "El verano", "L'estate", "O verão"),
    ("L'Hiver", "Winter", "Winter", "El invierno", "L'inverno", "O inverno"),
    ("Le Printemps", "Spring", "Frühling", "La primavera", "La primavera", "A primavera"),
    ("L'Automne", "Autumn", "Herbst", "El otoño", "L'autunno", "O outono"),
)


# ---------------------------------------------------------------------------
# Keywords of French titles that suggest a subject
# ---------------------------------------------------------------------------

_KEYWORD_SUBJECTS: dict[str, str] = {}


def _tag(subject: str, words: str) -> None:
    for word in words.split():
        _KEYWORD_SUBJECTS[word] = subject


_tag("Monde rural", "berger bergère bergers bergères village villages campagne paysan paysanne paysans "
     "paysannes meunier meunière ferme fermes estive transhumance bûcheron bûcheronne bûcherons")
_tag("Agriculture", "vigne vignes vigneron vigneronne vignerons moisson moissons vendanges récolte champs "
     "maraîcher maraîchère semences graines jardin jardins agriculteurs vaches troupeaux")
_tag("Travail", "ouvrier ouvrière ouvriers ouvrières usine usines mine mines mineur mineurs grève chantier "
     "chantiers docks dockers docker cheminot cheminots cheminote filature filatures forge forgeron "
     "forgeronne métallos caissières saisonniers saisonnier saisonnière fermeture travail charbon fer "
     "soudeur soudeuse machines chômeurs intermittents")
_tag("Mer", "mer marée marées pêcheur pêcheurs pêcheuse marin marins port quais océan île îles côte "
     "falaise falaises large rivage estuaire ostréiculteur ostréicultrice phare vague vagues lagune "
     "pêcherie baleines naufrage")
_tag("Montagne", "montagne montagnes cimes sommets glaciers glacier volcan altitude collines")
_tag("Cinéma", "cinéma projectionniste cinéaste filmer film films écran")
_tag("Musique", "chant chants chanteur chanteuse musique chorale orchestre accordéoniste griot blues "
     "luthier luthière chanter chansons fanfare")
_tag("Danse", "danse danseur danseuse bal funambule dansent")
_tag("Migrations", "exil exilés passeur passeuse frontière frontières réfugiés sans-papiers traversée "
     "accueillir")
_tag("Éducation", "école écoles lycée instituteur institutrice classe enseignants étudiants")
_tag("Santé", "hôpital infirmier infirmière infirmières sage-femme sages-femmes médecin soigner "
     "guérisseur guérisseuse aides-soignantes soignent")
_tag("Animaux", "abeilles loups oiseaux chevaux bêtes ours hirondelles saumons anguilles apiculteur "
     "apicultrice")
_tag("Écologie", "forêt forêts fleuve fleuves rivière rivières sécheresse fonte canicule arbres marais")
_tag("Histoire", "guerre révolution indépendance mémoire mémoires résistance ancêtres légende mur")
_tag("Ville", "ville villes cité quartier tours banlieue rue rues bidonville")
_tag("Féminismes", "femmes insoumises brodeuses")
_tag("Jeunesse", "enfants enfance jeunesse jeunes lycéens")
_tag("Famille", "père mère grand-mère grand-père frère sœur fils filles famille siens oncle tante")
_tag("Sport", "boxeur boxeuse match équipe")
_tag("Photographie", "photographe photographes images")
_tag("Littérature", "conteur conteuse libraire livres lettres lettre carnets poète")
_tag("Justice", "prison procès tribunal juge avocat avocate loi verdict")
_tag("Politique", "élection maire peuple révolte lutte luttent")
_tag("Religions", "moine moniale prient saints")
_tag("Architecture", "maison maisons bâtisseurs charpentier charpentière murs ponts démolition")
_tag("Économie", "prix marché crise pauvres")
_tag("Sciences", "cartographe étoiles invention")
_tag("Arts", "sculpteur sculptrice atelier potier potière marionnettiste horloger tisserand tisserande")
_tag("Droits humains", "dictature liberté disparus")

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


_FR_AGENT_HOMES = _names(
    "la vallée, le port, la mine, le village, l'île, le fleuve, les sables, la gare, la rue, le marché, "
    "la cité, le quartier, la montagne, l'estuaire, la lagune, les quais, le désert, les docks"
)


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


@dataclass(frozen=True)
class _Material:
    groups: tuple[str, ...]
    trades: tuple[tuple[str, str], ...]
    themes: tuple[str, ...]
    sentences: tuple[str, ...]


def _material(groups: str, trades: str, themes: str, *sentences: str) -> _Material:
    return _Material(
        groups=tuple(part.strip() for part in groups.split(";")),
        trades=tuple(_gender_pair(pair) for pair in trades.split(";")),
        themes=tuple(part.strip() for part in themes.split(";")),
        sentences=sentences,
    )


# Groups, trades and themes are separated by semicolons because they may contain commas.
_SUBJECT_MATERIAL: dict[str, _Material] = {
    "Arts": _material(
        "les élèves d'une école des beaux-arts; les membres d'un collectif d'artistes; des peintres en résidence",
        "peintre; sculpteur/sculptrice; céramiste; plasticien/plasticienne",
        "la naissance d'une œuvre; le geste créateur; la place de l'art dans l'espace public",
        "Dans son atelier {a_lieu}, {prenom} travaille la matière avec une patience d'artisan.",
        "Le film suit pas à pas la création d'une fresque monumentale, de l'esquisse au vernissage.",
        "Entre doutes et fulgurances, une réflexion sur ce que créer veut dire.",
        "Les œuvres naissent ici de la récupération : bois flotté, ferraille, tissus oubliés.",
    ),
    "Cinéma": _material(
        "les bénévoles d'un ciné-club; les spectateurs d'une salle de quartier; "
        "les membres d'une équipe de tournage amateur",
        "projectionniste; monteur/monteuse; cinéaste; exploitant de salle/exploitante de salle",
        "la fermeture du dernier cinéma de la ville; la mémoire des salles obscures; les coulisses d'un tournage",
        "Une déclaration d'amour au cinéma et à ceux qui le font vivre, loin des grandes salles.",
        "{A_lieu}, le cinéma de quartier menace de fermer : les habitants s'organisent pour le sauver.",
        "Des ciné-clubs aux projections en plein air, le film retrace une histoire populaire du cinéma.",
        "Le film interroge ce que le cinéma fait à ceux qu'il filme, et ce qu'ils lui rendent.",
    ),
    "Musique": _material(
        "les musiciens d'une fanfare; les choristes d'une chorale ouvrière; les jeunes d'une école de musique",
        "musicien/musicienne; chanteur/chanteuse; accordéoniste; luthier/luthière",
        "la transmission d'un répertoire oublié; la préparation d'un premier concert; "
        "les chants de travail d'autrefois",
        "La musique rythme chaque séquence, des répétitions dans un garage jusqu'au concert final.",
        "{prenom} collecte depuis des années les chants anciens {de_lieu}, de village en village.",
        "Entre répétitions et tournées, le film capte l'énergie d'un groupe qui refuse de se séparer.",
        "Ici, la musique est une langue commune, transmise de génération en génération.",
    ),
    "Danse": _material(
        "les danseuses d'une compagnie; des adolescents passionnés de hip-hop; les habitués d'un bal populaire",
        "danseur/danseuse; chorégraphe",
        "la création d'un spectacle; le bal du samedi soir; la danse comme langage",
        "Des studios de répétition aux scènes de plein air, le corps devient un territoire de liberté.",
        "Le film suit la création d'un spectacle, du premier geste à la première représentation.",
        "Dans la salle des fêtes, le bal du samedi réunit encore trois générations.",
    ),
    "Architecture": _material(
        "les habitants d'une cité promise à la démolition; les bâtisseurs d'un habitat participatif; "
        "des compagnons charpentiers",
        "architecte; charpentier/charpentière; urbaniste",
        "la démolition d'une barre d'immeubles; la rénovation d'un quartier ancien; "
        "la construction d'une maison en terre crue",
        "De la maquette au chantier, le film raconte comment on fabrique un lieu de vie.",
        "Les tours vont tomber : avant la démolition, les habitants racontent ce que ces murs ont abrité.",
        "Une réflexion sensible sur l'architecture, la lumière et la manière d'habiter ensemble.",
    ),
    "Histoire": _material(
        "les derniers témoins; d'anciens résistants; les descendants des premiers habitants",
        "historien/historienne; archiviste; ancien combattant/ancienne résistante",
        "une page oubliée de l'histoire locale; les grandes grèves d'autrefois; "
        "la mémoire d'un massacre longtemps tu",
        "À partir d'archives inédites, le film revient sur les événements qui ont bouleversé {lieu} {epoque}.",
        "Les témoins se font rares : il fallait recueillir leur parole avant qu'elle ne disparaisse.",
        "Photographies jaunies, lettres et films amateurs dessinent une histoire à hauteur d'homme.",
        "Le passé colonial affleure à chaque plan, dans les noms des rues comme dans les silences.",
    ),
    "Société": _material(
        "les habitants d'un immeuble; des familles ordinaires; les bénévoles d'une association de quartier",
        "travailleur social/travailleuse sociale; bénévole; médiateur/médiatrice",
        "la solitude des grandes villes; la vie quotidienne d'un quartier populaire; les solidarités ordinaires",
        "Le film observe au plus près une société qui se fragmente, mais où l'entraide résiste.",
        "Autour d'un café ou d'une table de cuisine, chacun raconte sa part de vérité.",
        "Une galerie de portraits attachants, drôles et graves à la fois.",
    ),
    "Politique": _material(
        "les militants d'un collectif citoyen; les élus d'une petite commune; les manifestants d'un rond-point",
        "maire; militant/militante; syndicaliste",
        "une campagne électorale; la naissance d'un mouvement social; le fonctionnement de la démocratie locale",
        "De réunion en réunion, le film dévoile les coulisses d'une campagne électorale.",
        "Le film interroge ce que signifie s'engager aujourd'hui et fait entendre des paroles rarement écoutées.",
        "{A_lieu}, un conseil municipal devient le théâtre d'une bataille politique inattendue.",
    ),
    "Travail": _material(
        "les ouvrières d'une filature; les dockers du port; les caissières d'un hypermarché; "
        "les salariés d'une fonderie",
        "ouvrier/ouvrière; soudeur/soudeuse; docker; caissier/caissière",
        "la fermeture d'une usine; la fin d'un savoir-faire; la précarité des saisonniers",
        "Gestes répétés, cadences, fatigue : le film rend visible le travail et ceux qui le font.",
        "Quand l'usine ferme ses portes, c'est toute une communauté qui doit se réinventer.",
        "Dans le vacarme des machines, l'amitié et l'humour tiennent lieu de résistance.",
        "Les anciens se souviennent de l'époque où la ville entière vivait au rythme de l'usine.",
    ),
    "Écologie": _material(
        "les habitants d'une vallée menacée; des militants écologistes; les membres d'une coopérative de semences",
        "naturaliste; garde forestier/garde forestière; hydrologue",
        "la pollution d'une rivière; la disparition des zones humides; l'écologie au quotidien",
        "Face à la sécheresse, les habitants inventent une écologie du quotidien, faite de gestes simples.",
        "Le film interroge notre rapport au vivant et les promesses souvent déçues de la transition écologique.",
        "{A_lieu}, un projet de mine divise la population entre promesse d'emplois et défense des terres.",
        "Une enquête patiente sur la pollution invisible qui ronge la rivière et ceux qui en vivent.",
        "Au bord de la rivière asséchée, agriculteurs et pêcheurs cherchent ensemble une écologie de la réparation.",
    ),
    "Agriculture": _material(
        "les paysans d'une coopérative; les maraîchers d'une ceinture verte; de jeunes agriculteurs",
        "agriculteur/agricultrice; éleveur/éleveuse; maraîcher/maraîchère; vigneron/vigneronne",
        "la transmission d'une ferme; le passage au bio; la fin des quotas laitiers",
        "Au fil des saisons, le film accompagne le travail de la terre, des semis à la récolte.",
        "Endettés, épuisés mais obstinés, ils cherchent une autre manière de cultiver.",
        "{prenom} a repris la ferme familiale et refuse de céder aux logiques de l'agro-industrie.",
    ),
    "Sciences": _material(
        "les chercheurs d'un laboratoire; les membres d'une équipe de glaciologues; des astronomes amateurs",
        "chercheur/chercheuse; biologiste; astronome; glaciologue",
        "une expédition scientifique; la recherche fondamentale; la controverse autour d'une découverte",
        "Du laboratoire au terrain, le film montre la science telle qu'elle se fait, avec ses doutes et ses échecs.",
        "Une expédition de plusieurs mois pour comprendre ce que les glaces ont gardé en mémoire.",
        "Le film rend passionnante une démarche scientifique faite de patience et de rigueur.",
    ),
    "Santé": _material(
        "les soignants d'un service d'urgences; les patients d'un hôpital psychiatrique; "
        "les aides-soignantes d'une maison de retraite",
        "infirmier/infirmière; médecin; sage-femme; aide-soignant/aide-soignante",
        "le quotidien d'un hôpital; la fin de vie; la désertification médicale",
        "Dans les couloirs de l'hôpital, le film capte l'épuisement et la dévotion des soignants.",
        "{prenom}, {metier}, sillonne chaque jour les routes pour visiter des patients isolés.",
        "Une approche pudique de la maladie, du soin et de ce qui nous lie les uns aux autres.",
        "À la maternité, chaque naissance est une victoire sur le manque de moyens.",
    ),
    "Éducation": _material(
        "les élèves d'une classe unique; les lycéens d'un établissement professionnel; "
        "les enseignants d'une école de quartier",
        "instituteur/institutrice; professeur/professeure; éducateur/éducatrice",
        "une année scolaire; l'apprentissage de la lecture; le décrochage scolaire",
        "De la rentrée aux examens, le film suit une classe pendant toute une année scolaire.",
        "Dans cette école, on apprend à lire, à compter, mais surtout à prendre la parole.",
        "{prenom} enseigne depuis {n_ans} ans et croit encore que l'école peut changer des vies.",
    ),
    "Migrations": _material(
        "des exilés en transit; les résidents d'un foyer de travailleurs migrants; des mineurs isolés",
        "interprète; bénévole; travailleur saisonnier/travailleuse saisonnière",
        "l'attente d'un titre de séjour; la traversée de la Méditerranée; l'exil et le déracinement",
        "Il y a {n_ans} ans, {prenom} a quitté {lieu2} pour s'installer {a_lieu}.",
        "Entre {lieu2} et {lieu}, le film tisse les fils d'une histoire d'exil et de fidélité.",
        "Le film donne un visage et une voix à ceux que l'on désigne trop souvent par des chiffres.",
        "Les lettres envoyées au pays disent la réussite ; les silences disent le reste.",
    ),
    "Féminismes": _material(
        "les femmes d'un collectif féministe; des ouvrières en lutte; trois générations de femmes",
        "militant/militante; avocat/avocate; sage-femme",
        "la lutte pour l'égalité salariale; la conquête du droit à l'avortement; la parole des femmes",
        "Trois générations de femmes racontent leurs combats, leurs victoires et leurs renoncements.",
        "De la cuisine à l'assemblée, le film retrace une émancipation conquise pas à pas.",
        "Un récit collectif et joyeux sur la sororité et la force de la parole partagée.",
    ),
    "Jeunesse": _material(
        "les adolescents d'un quartier; les jeunes d'un foyer éducatif; des copains d'enfance",
        "éducateur/éducatrice; animateur/animatrice; entraîneur/entraîneuse",
        "le passage à l'âge adulte; les rêves d'une génération; l'été des dix-huit ans",
        "Ils ont seize ans, des rêves plein la tête et l'impression que le monde ne les attend pas.",
        "Le film capte avec tendresse l'énergie, les doutes et les élans de l'adolescence.",
        "{prenom} a dix-sept ans et s'apprête à quitter {lieu} pour la première fois.",
    ),
    "Famille": _material(
        "les membres d'une famille nombreuse; des frères et sœurs; trois générations sous le même toit",
        "agriculteur/agricultrice; boulanger/boulangère; couturier/couturière",
        "un secret de famille; la transmission entre générations; la maison familiale",
        "{Realisateur} filme les siens avec une tendresse mêlée de lucidité.",
        "Autour de la maison familiale, promise à la vente, les souvenirs et les rancœurs refont surface.",
        "Un secret de famille longtemps gardé ressurgit à la faveur d'une boîte de lettres retrouvée.",
    ),
    "Ville": _material(
        "les habitants d'une cité; les commerçants d'une rue populaire; les chauffeurs des bus de nuit",
        "chauffeur de taxi/chauffeuse de taxi; gardien d'immeuble/gardienne d'immeuble; urbaniste",
        "la gentrification d'un quartier; la vie nocturne de la ville; la rénovation urbaine",
        "De jour comme de nuit, la caméra arpente la ville et ses marges.",
        "Le quartier change : les loyers montent, les anciens partent, les souvenirs restent.",
        "Une symphonie urbaine faite de rencontres, de bruits et de lumières.",
    ),
    "Monde rural": _material(
        "les habitants d'un village isolé; les derniers paysans de la vallée; les bergers d'une estive",
        "berger/bergère; éleveur/éleveuse; facteur/factrice",
        "la désertification des campagnes; la transhumance; la fin des petites fermes",
        "Au village, l'école a fermé, le café aussi ; mais la vie continue, obstinée.",
        "Le film épouse le rythme lent des saisons et des travaux des champs.",
        "{prenom} conduit chaque été son troupeau vers les estives, comme ses parents avant {lui}.",
    ),
    "Sport": _material(
        "les joueuses d'une équipe de football; les boxeurs d'un club de quartier; "
        "les cyclistes d'un club amateur",
        "boxeur/boxeuse; entraîneur/entraîneuse; coureur/coureuse",
        "la préparation d'un championnat; le sport comme échappatoire; une saison de football amateur",
        "Entraînements à l'aube, défaites amères, joies immenses : le film suit une saison entière.",
        "Pour ces jeunes, le sport est bien plus qu'un jeu : une manière de tenir debout.",
        "{prenom} s'entraîne chaque matin dans une salle de boxe {a_lieu}, loin des projecteurs.",
    ),
    "Littérature": _material(
        "les membres d'un atelier d'écriture; les lecteurs d'une bibliothèque de quartier; des poètes",
        "écrivain/écrivaine; poète/poétesse; libraire; bibliothécaire",
        "l'écriture d'un premier roman; le pouvoir des livres; la vie d'une librairie indépendante",
        "Les mots circulent, se lisent à voix haute et finissent par changer le regard de chacun.",
        "Le film suit l'écriture d'un livre, de la page blanche à la première lecture publique.",
        "Une librairie, des lecteurs fidèles et une passion obstinée pour la littérature.",
    ),
    "Photographie": _material(
        "les membres d'un club photo; des photographes de presse; les habitants photographiés il y a cinquante ans",
        "photographe; photojournaliste",
        "un fonds photographique oublié; le métier de photographe; la mémoire des images",
        "À partir de milliers de négatifs retrouvés dans un grenier, le film reconstitue une vie entière.",
        "Chaque photographie devient le point de départ d'un récit, d'une rencontre, d'un souvenir.",
        "Le film interroge la place de la photographie dans la fabrique de la mémoire.",
    ),
    "Droits humains": _material(
        "les familles de disparus; des défenseurs des droits humains; d'anciens prisonniers politiques",
        "avocat/avocate; journaliste; militant des droits humains/militante des droits humains",
        "la quête de vérité des familles de disparus; la lutte contre l'impunité; la liberté d'expression",
        "Des années après les faits, les familles réclament toujours vérité et justice.",
        "Le film recueille des témoignages rares, au péril de ceux qui ont accepté de parler.",
        "Une enquête rigoureuse sur les violations des droits humains et ceux qui les documentent.",
    ),
    "Justice": _material(
        "les détenus d'une maison d'arrêt; les magistrats d'un tribunal; les jurés d'une cour d'assises",
        "juge; avocat/avocate; surveillant pénitentiaire/surveillante pénitentiaire",
        "le déroulement d'un procès; le quotidien d'une prison; la justice des mineurs",
        "Pendant plusieurs mois, la caméra a été autorisée à filmer les audiences d'un tribunal.",
        "Derrière les murs de la prison, le temps s'étire et chacun tente de rester debout.",
        "Le film interroge le sens de la peine et la possibilité d'une réparation.",
    ),
    "Économie": _material(
        "les petits commerçants d'un marché; les salariés d'une entreprise reprise en coopérative; "
        "des économistes",
        "commerçant/commerçante; économiste; entrepreneur/entrepreneuse",
        "la reprise d'une entreprise par ses salariés; la mondialisation des échanges; la crise financière",
        "Le film démonte avec clarté les mécanismes économiques qui façonnent nos vies.",
        "Menacés de licenciement, les salariés décident de racheter leur entreprise et de la gérer eux-mêmes.",
        "Du marché local aux places financières, le film suit le trajet d'une marchandise ordinaire.",
    ),
    "Religions": _material(
        "les moines d'une abbaye; les fidèles d'une petite mosquée; les pèlerins en route vers un sanctuaire",
        "aumônier/aumônière; moine/moniale",
        "la vie monastique; le dialogue entre les religions; un pèlerinage",
        "Le film observe avec respect la vie quotidienne d'une communauté de croyants.",
        "Entre prière, travail et silence, les journées suivent un rythme immuable.",
        "Le film interroge la place du sacré dans une société sécularisée.",
    ),
    "Animaux": _material(
        "les soigneurs d'un centre de sauvegarde; des bergers confrontés au retour du loup; "
        "des ornithologues amateurs",
        "soigneur/soigneuse; vétérinaire; ornithologue",
        "le retour du loup; la migration des oiseaux; la relation entre l'homme et l'animal",
        "Le film observe avec patience la vie animale, au rythme des saisons et des migrations.",
        "Entre fascination et conflits, il interroge la cohabitation entre les hommes et les bêtes sauvages.",
        "Des heures d'affût ont été nécessaires pour capter ces images rares.",
    ),
    "Mer": _material(
        "les marins pêcheurs; les ostréiculteurs du bassin; les marins d'un chalutier",
        "pêcheur/pêcheuse; ostréiculteur/ostréicultrice; gardien de phare/gardienne de phare; capitaine",
        "la raréfaction du poisson; la vie à bord d'un chalutier; la montée des eaux",
        "Au large, pendant des semaines, l'équipage vit au rythme des marées et des tempêtes.",
        "Sur le port, les anciens regardent partir des bateaux de moins en moins nombreux.",
        "La mer nourrit, la mer prend : le film raconte ce pacte ancien et fragile.",
    ),
    "Montagne": _material(
        "les habitants d'une vallée alpine; les guides de haute montagne; les bergers d'estive",
        "guide de haute montagne; berger/bergère; pisteur/pisteuse",
        "la fonte des glaciers; l'hiver en altitude; la vie en estive",
        "Là-haut, l'hiver dure sept mois et chaque geste compte.",
        "Le glacier recule chaque année un peu plus, et avec lui tout un mode de vie.",
        "Le film épouse le rythme des saisons en altitude, entre solitude et entraide.",
    ),
    "Afrique": _material(
        "les pêcheurs de la côte; les commerçantes d'un grand marché; les jeunes diplômés sans emploi",
        "griot/griotte; commerçant/commerçante; pêcheur/pêcheuse",
        "l'héritage des indépendances; l'exode vers les villes; la vitalité de la jeunesse africaine",
        "{A_lieu}, entre tradition et modernité, une génération invente son propre avenir.",
        "Le film fait entendre les langues, les musiques et les rires d'une ville en mouvement.",
        "Soixante ans après les indépendances, que reste-t-il des rêves des pères fondateurs ?",
    ),
    "Asie": _material(
        "les ouvrières d'une usine textile; les habitants d'un village du delta; des étudiants",
        "paysan/paysanne; ouvrier/ouvrière; moine/moniale",
        "l'urbanisation galopante; la mémoire des guerres; la vie dans les rizières",
        "Entre rizières et mégapoles, le film saisit un pays en pleine métamorphose.",
        "Les anciens transmettent aux plus jeunes la mémoire d'une histoire douloureuse.",
        "{A_lieu}, la modernité avance à grande vitesse, au risque d'effacer les traces du passé.",
    ),
    "Amériques": _material(
        "les habitants d'une réserve; des travailleurs agricoles; les familles d'une ville minière",
        "ouvrier agricole/ouvrière agricole; guide; militant/militante",
        "la défense des terres autochtones; la vie à la frontière; la désindustrialisation",
        "Des plaines du Nord aux montagnes du Sud, le continent porte encore les cicatrices de son histoire.",
        "{A_lieu}, les communautés autochtones défendent leurs terres face aux projets miniers.",
        "Le rêve américain a laissé derrière lui des villes fantômes et des vies cabossées.",
    ),
    "Monde arabe": _material(
        "les jeunes d'un quartier populaire; les femmes d'un village de montagne; d'anciens militants",
        "journaliste; militant/militante; artisan/artisane",
        "les espoirs nés des printemps arabes; la mémoire de la guerre d'indépendance; la jeunesse face à l'avenir",
        "Dix ans après les révoltes, les espoirs d'hier se heurtent à la réalité du présent.",
        "{A_lieu}, une jeunesse inventive refuse de choisir entre partir et se taire.",
        "Entre arabe et français, les langues se mêlent comme les souvenirs.",
    ),
}

_OPENERS = (
    "{A_lieu}, {groupe} racontent {theme}.",
    "{prenom} est {metier} {a_lieu} depuis {n_ans} ans.",
    "Pendant {duree}, {realisateur} a suivi {groupe} {a_lieu}.",
    "Au fil des saisons, {prenom}, {metier}, partage son quotidien {a_lieu}.",
    "{prenom} a {age} ans et n'a jamais quitté {lieu}.",
    "Le film s'ouvre sur {image}, {a_lieu}.",
    "{A_lieu}, tout le monde connaît {prenom}, {metier} au franc-parler légendaire.",
    "{Realisateur} revient {a_lieu}, où {il_real} a grandi, pour filmer {groupe}.",
)

# Openers that introduce the protagonist, preferred when the title already names one.
_PERSON_OPENERS = (_OPENERS[1], _OPENERS[3], _OPENERS[4], _OPENERS[6])
_OPENERS_MIGRATION = tuple(opener for opener in _OPENERS if "jamais quitté" not in opener)

_CLOSERS = (
    "Un film sensible, au plus près des gestes et des visages.",
    "Entre archives et témoignages, le film compose un portrait collectif d'une rare justesse.",
    "Tourné pendant {duree}, ce documentaire restitue la lenteur et la beauté du quotidien.",
    "Un cinéma du réel attentif, qui fait entendre des voix trop rarement écoutées.",
    "Sans commentaire ni musique, la caméra laisse le temps aux silences.",
    "Une œuvre de cinéma direct, tournée caméra à l'épaule, au plus près de l'action.",
    "{Realisateur}, originaire {de_lieu}, filme ces lieux avec une familiarité évidente.",
    "Construit comme un journal intime, le film mêle archives familiales et tournage au présent.",
    "Un regard pudique et lumineux sur ce qui nous relie.",
    "Le film donne la parole à celles et ceux qu'on n'entend jamais.",
    "Une mise en scène épurée, où chaque plan prend le temps de regarder.",
    "Drôle et grave à la fois, le film déjoue tous les clichés.",
)

_IMAGES = _names(
    "un plan fixe sur le fleuve à l'aube, les gestes précis d'une couturière, une salle de classe vide, "
    "un champ sous la neige, le vacarme d'une usine, la voix d'une femme au téléphone, "
    "des archives en noir et blanc, un long travelling le long des quais, un visage en gros plan, "
    "une fête de village, le silence d'une maison abandonnée, une procession sous la pluie"
)

_DURATIONS_SPENT = _names(
    "deux ans, trois ans, une année entière, six mois, tout un hiver, plusieurs saisons, dix ans, quatre ans"
)

_YEARS_WORDS = _names("dix, quinze, vingt, vingt-cinq, trente, quarante")



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

_GENERAL_SUBJECTS = _Table([
    ("Société", 10.0), ("Histoire", 8.0), ("Travail", 6.0), ("Politique", 5.0), ("Arts", 4.0),
    ("Musique", 4.0), ("Cinéma", 3.0), ("Écologie", 5.0), ("Migrations", 4.0), ("Féminismes", 3.0),
    ("Jeunesse", 4.0), ("Famille", 4.0), ("Ville", 4.0), ("Monde rural", 4.0), ("Agriculture", 3.0),
    ("Santé", 3.0), ("Éducation", 3.0), ("Sciences", 3.0), ("Sport", 2.0), ("Littérature", 2.0),
    ("Photographie", 1.5), ("Danse", 1.5), ("Architecture", 1.5), ("Droits humains", 3.0), ("Justice", 2.0),
    ("Économie", 2.5), ("Religions", 1.5), ("Animaux", 2.0), ("Mer", 2.0), ("Montagne", 1.5),
    ("Afrique", 0.5), ("Asie", 0.5), ("Amériques", 0.5), ("Monde arabe", 0.5),
])

# (regional subject, probability) for the main country of production.
_REGION_SUBJECTS: dict[str, tuple[str, float]] = {
    **{code: ("Afrique", 0.6) for code in ("SN", "ML", "BF", "CI", "CD", "CM")},
    **{code: ("Monde arabe", 0.5) for code in ("DZ", "MA", "TN")},
    **{code: ("Asie", 0.6) for code in ("VN", "KH", "JP")},
    **{code: ("Amériques", 0.4) for code in ("US", "AR", "MX", "CL", "CO", "BR")},
}

_SUBJECT_COUNT = _Table([(1, 30.0), (2, 45.0), (3, 25.0)])

_SENSITIVE_SUBJECTS = frozenset({"Droits humains", "Justice", "Politique", "Histoire", "Migrations"})
_AGE_DEFAULT = _Table(list(zip(AGE_ADVICE, (62.0, 18.0, 14.0, 6.0), strict=True)))
_AGE_SENSITIVE = _Table(list(zip(AGE_ADVICE, (40.0, 22.0, 25.0, 13.0), strict=True)))

# Image and editing are always credited; two to five crew members in all, in credit order.
_CREW_ROLES: _Table[tuple[str, ...]] = _Table([
    (("image", "editing"), 20.0),
    (("image", "editing", "sound"), 16.0),
    (("image", "editing", "music"), 7.0),
    (("image", "editing", "production"), 12.0),
    (("image", "editing", "sound", "music"), 12.0),
    (("image", "editing", "sound", "production"), 12.0),
    (("image", "editing", "music", "production"), 6.0),
    (("image", "editing", "sound", "music", "production"), 15.0),
])


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
