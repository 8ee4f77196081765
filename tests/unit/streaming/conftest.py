"""Media and S3 fixtures for this folder."""

from tests.media_samples import media_samples  # noqa: F401 - registers the fixture
from tests.s3_server import s3_bucket, s3_endpoint  # noqa: F401 - registers the fixtures
