"""Streaming: institutions and subscriptions, media packaging and storage, patron access and playback."""

from catalogue.films import page as film_page
from streaming.controllers import MediaController
from streaming.gateway import MediaGateway
from streaming.institution_controllers import EmbedSnippetController, InstitutionController, PlaybackAdminController
from streaming.institution_views import EmbedViews, InstitutionViews, PlaybackKeyViews
from streaming.models import Institution
from streaming.player_views import PlaybackController, PlayerViews
from streaming.presentations import PresentationMediaController, film_page_media
from streaming.views import MediaViews

# The public film page shows the presentation video and the packaged poster (catalogue cannot import us).
if film_page_media not in film_page.FILM_PAGE_MEDIA:
    film_page.FILM_PAGE_MEDIA.append(film_page_media)

route_handlers: list = [
    MediaController, MediaViews,
    InstitutionController, PlaybackAdminController, EmbedSnippetController, InstitutionViews, EmbedViews,
    PlaybackKeyViews, PlayerViews, PlaybackController, MediaGateway, PresentationMediaController,
]

__all__ = ["Institution", "route_handlers"]
