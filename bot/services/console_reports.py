"""What a coordinator reads in the console: the site's statistics (the same figures as
/stats and `python main.py stats`) and the site's audit log (as `python main.py audit`),
filtered and paged. Every function checks role and site itself, and every read is
written to the audit log ("console.stats", "console.audit", and ".csv" for downloads)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from bot.domain import AuditEntry, Site, Staff
from bot.ports import AuditQuery, Clock, UnitOfWork, UnitOfWorkFactory
from bot.services.audit import Refused, audit
from bot.services.console_staff import require_coordinator, site_of
from bot.services.privacy import site_stats

#: The most rows one CSV download holds (the newest).
CSV_LIMIT = 100_000


async def coordinator_stats(
    uow_factory: UnitOfWorkFactory,
    clock: Clock,
    *,
    staff: Staff,
    start: date,
    end: date,
    zone: ZoneInfo,
    action: str | None = "console.stats",
) -> tuple[Site, dict[str, dict[str, int | str]]]:
    """The coordinator's site and its figures for [start, end] (counts below 5: "<5");
    the read is audited as `action` (None: not, for the chart of a page audited already)."""
    require_coordinator(staff)
    site = await site_of(uow_factory, staff=staff)
    figures = await site_stats(uow_factory, site_id=staff.site_id, start=start, end=end, zone=zone)
    if action is not None:
        async with uow_factory() as uow:
            await audit(uow, clock, staff, action)
            await uow.commit()
    return site, figures


@dataclass(frozen=True)
class AuditFilter:
    """What a coordinator narrows the log to (None: any); days are local, both included."""

    staff_id: int | None = None
    client_id: int | None = None
    action: str | None = None
    start: date | None = None
    end: date | None = None


@dataclass(frozen=True)
class AuditPage:
    entries: list[AuditEntry]
    total: int
    #: Everyone of the site (for names and the staff filter), by id.
    staff: dict[int, Staff]
    #: The actions found in the site's log (the action filter's choices).
    actions: list[str]


async def _query(uow: UnitOfWork, staff: Staff, wanted: AuditFilter, zone: ZoneInfo) -> AuditQuery:
    """The filter as a query of the coordinator's own site. A staff member or client of
    another site is refused (404, audited), however the id came into the form."""
    if wanted.staff_id is not None:
        other = await uow.staff.get(wanted.staff_id)
        if other is None or other.site_id != staff.site_id:
            raise Refused("staff", wanted.staff_id)
    if wanted.client_id is not None:
        client = await uow.clients.get(wanted.client_id)
        if client is not None and client.site_id != staff.site_id:
            raise Refused("client", wanted.client_id)

    def moment(day: date | None) -> datetime | None:
        return datetime.combine(day, time(0), zone) if day is not None else None

    return AuditQuery(
        site_id=staff.site_id,
        staff_id=wanted.staff_id,
        client_id=wanted.client_id,
        action=wanted.action,
        start=moment(wanted.start),
        end=moment(wanted.end + timedelta(days=1) if wanted.end else None),
    )


async def audit_page(
    uow_factory: UnitOfWorkFactory,
    clock: Clock,
    *,
    staff: Staff,
    wanted: AuditFilter,
    zone: ZoneInfo,
    limit: int,
    offset: int = 0,
    action: str = "console.audit",
) -> AuditPage:
    """The site's audit log, newest first. Reading it is itself written to it (first, so
    that the page shows its own reading)."""
    require_coordinator(staff)
    async with uow_factory() as uow:
        query = await _query(uow, staff, wanted, zone)
        await audit(uow, clock, staff, action, client_id=wanted.client_id)
        entries, total = await uow.audit.search(query, limit, offset)
        people = {s.id: s for s in await uow.staff.of_site(staff.site_id) if s.id is not None}
        actions = await uow.audit.actions(staff.site_id)
        await uow.commit()
    return AuditPage(entries, total, people, actions)
