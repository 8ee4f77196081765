"""Films: their records, people and subjects, search with facets, the film pages and API."""
