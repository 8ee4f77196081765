"""What audience adds to lower contexts, which may not import it: the refused openings it counts, the figures on the
rights expiry list, the prize's marks on the consultations chart and its distinctions on the public film page.

`wire()` fills the lower contexts' provider lists once (calling it again changes nothing). The app gets it with
`audience.routes`, the command line and the tests with `migrations.model_registry.import_all_models`, as they got it
from `import audience` before the rooms; the providers become protocols supplied by the composition root later.
"""

from __future__ import annotations

from audience.prize.annotations import prize_annotations
from audience.prize.showcase import film_distinctions
from audience.statistics.chart import ANNOTATION_SOURCES
from audience.statistics.figures import expiry_figures
from audience.viewing import refusals
from catalogue.acquisitions.workflow import EXPIRY_FIGURES
from catalogue.films.page import FILM_DISTINCTIONS


def wire() -> None:
    refusals.register()
    # The rights expiry list shows each licence's consultations and cost per consultation.
    if expiry_figures not in EXPIRY_FIGURES:
        EXPIRY_FIGURES.append(expiry_figures)
    # The monthly consultations chart marks the months of the prize's votes and result.
    if prize_annotations not in ANNOTATION_SOURCES:
        ANNOTATION_SOURCES.append(prize_annotations)
    # The public film page names the film's prize distinctions (the award once the result is published).
    if film_distinctions not in FILM_DISTINCTIONS:
        FILM_DISTINCTIONS.append(film_distinctions)
