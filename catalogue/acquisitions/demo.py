"""Rights for the demo network and the benchmarks: budget lines for this year and last (classics suspended), a
licence for every film (some ending soon, a few renewals under way), and weeding records for the weeded films."""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import insert, update
from sqlmodel import Session, col

from catalogue.acquisitions import weeding
from catalogue.acquisitions.models import FilmWeeding, WeedingCause, WeedingStatus
from catalogue.films.models import Film, FilmStatus
from cinedoc.kernel import clock
from rights.models import BudgetLine, BudgetLineStatus, Licence, LicenceGrant, LicenceKind

S = "streaming"
LICENSORS = ("Les Films du Sillage", "Docks 66", "Ad Vitam", "Survivance", "Shellac", "Les Films d'Ici",
             "Point du Jour", "Films de force majeure", "Andana Films", "Lobster Films", "Iskra",
             "Vendredi Distribution")
BATCH = 1000
RENEWS_PREVIOUS = -1  # a renewal row points at the row just before it; ids are known after the insert


@dataclass(frozen=True)
class DemoRightsSummary:
    budget_lines: int
    licences: int
    expiring_within_90_days: int
    weeded: int
    announced: int


def _moment(day: date, hour: int = 9) -> datetime:
    return datetime.combine(day, time(hour), tzinfo=UTC)


def _lines(session: Session, year: int) -> dict[tuple[int, str], BudgetLine]:
    specs = (
        (year - 1, "contemporary", "Acquisitions contemporaines", 12_500_000, BudgetLineStatus.CLOSED,
         "Exercice clos"),
        (year - 1, "renewals", "Renouvellements", 800_000, BudgetLineStatus.CLOSED, "Exercice clos"),
        (year - 1, "classics", "Collection classiques", 0, BudgetLineStatus.SUSPENDED,
         "Aucune ligne provisionnée"),
        (year, "contemporary", "Acquisitions contemporaines", 13_000_000, BudgetLineStatus.OPEN, None),
        (year, "renewals", "Renouvellements", 1_000_000, BudgetLineStatus.OPEN, None),
        (year, "classics", "Collection classiques", 0, BudgetLineStatus.SUSPENDED, "Aucune ligne provisionnée"),
    )
    lines = {}
    for line_year, collection, label, cents, status, reason in specs:
        line = BudgetLine(year=line_year, collection=collection, label=f"{label} {line_year}", allocated_cents=cents,
                          status=status.value, status_reason=reason)
        session.add(line)
        lines[(line_year, collection)] = line
    session.flush()
    return lines


class _Spender:
    """Charges acquisitions to a year's line while the allocation lasts; the rest are older, unbudgeted licences."""

    def __init__(self, line: BudgetLine) -> None:
        self.line = line
        self.left = line.allocated_cents

    def take(self, price: int) -> int | None:
        if price > self.left:
            return None
        self.left -= price
        return self.line.id


def add_demo_rights(session: Session, film_ids: Sequence[int], statuses: Sequence[str], *,
                    today: date | None = None, seed: int = 2024, licences_per_film: int = 1,
                    run_daily_job: bool = True) -> DemoRightsSummary:
    """Writes the rights of films already loaded (ids and statuses in the same order). licences_per_film > 1 adds
    older, expired licences before the current one (the benchmark's 60,000 licences for 30,000 films)."""
    today = today or clock.paris_today()
    rng = random.Random(seed)
    lines = _lines(session, today.year)
    spenders = {year: _Spender(lines[(year, "contemporary")]) for year in (today.year - 1, today.year)}
    year_start = date(today.year, 1, 1)
    licence_rows: list[dict[str, object]] = []
    grants: list[tuple[int, list[str], list[str]]] = []  # (film, uses, territories) per licence, same order
    weeded: list[tuple[int, date]] = []
    expiring = 0
    renewals_left = 3

    def add(film_id: int, *, kind: str, status: str, start: date, end: date, price: int, line_id: int | None,
            committed: date | None, signed: date | None, uses: list[str], territories: list[str],
            renews: int | None = None) -> None:
        licence_rows.append({
            "film_id": film_id, "licensor": LICENSORS[rng.randrange(len(LICENSORS))], "kind": kind,
            "status": status, "start_date": start, "end_date": end, "price_cents": price, "budget_line_id": line_id,
            "renews_licence_id": renews, "contract_reference": f"CT-{start.year}-{len(licence_rows) + 1:06d}"
            if signed else None, "note": "", "proposed_at": _moment(committed or start, 8),
            "committed_at": _moment(committed) if committed else None,
            "signed_at": _moment(signed, 15) if signed else None,
            "activated_at": _moment(max(start, signed)) if signed and status in ("active", "expired") else None,
            "ended_at": _moment(end + timedelta(days=1), 2) if status == "expired" else None,
            "updated_at": _moment(today), "proposed_by_id": None,
        })
        grants.append((film_id, uses, territories))

    for film_id, status in zip(film_ids, statuses, strict=True):
        territories = ["FR", "BE"] if rng.random() < 0.85 else ["FR"]
        uses = [S, "public_screening"] if rng.random() < 0.3 else [S]
        price = rng.randrange(2_500, 6_500) * 100 + rng.choice((0, 0, 50, 99))
        # Older licences of the same film, already over (only the benchmark asks for them).
        first_start = date(today.year - 4 - 2 * (licences_per_film - 1), 1 + rng.randrange(12), 1)
        start = first_start
        for _ in range(licences_per_film - 1):
            end = start + timedelta(days=365 * 2 - 1)
            add(film_id, kind=LicenceKind.ACQUISITION.value, status="expired", start=start, end=end, price=price,
                line_id=None, committed=start - timedelta(days=20), signed=start - timedelta(days=10), uses=uses,
                territories=territories)
            start = end + timedelta(days=1)
        if status == FilmStatus.WEEDED:
            end = today - timedelta(days=rng.randrange(20, 400))
            start = min(start, end - timedelta(days=365 * 2))
            add(film_id, kind=LicenceKind.ACQUISITION.value, status="expired", start=start, end=end, price=price,
                line_id=None, committed=start - timedelta(days=20), signed=start - timedelta(days=10), uses=uses,
                territories=territories)
            weeded.append((film_id, end))
            continue
        if status == FilmStatus.DRAFT:
            # Being negotiated, or signed with a window that opens next month.
            start = (today.replace(day=1) + timedelta(days=32)).replace(day=1)
            signed = rng.random() < 0.5
            spender = spenders[today.year]
            line_id = spender.take(price) if signed else None
            add(film_id, kind=LicenceKind.ACQUISITION.value,
                status="signed" if signed and line_id else "negotiating", start=start,
                end=start + timedelta(days=3 * 365), price=price, line_id=line_id,
                committed=today - timedelta(days=3) if signed and line_id else None,
                signed=today - timedelta(days=2) if signed and line_id else None, uses=uses, territories=territories)
            continue
        # On offer: bought last year, this year, or before budgets were kept here; some end soon.
        roll = rng.random()
        if roll < 0.07:
            acquired_year = today.year - 1
            committed = date(acquired_year, 1 + rng.randrange(12), 1 + rng.randrange(28))
        elif roll < 0.12 and today > year_start + timedelta(days=10):
            committed = year_start + timedelta(days=rng.randrange((today - year_start).days - 5))
            acquired_year = today.year
        else:
            acquired_year, committed = None, start - timedelta(days=20)  # type: ignore[assignment]
        line_id = spenders[acquired_year].take(price) if acquired_year else None
        if acquired_year and line_id is None:
            committed = start - timedelta(days=20)
        start = min(committed + timedelta(days=10), today) if line_id else start
        horizon = rng.random()
        if horizon < 0.04:
            end = today + timedelta(days=rng.randrange(0, 30))
        elif horizon < 0.08:
            end = today + timedelta(days=rng.randrange(30, 90))
        elif horizon < 0.12:
            end = today + timedelta(days=rng.randrange(90, 180))
        else:
            end = today + timedelta(days=rng.randrange(200, 4 * 365))
        expiring += end <= today + timedelta(days=90)
        add(film_id, kind=LicenceKind.ACQUISITION.value, status="active", start=start, end=end, price=price,
            line_id=line_id, committed=committed if line_id else start - timedelta(days=20),
            signed=(committed if line_id else start - timedelta(days=20)) + timedelta(days=5), uses=uses,
            territories=territories)
        if renewals_left and 30 <= (end - today).days < 90:
            renewals_left -= 1
            renewal_price = rng.randrange(15, 30) * 10_000
            renewal_line = lines[(today.year, "renewals")]
            add(film_id, kind=LicenceKind.RENEWAL.value, status="signed" if renewals_left % 2 else "negotiating",
                start=end + timedelta(days=1), end=end + timedelta(days=3 * 365), price=renewal_price,
                line_id=renewal_line.id, committed=today - timedelta(days=4) if renewals_left % 2 else None,
                signed=today - timedelta(days=1) if renewals_left % 2 else None, uses=uses, territories=territories,
                renews=RENEWS_PREVIOUS)

    ids = _insert_licences(session, licence_rows)
    grant_rows = [
        {"licence_id": licence_id, "use": use, "territory": territory, "film_id": film_id}
        for licence_id, (film_id, uses, territories) in zip(ids, grants, strict=True)
        for use in uses for territory in territories
    ]
    for start_index in range(0, len(grant_rows), BATCH * 4):
        session.execute(insert(LicenceGrant), grant_rows[start_index:start_index + BATCH * 4])
    _resolve_renewals(session, licence_rows, ids)
    _weeding_records(session, weeded)
    session.flush()
    announced = 0
    if run_daily_job:
        announced = len(weeding.run_daily(session, today).announced)
    return DemoRightsSummary(budget_lines=len(lines), licences=len(ids), expiring_within_90_days=expiring,
                             weeded=len(weeded), announced=announced)


def _insert_licences(session: Session, rows: list[dict[str, object]]) -> list[int]:
    ids: list[int] = []
    for start in range(0, len(rows), BATCH):
        chunk = [{**row, "renews_licence_id": None} for row in rows[start:start + BATCH]]
        result = session.execute(insert(Licence).returning(Licence.id, sort_by_parameter_order=True), chunk)
        ids.extend(result.scalars().all())
    return ids


def _resolve_renewals(session: Session, rows: list[dict[str, object]], ids: list[int]) -> None:
    for index, row in enumerate(rows):
        if row["renews_licence_id"] == RENEWS_PREVIOUS:
            session.execute(update(Licence).where(col(Licence.id) == ids[index])
                            .values(renews_licence_id=ids[index - 1]))


def _weeding_records(session: Session, weeded: list[tuple[int, date]]) -> None:
    for film_id, end in weeded:
        weeding_date = end + timedelta(days=1)
        reason = f"Droits de diffusion en ligne échus le {end.isoformat()}."
        session.add(FilmWeeding(film_id=film_id, cause=WeedingCause.RIGHTS_ENDED.value, reason=reason,
                                status=WeedingStatus.DONE.value, weeding_date=weeding_date,
                                notice_date=weeding.add_months(weeding_date, -1), decided_at=_moment(weeding_date, 3),
                                weeded_at=_moment(weeding_date, 3)))
        session.execute(update(Film).where(col(Film.id) == film_id).values(
            retired_at=_moment(weeding_date, 3), retired_reason=reason))
    session.flush()

