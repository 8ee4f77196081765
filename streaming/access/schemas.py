"""What the institutions and playback API accept and return: never the table rows, and never a stored secret (an
assertion key's secret is shown once, when it is created)."""

from __future__ import annotations

from datetime import date, datetime

from pydantic import BaseModel, Field

from streaming.access.models import SubscriptionStatus
from streaming.media.models import InstitutionCategory


class InstitutionCreate(BaseModel):
    name: str = Field(min_length=2, max_length=200)
    category: InstitutionCategory
    country: str = Field(default="FR", min_length=2, max_length=2)
    isil: str | None = Field(default=None, max_length=16)
    patron_monthly_limit: int | None = Field(default=None, ge=1, le=1000)
    monthly_ceiling: int | None = Field(default=None, ge=1, le=10_000_000)
    cas_server_url: str | None = Field(default=None, max_length=500)


class InstitutionUpdate(BaseModel):
    name: str | None = Field(default=None, min_length=2, max_length=200)
    category: InstitutionCategory | None = None
    country: str | None = Field(default=None, min_length=2, max_length=2)
    isil: str | None = Field(default=None, max_length=16)
    patron_monthly_limit: int | None = Field(default=None, ge=0, le=1000,
                                             description="0 removes the limit.")
    monthly_ceiling: int | None = Field(default=None, ge=0, le=10_000_000, description="0 removes the ceiling.")
    cas_server_url: str | None = Field(default=None, max_length=500, description="An empty string removes it.")


class InstitutionPublic(BaseModel):
    id: int
    name: str
    category: str
    country: str
    isil: str | None
    patron_monthly_limit: int | None
    monthly_ceiling: int | None
    cas_server_url: str | None
    subscribed_today: bool


class CategoryCount(BaseModel):
    category: str
    label: str
    count: int


class InstitutionList(BaseModel):
    total: int
    categories: list[CategoryCount]
    institutions: list[InstitutionPublic]


class SubscriptionCreate(BaseModel):
    start_date: date
    end_date: date
    status: SubscriptionStatus = SubscriptionStatus.ACTIVE
    note: str = Field(default="", max_length=300)


class SubscriptionUpdate(BaseModel):
    start_date: date | None = None
    end_date: date | None = None
    status: SubscriptionStatus | None = None
    note: str | None = Field(default=None, max_length=300)


class SubscriptionPublic(BaseModel):
    id: int
    institution_id: int
    start_date: date
    end_date: date
    status: str
    note: str
    current: bool


class OriginCreate(BaseModel):
    origin: str = Field(min_length=8, max_length=300)


class OriginPublic(BaseModel):
    id: int
    origin: str


class IpRangeCreate(BaseModel):
    cidr: str = Field(min_length=3, max_length=50)
    label: str = Field(default="", max_length=200)


class IpRangePublic(BaseModel):
    id: int
    cidr: str
    label: str


class ContactCreate(BaseModel):
    name: str = Field(min_length=2, max_length=200)
    role: str = Field(default="", max_length=120)
    email: str = Field(default="", max_length=254)
    phone: str = Field(default="", max_length=40)


class ContactPublic(ContactCreate):
    id: int


class AssertionKeyCreate(BaseModel):
    label: str = Field(default="", max_length=200)


class AssertionKeyPublic(BaseModel):
    kid: str
    label: str
    status: str
    created_at: datetime
    revoked_at: datetime | None


class AssertionKeyCreated(AssertionKeyPublic):
    secret: str = Field(description="Shown once: give it to the portal's administrators over a safe channel.")


class LibrarianCreate(BaseModel):
    email: str = Field(max_length=254)
    display_name: str = Field(default="", max_length=200)
    password: str = Field(min_length=1, max_length=200)


class LibrarianPublic(BaseModel):
    id: int
    email: str
    display_name: str
    is_active: bool


class InstitutionDetail(InstitutionPublic):
    subscriptions: list[SubscriptionPublic]
    origins: list[OriginPublic]
    ip_ranges: list[IpRangePublic]
    contacts: list[ContactPublic]
    keys: list[AssertionKeyPublic]
    librarians: list[LibrarianPublic]


class PlaybackKeyPublic(BaseModel):
    kid: str
    status: str
    created_at: datetime
    retired_at: datetime | None


class SessionRequest(BaseModel):
    film_id: int = Field(ge=1)
    assertion: str | None = Field(default=None, max_length=4096)
    grant: str | None = Field(default=None, max_length=400)


class SessionOpened(BaseModel):
    session_id: str
    film_id: int
    playlist_url: str
    expires_at: datetime
    delivery: str
    cdn_query: str | None = Field(default=None, description="CloudFront: the signature to add to every request "
                                                            "under the film's prefix.")
    grant: str | None = Field(default=None, description="Given when the session was opened with an assertion: "
                                                        "open the next sessions with it.")


class EmbedSnippet(BaseModel):
    institution_id: int
    film_id: int
    url: str
    iframe: str
    expires_at: datetime | None
