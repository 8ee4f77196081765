"""What `cinedoc rights ...` prints: the expiry list and the daily job's report, as plain text or JSON."""

from __future__ import annotations

import json
from collections.abc import Iterator

from sqlmodel import Session

from catalogue.acquisitions import weeding
from catalogue.acquisitions import workflow as acquisitions
from catalogue.acquisitions.schemas import DailyRunPublic, WeedingPublic
from cinedoc.kernel import clock
from cinedoc.kernel.i18n import translate


def expiring_lines(session: Session, days: int, *, as_json: bool = False) -> Iterator[str]:
    rows = acquisitions.expiring(session, days)
    if as_json:
        yield json.dumps([row.model_dump(mode="json") for row in rows], ensure_ascii=False, indent=2)
        return
    yield f"Streaming licences ending within {days} days of {clock.paris_today().isoformat()}: {len(rows)}"
    for row in rows:
        renewal = f"renewal #{row.renewal_id} ({row.renewal_status})" if row.renewal_id else "no renewal"
        yield (f"  {row.licence.end_date.isoformat()}  D-{row.days_left:<4} licence #{row.licence.id:<6} "
               f"film #{row.film.id:<6} {row.film.title[:50]:<50}  {','.join(row.licence.territories)}  {renewal}")


def _weeding_line(record: WeedingPublic) -> str:
    return (f"  film #{record.film.id:<6} {record.film.title[:50]:<50}  on {record.weeding_date.isoformat()} "
            f"(notice {record.notice_date.isoformat()}, {translate(record.cause)}): {record.reason}")


def daily_lines(report: DailyRunPublic, *, as_json: bool = False) -> Iterator[str]:
    if as_json:
        yield report.model_dump_json(indent=2)
        return
    would = "would be " if report.dry_run else ""
    yield f"Rights job for {report.day.isoformat()}{' (dry run: nothing written)' if report.dry_run else ''}"
    yield f"Licences {would}expired: {len(report.expired_licences)}; {would}activated: " \
          f"{len(report.activated_licences)}; films {would}put on offer: {len(report.published_films)}"
    yield f"Weedings {would}announced: {len(report.announced)}"
    yield from (_weeding_line(record) for record in report.announced)
    yield f"Films {would}weeded today: {len(report.weeded)}"
    yield from (_weeding_line(record) for record in report.weeded)
    if report.cancelled:
        yield f"Announced weedings {would}cancelled (rights renewed): {len(report.cancelled)}"
        yield from (_weeding_line(record) for record in report.cancelled)


def run_daily(session: Session, *, dry_run: bool, activate_only: bool = False) -> DailyRunPublic:
    if activate_only:
        today = clock.paris_today()
        licences, published = acquisitions.activate_due(session, today, dry_run=dry_run)
        return DailyRunPublic(day=today, dry_run=dry_run, activated_licences=[lic.id for lic in licences if lic.id],
                              published_films=published)
    return weeding.run_daily(session, dry_run=dry_run)
