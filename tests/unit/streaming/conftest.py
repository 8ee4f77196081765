"""Media fixtures for this folder."""

from tests.media_samples import media_samples  # noqa: F401 - registers the fixture
