"""Streaming: institutions and subscriptions, media packaging and storage, patron access and playback."""

from streaming.models import Institution

route_handlers: list = []

__all__ = ["Institution", "route_handlers"]
