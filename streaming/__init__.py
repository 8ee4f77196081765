"""Streaming: institutions and subscriptions, media packaging and storage, patron access and playback."""

from streaming.controllers import MediaController
from streaming.gateway import MediaGateway
from streaming.institution_controllers import EmbedSnippetController, InstitutionController, PlaybackAdminController
from streaming.institution_views import EmbedViews, InstitutionViews, PlaybackKeyViews
from streaming.models import Institution
from streaming.player_views import PlaybackController, PlayerViews
from streaming.views import MediaViews

route_handlers: list = [
    MediaController, MediaViews,
    InstitutionController, PlaybackAdminController, EmbedSnippetController, InstitutionViews, EmbedViews,
    PlaybackKeyViews, PlayerViews, PlaybackController, MediaGateway,
]

__all__ = ["Institution", "route_handlers"]
