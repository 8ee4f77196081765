"""Prize request and response models: an edition's terms, ballots, counts."""

from __future__ import annotations

from datetime import date, datetime
from typing import Literal

from pydantic import BaseModel, Field

MAX_NOMINEES = 30


class EditionTerms(BaseModel):
    """What the cinema service sets for an edition; the rules that tie fields together live in editions.py."""

    year: int = Field(ge=2000, le=2100)
    title: str = Field(min_length=1, max_length=200)
    partners: str = Field(default="", max_length=2000)
    award_cents: int = Field(ge=0, le=100_000_000)
    nominees: list[int] = Field(min_length=2, max_length=MAX_NOMINEES)
    pick_count: int = Field(ge=1, le=MAX_NOMINEES)
    shortlist_size: int = Field(ge=1, le=MAX_NOMINEES)
    ballot_scope: Literal["librarian", "institution"] = "librarian"
    allow_vote_change: bool = True
    require_watched: bool = False
    nominations_start: date
    nominations_end: date
    librarians_start: date
    librarians_end: date
    preparation_start: date
    preparation_end: date
    public_start: date
    public_end: date
    result_date: date


class PhaseOut(BaseModel):
    name: str
    start: date | None
    end: date | None


class TallyRow(BaseModel):
    film_id: int
    title: str
    ballots: int
    institutions: int
    rank: int


class EditionOut(BaseModel):
    id: int
    year: int
    title: str
    partners: str
    award_cents: int
    pick_count: int
    nominee_count: int
    shortlist_size: int
    ballot_scope: str
    allow_vote_change: bool
    require_watched: bool
    phases: list[PhaseOut]
    current_phase: str
    nominees: list[int]
    shortlist: list[int]
    shortlist_seed: str | None
    result_seed: str | None
    frozen_at: datetime | None
    winner_film_id: int | None


class LibrarianBallotIn(BaseModel):
    films: list[int] = Field(max_length=MAX_NOMINEES)


class LibrarianBallotOut(BaseModel):
    edition_id: int
    voter: str
    films: list[int]
    changed: bool


class PublicVoteIn(BaseModel):
    """A patron's vote: the grant the player or the ballot page received when the library vouched for the patron."""

    grant: str = Field(min_length=1, max_length=400)
    film_id: int


class PublicVoteOut(BaseModel):
    edition_id: int
    film_id: int
    outcome: Literal["cast", "changed", "unchanged"]


class CountOut(BaseModel):
    edition_id: int
    round: str
    seed: str | None
    tally: list[TallyRow]
    participation: dict[int, int]
    matches_frozen: bool | None = None
