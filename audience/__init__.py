"""Audience: the viewing log, consultation statistics and COUNTER reports, the audience prize."""

from audience.controllers import ViewingLogController
from audience.counter_api import CounterApiController

route_handlers: list = [ViewingLogController, CounterApiController]
