"""What later contexts add to the public film page (streaming: the presentation video and the packaged poster;
audience: the film's distinctions, such as the audience prize).

Catalogue may not import streaming, so streaming registers its provider here at import time, as audience does for
catalogue.acquisitions.workflow.EXPIRY_FIGURES.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, NamedTuple

from sqlmodel import Session

# Each provider returns a few named things for the page, or None. Known keys: "presentation" (an object with
# playlist_url, poster_url, duration_seconds, has_captions) and "poster_url" (used when the film has no poster).
FilmPageMedia = Callable[[Session, int], dict[str, Any] | None]
FILM_PAGE_MEDIA: list[FilmPageMedia] = []


def film_page_media(session: Session, film_id: int) -> dict[str, Any]:
    found: dict[str, Any] = {}
    for provider in FILM_PAGE_MEDIA:
        found.update(provider(session, film_id) or {})
    return found


class Distinction(NamedTuple):
    """One line of the film's "Distinctions": a short translated text, and where to read more (or None)."""

    text: str
    url: str | None


FilmDistinctions = Callable[[Session, int], list[Distinction]]
FILM_DISTINCTIONS: list[FilmDistinctions] = []


def film_distinctions(session: Session, film_id: int) -> list[Distinction]:
    return [found for provider in FILM_DISTINCTIONS for found in provider(session, film_id)]
