"""The demo network is shaped like the 2024 one, and its first institution (the demo librarian's) can be tried from a
portal page served on this machine."""

from __future__ import annotations

from collections import Counter

from litestar.testing import TestClient
from sqlmodel import Session, select

from cinedoc.kernel.accounts import Role
from streaming.access.demo import DEMO_PORTALS, add_demo_institutions
from streaming.access.institutions import counts_by_category, subscribed_today
from streaming.access.models import AssertionKey, EmbedOrigin, IpRange


def test_the_demo_network_has_111_institutions_in_the_2024_proportions(db: Session) -> None:
    institutions = add_demo_institutions(db)
    db.commit()
    assert len(institutions) == 111
    assert {c.category: c.count for c in counts_by_category(db)} == {
        "local_authority": 72, "departmental": 20, "university": 13, "works_council": 6}
    countries = Counter(i.country for i in institutions)
    assert set(countries) == {"FR", "BE"} and 3 <= countries["BE"] <= 15
    ids = [i.id for i in institutions if i.id is not None]
    assert 100 <= len(subscribed_today(db, ids)) < 111  # a few lapsed last year
    assert len(db.exec(select(AssertionKey)).all()) == 111


def test_the_demo_librarians_institution_accepts_a_local_portal(db: Session, client: TestClient,
                                                                login_as: object) -> None:
    first = add_demo_institutions(db)[0]
    db.commit()
    origins = set(db.exec(select(EmbedOrigin.origin).where(EmbedOrigin.institution_id == first.id)).all())
    assert set(DEMO_PORTALS) <= origins
    assert "127.0.0.1/32" in db.exec(select(IpRange.cidr).where(IpRange.institution_id == first.id)).all()
    headers = login_as(Role.ADMINISTRATOR)  # type: ignore[operator]
    listing = client.get("/staff/institutions", headers=headers)
    assert listing.status_code == 200 and "111" in listing.text
