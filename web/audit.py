"""A coordinator's audit log: the site's entries, newest first, 50 a page, filtered by
staff member, client number, action and days; the filtered rows as CSV.

The filter travels in POST forms (a client number is personal: not in a URL); the page
without a filter is a GET. Reading the log is itself written to it ("console.audit",
"console.audit.csv"); a staff member or client of another site in the filter is refused
by the service (404, audited).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, date

from aiohttp import web

from bot.domain import AuditEntry, Staff
from bot.services.audit import Refused
from bot.services.console_reports import CSV_LIMIT, AuditFilter, AuditPage, audit_page
from bot.services.console_staff import require_coordinator, staff_of_site
from bot.spreadsheet import to_csv
from web.context import console, page, signed_in, text_of
from web.text import ConsoleText

PAGE_SIZE = 50
FIELDS = ("staff", "client", "action", "from", "to")


@dataclass
class AuditForm:
    """The filter as typed (to show again) and as understood, or the errors to show."""

    typed: dict[str, str] = field(default_factory=lambda: dict.fromkeys(FIELDS, ""))
    wanted: AuditFilter = field(default_factory=AuditFilter)
    page: int = 1
    errors: dict[str, str] = field(default_factory=dict)


def _day(value: str) -> date | None:
    if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        return None


def read_form(t: ConsoleText, form: Mapping[str, object]) -> AuditForm:
    typed = {name: str(form.get(name, "")).strip()[:40] for name in FIELDS}
    result = AuditForm(typed=typed)
    staff_id = client_id = None
    if typed["staff"]:
        if not typed["staff"].isdigit() or len(typed["staff"]) > 12:
            raise Refused("staff")  # the list offers ids only: anything else is forged
        staff_id = int(typed["staff"])
    if typed["client"]:
        number = typed["client"].removeprefix("#")
        if not number.isdigit() or len(number) > 12:
            result.errors["client"] = t.p_("console", "Please give a client number, such as 12.")
        else:
            client_id = int(number)
    days: dict[str, date | None] = {}
    for name in ("from", "to"):
        days[name] = _day(typed[name]) if typed[name] else None
        if typed[name] and days[name] is None:
            result.errors[name] = t.p_("console", "Please give a date such as 2026-11-01.")
    start, end = days["from"], days["to"]
    if start and end and end < start:
        result.errors["to"] = t.p_("console", "The end is before the start.")
    page_number = str(form.get("page", "1"))
    result.page = int(page_number) if page_number.isdigit() and len(page_number) < 7 else 1
    result.page = max(result.page, 1)
    result.wanted = AuditFilter(
        staff_id=staff_id,
        client_id=client_id,
        action=typed["action"] or None,
        start=start,
        end=end,
    )
    return result


async def _show(request: web.Request, form: AuditForm) -> web.Response:
    deps, staff = console(request), signed_in(request)
    require_coordinator(staff)
    result: AuditPage | None = None
    if not form.errors:
        result = await audit_page(
            deps.uow_factory, deps.clock, staff=staff, wanted=form.wanted, zone=deps.settings.zone,
            limit=PAGE_SIZE, offset=(form.page - 1) * PAGE_SIZE,
        )  # fmt: skip
    people = result.staff if result else await _people(request, staff)
    pages = max(1, -(-result.total // PAGE_SIZE)) if result else 1
    return page(
        request,
        "audit.html",
        status=400 if form.errors else 200,
        form=form,
        result=result,
        people=sorted(people.values(), key=lambda s: ((s.display_name or "").casefold(), s.id)),
        pages=pages,
        actions=result.actions if result else [a for a in (form.typed["action"],) if a],
    )


async def _people(request: web.Request, staff: Staff) -> dict[int, Staff]:
    """The site's staff for the filter when the log was not read (a form error)."""
    deps = console(request)
    everyone = await staff_of_site(deps.uow_factory, staff=staff)
    return {s.id: s for s in everyone if s.id is not None}


async def audit_log(request: web.Request) -> web.Response:
    """GET: the newest entries, no filter."""
    return await _show(request, AuditForm())


async def audit_filtered(request: web.Request) -> web.Response:
    """POST: the filter (and the page) from the form."""
    return await _show(request, read_form(text_of(request), await request.post()))


def _row(entry: AuditEntry, people: dict[int, Staff]) -> list[object]:
    who = people.get(entry.staff_id) if entry.staff_id is not None else None
    return [
        entry.at.astimezone(UTC).isoformat(timespec="seconds"),
        entry.staff_id or "",
        (who.display_name or "") if who else "",
        who.role.value if who else "",
        entry.action,
        entry.client_id or "",
        entry.note_id or "",
    ]


async def audit_csv(request: web.Request) -> web.Response:
    """POST: the filtered rows, newest first, as CSV (a form error: the page again)."""
    deps, staff = console(request), signed_in(request)
    require_coordinator(staff)
    form = read_form(text_of(request), await request.post())
    if form.errors:
        return await _show(request, form)
    result = await audit_page(
        deps.uow_factory, deps.clock, staff=staff, wanted=form.wanted, zone=deps.settings.zone,
        limit=CSV_LIMIT, action="console.audit.csv",
    )  # fmt: skip
    header = ["at_utc", "staff_id", "staff", "role", "action", "client", "note"]
    day = deps.clock.now().astimezone(deps.settings.zone).date().isoformat()
    return web.Response(
        text=to_csv(header, [_row(entry, result.staff) for entry in result.entries]),
        content_type="text/csv",
        charset="utf-8",
        headers={"Content-Disposition": f'attachment; filename="lotse-audit-{day}.csv"'},
    )
