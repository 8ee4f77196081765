"""Streaming: institutions and subscriptions, media packaging and storage, patron access and playback."""

from streaming.controllers import MediaController
from streaming.models import Institution
from streaming.views import MediaViews

route_handlers: list = [MediaController, MediaViews]

__all__ = ["Institution", "route_handlers"]
