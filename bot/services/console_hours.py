"""Weekly hours and days off in the console (issue 20): a coordinator for anyone active of
their own site, every staff member for themself. The same rules and repositories as the
chat's /availability and the CLI's `staff hours` (bot/services/staff.py), so the slots
clients are offered follow at once. Every function checks role and site itself (the pages
check them too) and writes the audit log; a person, window or day off that is not of the
site (or not the person's) is refused the same way, so ids reveal nothing.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, time, timedelta
from zoneinfo import ZoneInfo

import holidays as holiday_calendars

from bot.domain import Appointment, Client, DayOff, Mode, Staff, WeeklyHours
from bot.ports import Clock, UnitOfWork, UnitOfWorkFactory
from bot.services import staff as staff_service
from bot.services.audit import Refused, audit
from bot.services.console_staff import require_coordinator

#: Holidays shown beside the days off.
HOLIDAY_WEEKS = 8
#: How far ahead days off are listed, and can be set in one go.
DAYS_OFF_AHEAD = 366
MAX_RANGE_DAYS = 62
#: As the chat asks for an in-person address.
ADDRESS_LENGTH = (5, 200)
#: Holiday names in the console's languages (the `holidays` package's own translations).
HOLIDAY_LANGUAGES = {"de": "de", "en": "en_US"}


class HoursFormError(ValueError):
    """A window or days-off form that cannot be stored: `errors` maps each field to why
    ("day", "start", "end", "slot", "mode", "address", "overlap", "first", "last", ...)."""

    def __init__(self, errors: dict[str, str]) -> None:
        super().__init__(", ".join(sorted(errors)))
        self.errors = errors


@dataclass(frozen=True)
class Holiday:
    day: date
    name: str


@dataclass(frozen=True)
class HoursView:
    person: Staff
    #: By weekday, then start time.
    windows: list[WeeklyHours]
    #: From today on, in order.
    days_off: list[date]
    #: NRW public holidays of the next 8 weeks.
    holidays: list[Holiday]

    def of_day(self, weekday: int) -> list[WeeklyHours]:
        return [w for w in self.windows if w.weekday == weekday]


@dataclass(frozen=True)
class WindowRemoval:
    person: Staff
    window: WeeklyHours
    #: Booked appointments from now on that fall into the window (they stay booked).
    booked: list[tuple[Appointment, Client | None]]


def nrw_holidays(first: date, last: date, locale: str) -> list[Holiday]:
    """Public holidays of North Rhine-Westphalia from `first` to `last`, named in German or
    English (as bot.slots.is_public_holiday closes them for booking)."""
    calendar = holiday_calendars.country_holidays(
        "DE",
        subdiv="NW",
        years=range(first.year, last.year + 1),
        language=HOLIDAY_LANGUAGES.get(locale, "de"),
    )
    return [Holiday(day, name) for day, name in sorted(calendar.items()) if first <= day <= last]


async def _person(uow: UnitOfWork, staff: Staff, staff_id: int) -> Staff:
    """Whose hours `staff` may see and change: their own, or (a coordinator) anyone active
    of their own site."""
    if staff_id != staff.id:
        require_coordinator(staff)
    person = await uow.staff.get(staff_id)
    if person is None or person.site_id != staff.site_id or not person.active:
        raise Refused("staff", staff_id)
    return person


async def people(uow_factory: UnitOfWorkFactory, *, staff: Staff) -> list[Staff]:
    """Whose hours a coordinator sets: everyone active of the site (coordinators take
    clients too: a deactivated colleague's clients go to them)."""
    require_coordinator(staff)
    async with uow_factory() as uow:
        return await uow.staff.active_of_site(staff.site_id)


async def hours_view(
    uow_factory: UnitOfWorkFactory, clock: Clock, zone: ZoneInfo, *, staff: Staff, staff_id: int
) -> HoursView:
    today = clock.now().astimezone(zone).date()
    async with uow_factory() as uow:
        person = await _person(uow, staff, staff_id)
        windows = await uow.hours.for_staff([staff_id])
        off = await uow.days_off.for_staff(
            [staff_id], today, today + timedelta(days=DAYS_OFF_AHEAD)
        )
        await audit(uow, clock, staff, "console.hours.read")
        await uow.commit()
    return HoursView(
        person,
        sorted(windows, key=lambda w: (w.weekday, w.start, w.id or 0)),
        sorted({d.day for d in off}),
        nrw_holidays(today, today + timedelta(weeks=HOLIDAY_WEEKS), staff.locale),
    )


def _overlaps(windows: list[WeeklyHours], weekday: int, start: time, end: time) -> bool:
    return any(w.weekday == weekday and w.start < end and start < w.end for w in windows)


async def add_window(
    uow_factory: UnitOfWorkFactory,
    clock: Clock,
    *,
    staff: Staff,
    staff_id: int,
    weekday: int,
    start: time,
    end: time,
    slot_minutes: int,
    mode: Mode,
    address: str | None,
) -> WeeklyHours:
    """A weekly window, checked as the CLI and the chat check it (bot.services.staff
    .add_hours), and besides: one appointment must fit, the window must not overlap
    another of the person's on that day (its slots would be offered twice), an in-person
    address has 5 to 200 characters. Raises HoursFormError."""
    address = " ".join((address or "").split()) or None
    errors: dict[str, str] = {}
    if not 0 <= weekday <= 6:
        errors["day"] = "day"
    if end <= start:
        errors["end"] = "after_start"
    if not 10 <= slot_minutes <= 240:
        errors["slot"] = "range"
    elif end > start and slot_minutes > _minutes(end) - _minutes(start):
        errors["slot"] = "too_long"
    if mode is Mode.IN_PERSON:
        low, high = ADDRESS_LENGTH
        if address is None:
            errors["address"] = "required"
        elif not low <= len(address) <= high:
            errors["address"] = "length"
    async with uow_factory() as uow:
        await _person(uow, staff, staff_id)
        if "end" not in errors and _overlaps(
            await uow.hours.for_staff([staff_id]), weekday, start, end
        ):
            errors["overlap"] = "overlap"
    if errors:
        raise HoursFormError(errors)
    try:
        window = await staff_service.add_hours(
            uow_factory,
            staff_id=staff_id,
            weekday=weekday,
            start=start,
            end=end,
            slot_minutes=slot_minutes,
            mode=mode,
            address=address,
        )
    except staff_service.HoursError as exc:  # checked above; the CLI's rules all the same
        raise HoursFormError({"end" if str(exc) == "to" else str(exc): "invalid"}) from None
    async with uow_factory() as uow:
        await audit(uow, clock, staff, "console.hours.add")
        await uow.commit()
    return window


def _minutes(value: time) -> int:
    return value.hour * 60 + value.minute


async def _window(uow: UnitOfWork, staff: Staff, staff_id: int, window_id: int) -> WeeklyHours:
    await _person(uow, staff, staff_id)
    window = next((w for w in await uow.hours.for_staff([staff_id]) if w.id == window_id), None)
    if window is None:
        raise Refused("hours", window_id)
    return window


async def window_removal(
    uow_factory: UnitOfWorkFactory,
    clock: Clock,
    zone: ZoneInfo,
    *,
    staff: Staff,
    staff_id: int,
    window_id: int,
) -> WindowRemoval:
    """What removing a window means: the booked appointments in it from now on (they
    stay; only no new ones are offered)."""
    now = clock.now()
    async with uow_factory() as uow:
        person = await _person(uow, staff, staff_id)
        window = await _window(uow, staff, staff_id, window_id)
        booked = []
        horizon = now + timedelta(days=DAYS_OFF_AHEAD)
        for appointment in await uow.appointments.upcoming_for_staff(staff_id, now, horizon):
            local = appointment.starts_at.astimezone(zone)
            if local.weekday() == window.weekday and window.start <= local.time() < window.end:
                booked.append((appointment, await uow.clients.get(appointment.client_id)))
        await audit(uow, clock, staff, "console.hours.read")
        await uow.commit()
    return WindowRemoval(person, window, booked)


async def remove_window(
    uow_factory: UnitOfWorkFactory, clock: Clock, *, staff: Staff, staff_id: int, window_id: int
) -> None:
    async with uow_factory() as uow:
        await _window(uow, staff, staff_id, window_id)
    await staff_service.remove_hours(uow_factory, staff_id=staff_id, hours_id=window_id)
    async with uow_factory() as uow:
        await audit(uow, clock, staff, "console.hours.remove")
        await uow.commit()


async def add_days_off(
    uow_factory: UnitOfWorkFactory,
    clock: Clock,
    zone: ZoneInfo,
    *,
    staff: Staff,
    staff_id: int,
    first: date,
    last: date | None,
) -> int:
    """Days off from `first` to `last` (one day without `last`); days already off stay.
    How many days the range has. Raises HoursFormError."""
    today = clock.now().astimezone(zone).date()
    last = last or first
    errors: dict[str, str] = {}
    if first < today:
        errors["first"] = "past"
    elif first > today + timedelta(days=DAYS_OFF_AHEAD):
        errors["first"] = "far"
    if last < first:
        errors["last"] = "before_first"
    elif (last - first).days >= MAX_RANGE_DAYS:
        errors["last"] = "too_long"
    async with uow_factory() as uow:
        await _person(uow, staff, staff_id)
        if errors:
            raise HoursFormError(errors)
        days = (last - first).days + 1
        for offset in range(days):
            await uow.days_off.add(DayOff(staff_id, first + timedelta(days=offset)))
        await audit(uow, clock, staff, "console.days_off.add")
        await uow.commit()
    return days


async def remove_day_off(
    uow_factory: UnitOfWorkFactory, clock: Clock, *, staff: Staff, staff_id: int, day: date
) -> None:
    async with uow_factory() as uow:
        await _person(uow, staff, staff_id)
        if not await uow.days_off.for_staff([staff_id], day, day):
            raise Refused("day_off", staff_id)
        await uow.days_off.remove(DayOff(staff_id, day))
        await audit(uow, clock, staff, "console.days_off.remove")
        await uow.commit()


def parse_day(value: object) -> date | None:
    """A date from a form's `YYYY-MM-DD` (what <input type="date"> sends)."""
    if not isinstance(value, str) or len(value.strip()) != 10:
        return None
    try:
        return date.fromisoformat(value.strip())
    except ValueError:
        return None


def parse_clock(value: object) -> time | None:
    """A wall-clock time from a form's `HH:MM` (what <input type="time"> sends)."""
    text = value.strip() if isinstance(value, str) else ""
    if len(text) != 5 or text[2] != ":" or not (text[:2] + text[3:]).isdigit():
        return None
    hour, minute = int(text[:2]), int(text[3:])
    return time(hour, minute) if hour < 24 and minute < 60 else None
