"""Catalogue: films, people, subjects, search, and the pages and API that show them."""

from catalogue.controllers import (
    PublicFilmController,
    StaffFilmController,
    create_subject,
    find_people,
    list_subjects,
)
from catalogue.views import PublicCatalogueViews, StaffCatalogueViews

route_handlers = [
    PublicFilmController,
    StaffFilmController,
    list_subjects,
    create_subject,
    find_people,
    PublicCatalogueViews,
    StaffCatalogueViews,
]

__all__ = ["route_handlers"]
