"""Audience: the viewing log, consultation statistics and COUNTER reports, the audience prize."""

from audience import prize_showcase, refusals, statistics
from audience.chart import ANNOTATION_SOURCES
from audience.controllers import ViewingLogController
from audience.counter_api import CounterApiController
from audience.prize_annotations import prize_annotations
from audience.prize_controllers import PrizeController
from audience.prize_public_views import PrizeBallotViews, PrizePublicViews
from audience.prize_staff_views import LibraryPrizeViews, PrizeStaffViews
from audience.views import LibraryStatisticsViews, ServiceStatisticsViews
from catalogue import acquisitions, film_page

refusals.register()
# The rights expiry list shows each licence's consultations and cost per consultation (catalogue cannot import us).
if statistics.expiry_figures not in acquisitions.EXPIRY_FIGURES:
    acquisitions.EXPIRY_FIGURES.append(statistics.expiry_figures)
# The monthly consultations chart marks the months of the prize's votes and result.
if prize_annotations not in ANNOTATION_SOURCES:
    ANNOTATION_SOURCES.append(prize_annotations)
# The public film page names the film's prize distinctions (the award once the result is published).
if prize_showcase.film_distinctions not in film_page.FILM_DISTINCTIONS:
    film_page.FILM_DISTINCTIONS.append(prize_showcase.film_distinctions)

route_handlers: list = [ViewingLogController, CounterApiController, ServiceStatisticsViews, LibraryStatisticsViews,
                        PrizeController, PrizePublicViews, PrizeBallotViews, PrizeStaffViews, LibraryPrizeViews]
