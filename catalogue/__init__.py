"""Catalogue: films, people, subjects, search, and the pages and API that show them."""

from catalogue.acquisition_controllers import (
    AcquisitionController,
    WeedingController,
    expiring_licences,
    rights_summary,
)
from catalogue.acquisition_views import AcquisitionViews, RightsFollowUpViews
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
    AcquisitionController,
    WeedingController,
    expiring_licences,
    rights_summary,
    AcquisitionViews,
    RightsFollowUpViews,
]

__all__ = ["route_handlers"]
