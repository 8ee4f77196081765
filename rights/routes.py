"""The rights context's route handlers, in the order the composition root mounts them."""

from rights.controllers import BudgetLineController, BudgetReportController, LicenceController, access_check
from rights.views import BudgetViews

route_handlers: list = [BudgetLineController, BudgetReportController, LicenceController, access_check, BudgetViews]

__all__ = ["route_handlers"]
