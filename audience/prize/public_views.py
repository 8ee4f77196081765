"""The prize's public pages (/prix, /prix/{year}) and the patrons' ballot page that a library's portal frames.

The ballot page is entered exactly like the embedded player (streaming/playback/player.py): the portal's assertion, a
CAS ticket or the library's own computers identify the patron; the page then carries a signed grant in its form,
since a portal's iframe sends us no cookie. The vote itself is recorded by prize.voting in its own short transaction.
"""

from __future__ import annotations

from typing import Annotated, Any

from litestar import Controller, Request, get, post
from litestar.enums import RequestEncodingType
from litestar.params import Body
from litestar.response import Redirect, Template
from sqlalchemy import Engine
from sqlmodel import Session

from audience.prize.ballots import check_voter, grant_holder, patron_from_grant, public_vote_of
from audience.prize.models import PrizeEdition
from audience.prize.showcase import Showcase, current_edition, edition_of_year, showcase
from audience.prize.voting import settle_if_due, submit_public_vote
from catalogue.films.models import Film
from cinedoc.kernel import clock
from cinedoc.kernel.errors import DomainError, InvalidInput, NotFound
from cinedoc.kernel.i18n import translate
from streaming.access.institutions import frame_ancestors
from streaming.access.sign_in import Challenge, identify_patron, institution_hint, patron_refusal
from streaming.media.models import Institution
from streaming.playback.player import content_security_policy, embed_entry, media_origins
from streaming.playback.sessions import PatronIdentity, issue_grant
from streaming.runtime import AccessRuntime, runtime_for

FormData = Annotated[dict[str, Any], Body(media_type=RequestEncodingType.URL_ENCODED)]
OUTCOME_MESSAGES = {
    "cast": "Your vote for {title} is recorded. Thank you!",
    "changed": "Your vote is changed: it now goes to {title}.",
    "unchanged": "Your vote for {title} was already recorded; nothing changed.",
}



# --- the public edition pages --------------------------------------------------------------------------------------

def _edition_page(engine: Engine, db: Session, edition_id: int) -> Template:
    # Closed rounds are counted before the page reads them: the day after the close shows the frozen count.
    settle_if_due(engine, edition_id)
    edition = db.get(PrizeEdition, edition_id)
    if edition is None:  # deleted in between
        raise NotFound("No prize edition with id {edition_id}.", edition_id=edition_id)
    return Template("audience/prize_public.html", context={"shown": showcase(db, edition)})


class PrizePublicViews(Controller):
    include_in_schema = False

    @get("/prix", sync_to_thread=True)
    def current(self, request: Request[Any, Any, Any], db: Session) -> Template:
        engine = request.app.state.engine
        with Session(engine) as reader:
            edition = current_edition(reader)
            edition_id = edition.id if edition else None
        if edition_id is None:
            return Template("audience/prize_public_none.html", context={})
        return _edition_page(engine, db, edition_id)

    @get("/prix/{year:int}", sync_to_thread=True)
    def of_year(self, request: Request[Any, Any, Any], db: Session, year: int) -> Template:
        engine = request.app.state.engine
        with Session(engine) as reader:
            edition = edition_of_year(reader, year)
            # An edition is public from its nominations on; before, it is the cinema service's draft.
            edition_id = edition.id if edition and edition.nominations_start <= clock.paris_today() else None
        if edition_id is None:
            raise NotFound("There is no audience prize for {year}.", year=year)
        return _edition_page(engine, db, edition_id)


# --- the ballot page in the portal's frame ------------------------------------------------------------------------

def _claimed_institution(grant_text: str) -> int | None:
    """The institution a grant names even when it no longer holds (expired): its origins may frame the refusal."""
    parts = grant_text.split(".")
    return int(parts[2]) if len(parts) == 6 and parts[2].isdigit() and len(parts[2]) < 10 else None


def _ballot_page(db: Session, runtime: AccessRuntime, *, edition_id: int, institution_id: int | None,
                 patron: PatronIdentity | None = None, grant: str | None = None, refusal: str | None = None,
                 confirmation: str | None = None, chosen: int | None = None, blocked: bool = False,
                 status_code: int = 200) -> Template:
    """`blocked`: the refusal concerns the patron, not one vote (no form then); a refusal of a vote keeps the form
    and the patron's choice."""
    edition = db.get(PrizeEdition, edition_id)
    shown: Showcase | None = showcase(db, edition) if edition is not None else None
    current = public_vote_of(db, edition_id, patron) if shown and patron and patron.viewer else None
    can_vote = (shown is not None and shown.phase == "public" and bool(shown.shortlist) and not blocked
                and patron is not None and patron.viewer is not None and grant is not None
                and (current is None or shown.edition.allow_vote_change))
    context = {
        "shown": shown, "edition_id": edition_id, "grant": grant, "refusal": refusal, "blocked": blocked,
        "confirmation": confirmation, "current_vote": current, "chosen": chosen if chosen is not None else current,
        "can_vote": can_vote, "institution": db.get(Institution, institution_id) if institution_id else None,
        "presentations": bool(shown and any(card.presentation for card in shown.shortlist)),
    }
    return Template("audience/prize_embed.html", context=context, status_code=status_code, headers={
        "Content-Security-Policy": content_security_policy(frame_ancestors(db, institution_id),
                                                           media_origins(runtime)),
        "Cache-Control": "no-store", "Referrer-Policy": "no-referrer", "X-Content-Type-Options": "nosniff",
    })


def _film_id(raw: Any) -> int | None:
    return int(raw) if isinstance(raw, str) and raw.isdigit() and len(raw) < 10 else None


def _submit(runtime: AccessRuntime, edition_id: int, grant: str, film_id: int | None) -> tuple[str, PatronIdentity]:
    if film_id is None:
        with Session(runtime.engine) as reader:
            patron_from_grant(runtime, reader, grant)  # who asks is checked first, as for any vote
        raise InvalidInput("Choose one of the films before sending your vote.", field="film_id")
    return submit_public_vote(runtime, edition_id, grant, film_id)


class PrizeBallotViews(Controller):
    include_in_schema = False

    @get("/embed/prize/{edition_id:int}", sync_to_thread=True)
    def ballot(self, request: Request[Any, Any, Any], db: Session, edition_id: int) -> Template | Redirect:
        runtime = runtime_for(request.app.state)
        entry = embed_entry(runtime, request, f"/embed/prize/{edition_id}")
        hint = institution_hint(db, entry)
        try:
            settle_if_due(runtime.engine, edition_id)
        except NotFound as missing:
            return _ballot_page(db, runtime, edition_id=edition_id, institution_id=hint, refusal=missing.localized(),
                                blocked=True, status_code=404)
        try:
            identity = identify_patron(runtime, db, entry)
        except DomainError as refused:
            db.rollback()
            return _ballot_page(db, runtime, edition_id=edition_id, institution_id=hint,
                                refusal=patron_refusal(refused), blocked=True, status_code=refused.status_code)
        if isinstance(identity, Challenge):
            return Redirect(identity.location, status_code=303)
        if db.get(Institution, identity.institution_id) is None:
            return _ballot_page(db, runtime, edition_id=edition_id, institution_id=None, blocked=True,
                                refusal=translate("Your library is not known to the platform."), status_code=403)
        try:
            check_voter(db, identity, clock.paris_today())
        except DomainError as refused:
            return _ballot_page(db, runtime, edition_id=edition_id, institution_id=identity.institution_id,
                                patron=identity, refusal=refused.localized(), blocked=True,
                                status_code=refused.status_code)
        return _ballot_page(db, runtime, edition_id=edition_id, institution_id=identity.institution_id,
                            patron=identity, grant=issue_grant(runtime, db, identity))

    @post("/embed/prize/{edition_id:int}/vote", sync_to_thread=True, exclude_from_csrf=True, status_code=200)
    def vote(self, request: Request[Any, Any, Any], db: Session, edition_id: int, data: FormData) -> Template:
        """No cookie reaches us from a portal's iframe, hence no CSRF token: the signed grant names the patron.
        The vote is written by prize.voting in its own transaction, before this request's session reads anything."""
        runtime = runtime_for(request.app.state)
        raw_grant = data.get("grant")
        grant = raw_grant[:400] if isinstance(raw_grant, str) else ""
        film_id = _film_id(data.get("film_id"))
        try:
            outcome, patron = _submit(runtime, edition_id, grant, film_id)
        except DomainError as refused:
            holder = grant_holder(runtime, db, grant)
            return _ballot_page(db, runtime, edition_id=edition_id,
                                institution_id=holder.institution_id if holder else _claimed_institution(grant),
                                patron=holder, grant=grant if holder else None, refusal=refused.localized(),
                                chosen=film_id, blocked=holder is None or holder.viewer is None,
                                status_code=refused.status_code)
        film = db.get(Film, film_id)
        return _ballot_page(db, runtime, edition_id=edition_id, institution_id=patron.institution_id, patron=patron,
                            grant=grant, confirmation=translate(OUTCOME_MESSAGES[outcome],
                                                                title=film.title if film else ""))
