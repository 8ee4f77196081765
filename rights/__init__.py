"""Rights: licences, budget lines, commitments, renewals and expiry (filled in by the rights issue)."""

route_handlers: list = []
