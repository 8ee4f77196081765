"""Audience: the viewing log, consultation statistics and COUNTER reports, the audience prize."""

from audience.prize import showcase as prize_showcase
from audience.prize.annotations import prize_annotations
from audience.prize.controllers import PrizeController
from audience.prize.public_views import PrizeBallotViews, PrizePublicViews
from audience.prize.staff_views import LibraryPrizeViews, PrizeStaffViews
from audience.statistics import figures as statistics
from audience.statistics.chart import ANNOTATION_SOURCES
from audience.statistics.counter_api import CounterApiController
from audience.statistics.views import LibraryStatisticsViews, ServiceStatisticsViews
from audience.viewing import refusals
from audience.viewing.controllers import ViewingLogController
from catalogue.acquisitions import workflow as acquisitions
from catalogue.films import page as film_page

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
