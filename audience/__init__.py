"""Audience: the viewing log, consultation statistics and COUNTER reports, the audience prize."""

route_handlers: list = []
