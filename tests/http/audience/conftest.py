"""The access tests' fixtures (a media folder, the playback app, a helper that opens sessions) for this folder."""

from tests.http.streaming.conftest import media_root, open_session, playback_app  # noqa: F401
