"""The demo network: 111 subscribing institutions shaped like the 2024 one (72 local-authority libraries, 20
departmental, 13 university, 6 works councils; French, and a few Belgian from the Fédération Wallonie-Bruxelles),
with their subscriptions, portal origins, assertion keys, a few on-site ranges, limits and contacts."""

from __future__ import annotations

import random
import re
import secrets
import unicodedata
from datetime import date

from sqlmodel import Session

from cinedoc.kernel import clock
from streaming.access.models import AssertionKey, EmbedOrigin, InstitutionContact, IpRange, KeyStatus, Subscription
from streaming.media.models import Institution, InstitutionCategory

LA, DEP, UNI, CSE = (InstitutionCategory.LOCAL_AUTHORITY, InstitutionCategory.DEPARTMENTAL,
                     InstitutionCategory.UNIVERSITY, InstitutionCategory.WORKS_COUNCIL)

# The first five are the demo's historical ones; the first is the demo librarian's, and it accepts a portal page
# served on this machine (http://localhost:8080) and on-site access from this machine, to try the player.
FIRST = (
    ("Médiathèque Marguerite-Duras (Paris)", LA, "FR"),
    ("Bibliothèque départementale de la Gironde", DEP, "FR"),
    ("BU Lettres de l'Université de Lille", UNI, "FR"),
    ("CSE Renault Flins", CSE, "FR"),
    ("Bibliothèque publique de Liège", LA, "BE"),
)
LOCAL_TOWNS = (
    "Lyon", "Marseille", "Toulouse", "Nice", "Nantes", "Montpellier", "Strasbourg", "Bordeaux", "Rennes", "Reims",
    "Le Havre", "Saint-Étienne", "Toulon", "Grenoble", "Dijon", "Angers", "Nîmes", "Villeurbanne", "Clermont-Ferrand",
    "Le Mans", "Aix-en-Provence", "Brest", "Tours", "Amiens", "Limoges", "Annecy", "Perpignan", "Metz", "Besançon",
    "Orléans", "Rouen", "Mulhouse", "Caen", "Nancy", "Argenteuil", "Montreuil", "Roubaix", "Tourcoing", "Avignon",
    "Poitiers", "Pau", "La Rochelle", "Calais", "Cannes", "Colmar", "Quimper", "Lorient", "Vannes", "Saint-Brieuc",
    "Valence", "Chambéry", "Troyes", "Niort", "Bourges", "Albi", "Arles", "Bayonne", "Blois", "Cherbourg",
    "Évreux", "Laval", "Sète",
)
BELGIAN_TOWNS = ("Namur", "Mons", "Charleroi", "Tournai", "Arlon")
DEPARTMENTS = (
    "l'Ain", "l'Allier", "l'Ardèche", "l'Aude", "l'Aveyron", "la Corrèze", "la Creuse", "la Dordogne", "la Drôme",
    "l'Eure", "du Finistère", "du Gers", "de l'Hérault", "de l'Isère", "des Landes", "de la Loire", "du Lot",
    "de la Manche", "de la Meuse",
)
UNIVERSITIES = (
    "BU Droit-Lettres de l'Université de Bourgogne", "BU de l'Université Rennes 2",
    "BU Santé de l'Université de Bordeaux",
    "Bibliothèque de l'Université Toulouse – Jean-Jaurès", "BU de l'Université de Poitiers",
    "Bibliothèque Diderot de Lyon (ENS)", "BU de l'Université Grenoble Alpes", "BU de La Rochelle Université",
    "Médiathèque de l'École nationale supérieure Louis-Lumière", "BU de l'Université de Strasbourg",
    "Bibliothèque de l'Université libre de Bruxelles", "BU de l'Université Paris 8 Vincennes – Saint-Denis",
)
WORKS_COUNCILS = ("CSE SNCF Voyageurs Bretagne", "CSE Airbus Toulouse", "CSE EDF Lyon", "CSE La Poste Île-de-France",
                  "CSE Michelin Clermont-Ferrand")
LOCAL_FORMS = ("Médiathèque de {town}", "Bibliothèque municipale de {town}", "Réseau des médiathèques de {town}")
DEMO_PORTALS = ("http://localhost:8080", "http://127.0.0.1:8080")
FIRST_NAMES = ("Claire", "Thomas", "Nadia", "Julien", "Sophie", "Karim", "Élise", "Marc", "Inès", "Paul")
LAST_NAMES = ("Martin", "Bernard", "Dubois", "Moreau", "Laurent", "Lefèvre", "Roux", "Fontaine", "Garnier", "Chevalier")


def slug(name: str) -> str:
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode().lower()
    return re.sub(r"[^a-z0-9]+", "-", ascii_name).strip("-")[:40]


def demo_network() -> list[tuple[str, InstitutionCategory, str]]:
    """Names, categories and countries: 72 + 20 + 13 + 6 = 111."""
    local = [(FIRST[0][0], LA, "FR"), (FIRST[4][0], LA, "BE")]
    local += [(LOCAL_FORMS[n % 3].format(town=town), LA, "FR") for n, town in enumerate(LOCAL_TOWNS)]
    local += [(f"Bibliothèque communale de {town}", LA, "BE") for town in BELGIAN_TOWNS]
    local += [("Bibliothèque Chiroux (Liège, Fédération Wallonie-Bruxelles)", LA, "BE"),
              ("Médiathèque du Pays de Morlaix", LA, "FR"), ("Médiathèque intercommunale Ouest Provence", LA, "FR")]
    departmental = [(FIRST[1][0], DEP, "FR")] + [(f"Bibliothèque départementale de {d}", DEP, "FR")
                                                 for d in DEPARTMENTS]
    university = [(FIRST[2][0], UNI, "FR")] + [(name, UNI, "BE" if "Bruxelles" in name else "FR")
                                               for name in UNIVERSITIES]
    councils = [(FIRST[3][0], CSE, "FR")] + [(name, CSE, "FR") for name in WORKS_COUNCILS]
    network = local + departmental + university + councils
    assert (len(local), len(departmental), len(university), len(councils)) == (72, 20, 13, 6), network
    first_names = [name for name, _, _ in FIRST]
    return [*FIRST, *[row for row in network if row[0] not in first_names]]


def add_demo_institutions(session: Session, seed: int = 2024) -> list[Institution]:
    """The 111 institutions and what they need to play; returns them, the demo librarian's first."""
    rng = random.Random(seed)
    year = clock.paris_today().year
    institutions = []
    for index, (name, category, country) in enumerate(demo_network()):
        institution = Institution(
            name=name, category=category.value, country=country,
            isil=f"FR-{rng.randrange(10**8, 10**9)}" if country == "FR" and rng.random() < 0.4 else None,
            patron_monthly_limit=4 if index % 9 == 5 else None,
            monthly_ceiling=300 if category == CSE and index > 3 else None,
        )
        session.add(institution)
        institutions.append(institution)
    session.flush()
    for index, institution in enumerate(institutions):
        assert institution.id is not None
        # Three subscriptions ran out last year: the list shows who is subscribed today.
        lapsed = index in (17, 48, 90)
        start, end = (date(year - 1, 1, 1), date(year - 1, 12, 31)) if lapsed else (date(year, 1, 1),
                                                                                    date(year, 12, 31))
        session.add(Subscription(institution_id=institution.id, start_date=start, end_date=end,
                                 note="Convention annuelle"))
        origins = [f"https://portail.{slug(institution.name)}.example"]
        if index == 0:
            origins += list(DEMO_PORTALS)
            session.add(IpRange(institution_id=institution.id, cidr="127.0.0.1/32", label="Cet ordinateur (démo)"))
            session.add(IpRange(institution_id=institution.id, cidr="::1/128", label="Cet ordinateur (démo, IPv6)"))
        elif rng.random() < 0.3:
            session.add(IpRange(institution_id=institution.id, cidr=f"198.51.100.{(index % 60) * 4}/30",
                                label="Postes publics"))
        session.add_all(EmbedOrigin(institution_id=institution.id, origin=origin) for origin in origins)
        session.add(AssertionKey(institution_id=institution.id, kid=f"i{institution.id}-{secrets.token_hex(4)}",
                                 secret=secrets.token_urlsafe(32), label="Portail", status=KeyStatus.ACTIVE))
        if index < 20:
            person = f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}"
            session.add(InstitutionContact(institution_id=institution.id, name=person,
                                           role="Responsable des ressources numériques",
                                           email=f"{slug(person)}@{slug(institution.name)}.example"))
    session.flush()
    return institutions
