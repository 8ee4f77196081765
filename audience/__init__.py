"""Audience: the viewing log, consultation statistics and COUNTER reports, the audience prize."""

from audience import refusals, statistics
from audience.controllers import ViewingLogController
from audience.counter_api import CounterApiController
from audience.prize_controllers import PrizeController
from audience.views import LibraryStatisticsViews, ServiceStatisticsViews
from catalogue import acquisitions

refusals.register()
# The rights expiry list shows each licence's consultations and cost per consultation (catalogue cannot import us).
if statistics.expiry_figures not in acquisitions.EXPIRY_FIGURES:
    acquisitions.EXPIRY_FIGURES.append(statistics.expiry_figures)

route_handlers: list = [ViewingLogController, CounterApiController, ServiceStatisticsViews, LibraryStatisticsViews,
                        PrizeController]
