"""The audience context's route handlers, room by room, in the order the composition root mounts them.

Mounting them wires audience into the lower contexts (`audience.wiring.wire`), as importing `audience` did before.
"""

from audience.prize.controllers import PrizeController
from audience.prize.public_views import PrizeBallotViews, PrizePublicViews
from audience.prize.staff_views import LibraryPrizeViews, PrizeStaffViews
from audience.statistics.counter_api import CounterApiController
from audience.statistics.views import LibraryStatisticsViews, ServiceStatisticsViews
from audience.viewing.controllers import ViewingLogController
from audience.wiring import wire

wire()

route_handlers: list = [
    ViewingLogController,  # viewing/
    CounterApiController, ServiceStatisticsViews, LibraryStatisticsViews,  # statistics/
    PrizeController, PrizePublicViews, PrizeBallotViews, PrizeStaffViews, LibraryPrizeViews,  # prize/
]

__all__ = ["route_handlers"]
