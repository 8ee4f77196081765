"""The streaming context's route handlers, room by room, in the order the composition root mounts them.

Mounting them also gives the catalogue's public film page its media section (catalogue cannot import us).
"""


from catalogue.films import page as film_page
from streaming.access.controllers import EmbedSnippetController, InstitutionController, PlaybackAdminController
from streaming.access.views import EmbedViews, InstitutionViews, PlaybackKeyViews
from streaming.media.controllers import MediaController
from streaming.media.presentations import PresentationMediaController, film_page_media
from streaming.media.views import MediaViews
from streaming.playback.gateway import MediaGateway
from streaming.playback.player import PlaybackController, PlayerViews

# The public film page shows the presentation video and the packaged poster (catalogue cannot import us).
if film_page_media not in film_page.FILM_PAGE_MEDIA:
    film_page.FILM_PAGE_MEDIA.append(film_page_media)

route_handlers: list = [
    MediaController, MediaViews, PresentationMediaController,  # media/
    InstitutionController, EmbedSnippetController, InstitutionViews, EmbedViews,  # access/
    PlaybackAdminController, PlaybackKeyViews, PlayerViews, PlaybackController, MediaGateway,  # playback/
]

__all__ = ["route_handlers"]
