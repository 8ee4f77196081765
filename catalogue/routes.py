"""The catalogue context's route handlers, room by room, in the order the composition root mounts them."""

from catalogue.acquisitions.controllers import (
    AcquisitionController,
    WeedingController,
    expiring_licences,
    rights_summary,
)
from catalogue.acquisitions.views import AcquisitionViews, RightsFollowUpViews
from catalogue.films.controllers import (
    PublicFilmController,
    StaffFilmController,
    create_subject,
    find_people,
    list_subjects,
)
from catalogue.films.views import PublicCatalogueViews, StaffCatalogueViews

route_handlers: list = [
    # films/
    PublicFilmController,
    StaffFilmController,
    list_subjects,
    create_subject,
    find_people,
    PublicCatalogueViews,
    StaffCatalogueViews,
    # acquisitions/
    AcquisitionController,
    WeedingController,
    expiring_licences,
    rights_summary,
    AcquisitionViews,
    RightsFollowUpViews,
]

__all__ = ["route_handlers"]
