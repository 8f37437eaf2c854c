"""Weekly hours and days off: a coordinator's "Hours" page for anyone active of their site
(/console/hours/{staff_id}) and everyone's "My hours" (/console/my-hours). One template,
one set of handlers; only the staff member whose hours they are, and so the address of
the forms, differ. Role and site are checked by bot.services.console_hours (and here)."""

from __future__ import annotations

from datetime import date, datetime, time
from typing import Any

from aiohttp import web
from markupsafe import Markup
from multidict import MultiDictProxy

from bot.domain import Mode, Staff
from bot.services import console_hours as hours
from bot.services.audit import Refused
from bot.services.console_staff import require_coordinator
from web import labels
from web.context import console, page, redirect, signed_in, text_of
from web.text import ConsoleText

MY_HOURS = "/console/my-hours"
EMPTY_WINDOW = {"weekday": "0", "start": "09:00", "end": "12:00", "slot": "30", "mode": "",
                "address": ""}  # fmt: skip
EMPTY_DAYS_OFF = {"first": "", "last": ""}


def _id(request: web.Request, name: str, kind: str) -> int:
    value = request.match_info[name]
    if not value.isdigit() or len(value) > 12:
        raise Refused(kind)
    return int(value)


def _whose(request: web.Request) -> tuple[Staff, int, str]:
    """The signed-in staff member, whose hours the page is about, and the page's address."""
    staff = signed_in(request)
    if "staff_id" not in request.match_info:
        assert staff.id is not None
        return staff, staff.id, MY_HOURS
    require_coordinator(staff)
    staff_id = _id(request, "staff_id", "staff")
    return staff, staff_id, f"/console/hours/{staff_id}"


def _errors(t: ConsoleText, codes: dict[str, str]) -> dict[str, Markup]:
    messages = {
        ("day", "day"): t.p_("console", "Please choose a weekday."),
        ("start", "invalid"): t.p_("console", "Please give a time such as 09:00."),
        ("end", "invalid"): t.p_("console", "Please give a time such as 12:00."),
        ("end", "after_start"): t.p_("console", "The end must be after the start."),
        ("slot", "range"): t.p_("console", "An appointment lasts 10 to 240 minutes."),
        ("slot", "too_long"): t.p_(
            "console", "One appointment does not fit between start and end."
        ),
        ("mode", "invalid"): t.p_("console", "Please choose how clients meet the person."),
        ("address", "required"): t.p_("console", "In-person hours need an address."),
        ("address", "length"): t.p_("console", "Please give an address of 5 to 200 characters."),
        ("overlap", "overlap"): t.p_(
            "console", "These hours overlap hours already set on this day."
        ),
        ("first", "invalid"): t.p_("console", "Please give a date."),
        ("first", "past"): t.p_("console", "Please choose today or a later day."),
        ("first", "far"): t.p_("console", "Please choose a day within the next year."),
        ("last", "invalid"): t.p_("console", "Please give a date, or leave this empty."),
        ("last", "before_first"): t.p_("console", "The last day cannot be before the first."),
        ("last", "too_long"): t.p_(
            "console", "Please set at most {days} days at once.", days=hours.MAX_RANGE_DAYS
        ),
    }
    fallback = t.p_("console", "Please check this value.")
    return {field: messages.get((field, code), fallback) for field, code in codes.items()}


async def _render(
    request: web.Request,
    *,
    status: int = 200,
    window: dict[str, str] | None = None,
    days_off: dict[str, str] | None = None,
    errors: dict[str, str] | None = None,
) -> web.Response:
    deps, t = console(request), text_of(request)
    staff, staff_id, base = _whose(request)
    zone = deps.settings.zone
    view = await hours.hours_view(
        deps.uow_factory, deps.clock, zone, staff=staff, staff_id=staff_id
    )
    people = None
    if base != MY_HOURS:
        people = await hours.people(deps.uow_factory, staff=staff)
    return page(
        request,
        "hours.html",
        status=status,
        view=view,
        base=base,
        people=people,
        mine=staff_id == staff.id,
        weekdays=[(index, labels.weekday(t, index)) for index in range(7)],
        modes=list(Mode),
        window=window or EMPTY_WINDOW,
        days_off_form=days_off or EMPTY_DAYS_OFF,
        errors=_errors(t, errors or {}),
        day_of=lambda d: t.day(datetime.combine(d, time(12), zone), zone),
        today=deps.clock.now().astimezone(zone).date(),
    )


async def hours_people(request: web.Request) -> web.Response:
    """The coordinator's Hours page: whose hours? (?staff=ID from the chooser opens them.)"""
    deps, staff = console(request), signed_in(request)
    chosen = request.query.get("staff", "")
    people = await hours.people(deps.uow_factory, staff=staff)
    if chosen.isdigit() and len(chosen) <= 12:
        return redirect(f"/console/hours/{int(chosen)}")
    return page(request, "hours_people.html", people=people)


async def hours_page(request: web.Request) -> web.Response:
    return await _render(request)


def _text(form: MultiDictProxy[Any], name: str) -> str:
    value = form.get(name, "")
    return value.strip()[:300] if isinstance(value, str) else ""


async def add_window(request: web.Request) -> web.Response:
    deps = console(request)
    staff, staff_id, base = _whose(request)
    form = await request.post()
    values = {name: _text(form, name) for name in EMPTY_WINDOW}
    start, end = hours.parse_clock(values["start"]), hours.parse_clock(values["end"])
    weekday = int(values["weekday"]) if values["weekday"].isdigit() else -1
    slot = int(values["slot"]) if values["slot"].isdigit() and len(values["slot"]) < 5 else 0
    errors: dict[str, str] = {}
    if start is None:
        errors["start"] = "invalid"
    if end is None:
        errors["end"] = "invalid"
    try:
        mode = Mode(values["mode"])
    except ValueError:
        errors["mode"] = "invalid"
    if not errors and start is not None and end is not None:
        try:
            await hours.add_window(
                deps.uow_factory,
                deps.clock,
                staff=staff,
                staff_id=staff_id,
                weekday=weekday,
                start=start,
                end=end,
                slot_minutes=slot,
                mode=mode,
                address=values["address"],
            )
        except hours.HoursFormError as exc:
            errors = exc.errors
    if errors:
        return await _render(request, status=400, window=values, errors=errors)
    return redirect(base)


async def remove_window_form(request: web.Request) -> web.Response:
    deps = console(request)
    staff, staff_id, base = _whose(request)
    removal = await hours.window_removal(
        deps.uow_factory,
        deps.clock,
        deps.settings.zone,
        staff=staff,
        staff_id=staff_id,
        window_id=_id(request, "window_id", "hours"),
    )
    t = text_of(request)
    return page(
        request,
        "window_remove.html",
        removal=removal,
        base=base,
        weekday_name=labels.weekday(t, removal.window.weekday),
    )


async def remove_window(request: web.Request) -> web.Response:
    deps = console(request)
    staff, staff_id, base = _whose(request)
    await hours.remove_window(
        deps.uow_factory,
        deps.clock,
        staff=staff,
        staff_id=staff_id,
        window_id=_id(request, "window_id", "hours"),
    )
    return redirect(base)


async def add_days_off(request: web.Request) -> web.Response:
    deps = console(request)
    staff, staff_id, base = _whose(request)
    form = await request.post()
    values = {name: _text(form, name) for name in EMPTY_DAYS_OFF}
    first = hours.parse_day(values["first"])
    last = hours.parse_day(values["last"]) if values["last"] else None
    errors: dict[str, str] = {}
    if first is None:
        errors["first"] = "invalid"
    if values["last"] and last is None:
        errors["last"] = "invalid"
    if first is not None and not errors:
        try:
            await hours.add_days_off(
                deps.uow_factory,
                deps.clock,
                deps.settings.zone,
                staff=staff,
                staff_id=staff_id,
                first=first,
                last=last,
            )
        except hours.HoursFormError as exc:
            errors = exc.errors
    if errors:
        return await _render(request, status=400, days_off=values, errors=errors)
    return redirect(base)


async def remove_day_off(request: web.Request) -> web.Response:
    deps = console(request)
    staff, staff_id, base = _whose(request)
    form = await request.post()
    day: date | None = hours.parse_day(form.get("day"))
    if day is None:
        raise Refused("day_off", staff_id)
    await hours.remove_day_off(
        deps.uow_factory, deps.clock, staff=staff, staff_id=staff_id, day=day
    )
    return redirect(base)
