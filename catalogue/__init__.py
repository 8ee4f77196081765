"""Catalogue: films (records, people, subjects, search, the film pages) and acquisitions (the rights workflow,
expiry, weeding).

The package imports nothing: `import catalogue.films.models` needs no web framework. The route handlers are listed
in `catalogue.routes`, for the composition root.
"""
