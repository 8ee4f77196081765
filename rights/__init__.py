"""Rights: licences, budget lines, commitments, renewals, expiry, and the access question every context asks."""

from rights.controllers import BudgetLineController, BudgetReportController, LicenceController, access_check
from rights.views import BudgetViews

route_handlers: list = [BudgetLineController, BudgetReportController, LicenceController, access_check, BudgetViews]

__all__ = ["route_handlers"]
