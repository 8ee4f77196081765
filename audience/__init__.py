"""Audience: the viewing log, consultation statistics and COUNTER reports, the audience prize.

The package imports nothing: `import audience.viewing.models` needs no web framework. The route handlers are
listed in `audience.routes`, and what audience adds to lower contexts' pages in `audience.wiring`.
"""
