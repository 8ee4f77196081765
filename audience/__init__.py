"""Audience: the viewing log, consultation statistics and COUNTER reports, the audience prize."""

from audience import refusals
from audience.controllers import ViewingLogController
from audience.counter_api import CounterApiController
from audience.views import LibraryStatisticsViews, ServiceStatisticsViews

refusals.register()

route_handlers: list = [ViewingLogController, CounterApiController, ServiceStatisticsViews, LibraryStatisticsViews]
