"""Free slots from weekly hours, days off, NRW public holidays and existing bookings.

Hours are local wall-clock times in the site's zone; slots come out as aware UTC.
Across the DST changes a wall-clock time that does not exist (spring) is skipped,
and an ambiguous one (autumn) is taken once, at its first occurrence.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo

import holidays as holiday_calendars

from bot.domain import DayOff, Mode, Slot, WeeklyHours
from bot.reminder_schedule import QuietHours


@dataclass(frozen=True)
class BookingPolicy:
    lead: timedelta
    horizon_days: int
    max_open: int
    zone: ZoneInfo
    #: Reminders written in the booking's transaction (none when empty).
    reminder_offsets: tuple[timedelta, ...] = ()
    quiet: QuietHours | None = None

    def too_soon(self, starts_at: datetime, now: datetime) -> bool:
        """Does `starts_at` begin sooner than the lead time (BOOKING_LEAD) from `now`?"""
        return starts_at < now + self.lead


@lru_cache(maxsize=32)
def _nrw(year: int) -> frozenset[date]:
    return frozenset(holiday_calendars.country_holidays("DE", subdiv="NW", years=year))


def is_public_holiday(day: date) -> bool:
    """Public holidays of North Rhine-Westphalia (the `holidays` package)."""
    return day in _nrw(day.year)


def _local_instant(day: date, wall: time, zone: ZoneInfo) -> datetime | None:
    naive = datetime.combine(day, wall)  # noqa: DTZ001 - zone added next
    local = naive.replace(tzinfo=zone, fold=0)
    instant = local.astimezone(UTC)
    if instant.astimezone(zone).replace(tzinfo=None) != naive:
        return None  # this wall-clock time is skipped by the spring DST change
    return instant


@lru_cache(maxsize=8192)
def _day_grid(
    day: date, start: time, end: time, minutes: int, zone: ZoneInfo
) -> tuple[tuple[datetime, datetime], ...]:
    """(start, end) in UTC of each slot of one window on one day. The grid depends only on
    these values, so it is computed once per process and day (a booking asks for it at
    every step)."""
    length = timedelta(minutes=minutes)
    result: list[tuple[datetime, datetime]] = []
    cursor = datetime.combine(day, start)  # noqa: DTZ001 - wall clock, zone applied per slot
    last = datetime.combine(day, end)  # noqa: DTZ001
    while cursor + length <= last:
        starts = _local_instant(day, cursor.time(), zone)
        if starts is not None:
            result.append((starts, starts + length))
        cursor += length
    return tuple(result)


def slots_for_day(hours: WeeklyHours, day: date, zone: ZoneInfo) -> list[Slot]:
    if day.weekday() != hours.weekday or hours.slot_minutes <= 0:
        return []
    return [
        Slot(hours.staff_id, starts, ends, hours.mode, hours.address)
        for starts, ends in _day_grid(day, hours.start, hours.end, hours.slot_minutes, zone)
    ]


def free_slots(
    *,
    hours: Iterable[WeeklyHours],
    days_off: Iterable[DayOff],
    taken: Iterable[tuple[int, datetime]],
    now: datetime,
    policy: BookingPolicy,
    holiday: Callable[[date], bool] = is_public_holiday,
    prefer: Sequence[int] | None = None,
) -> list[Slot]:
    """Every bookable slot from `now + lead` to the end of the horizon, sorted by time.

    With `prefer` (staff ids, best first) one slot per start time and mode is kept: the
    one of the case manager who comes first in that list (staff not in it are left out)."""
    off = {(d.staff_id, d.day) for d in days_off}
    busy = {(staff_id, start.astimezone(UTC)) for staff_id, start in taken}
    earliest = now + policy.lead  # policy.too_soon, once for the whole loop
    first_day = now.astimezone(policy.zone).date()
    windows = list(hours)
    if prefer is not None:
        rank = {staff_id: index for index, staff_id in enumerate(prefer)}
        windows = sorted((w for w in windows if w.staff_id in rank), key=lambda w: rank[w.staff_id])
    busy_of: dict[int, set[datetime]] = {}
    for staff_id, start in busy:
        busy_of.setdefault(staff_id, set()).add(start)
    # With `prefer`: one per start time and mode, so a colleague's phone slots are not
    # hidden behind the preferred one's in-person slots. Without: one per staff member.
    found: dict[object, dict[datetime, Slot]] = {}
    for offset in range(policy.horizon_days):
        day = first_day + timedelta(days=offset)
        if holiday(day):
            continue
        weekday = day.weekday()
        for window in windows:
            if window.weekday != weekday or window.slot_minutes <= 0:
                continue
            if (window.staff_id, day) in off:
                continue
            taken_here = busy_of.get(window.staff_id, ())
            kept = found.setdefault(
                window.mode.value if prefer is not None else window.staff_id, {}
            )
            for slot in _window_slots(window, day, policy.zone):
                starts = slot.starts_at
                if starts < earliest or starts in taken_here or starts in kept:
                    continue
                kept[starts] = slot
    return sorted(
        (slot for kept in found.values() for slot in kept.values()),
        key=lambda s: (s.starts_at, s.staff_id),
    )


def nearest_first(slots: Iterable[Slot], wanted: datetime) -> list[Slot]:
    """The slots nearest to the time `wanted` first, the earlier one of two as near: what
    someone whose time was just taken (or became too soon) is offered instead."""
    return sorted(slots, key=lambda s: (abs(s.starts_at - wanted), s.starts_at, s.staff_id))


def _window_slots(window: WeeklyHours, day: date, zone: ZoneInfo) -> tuple[Slot, ...]:
    return _window_slots_cached(
        window.staff_id,
        day,
        window.start,
        window.end,
        window.slot_minutes,
        window.mode,
        window.address,
        zone,
    )


@lru_cache(maxsize=16384)
def _window_slots_cached(
    staff_id: int,
    day: date,
    start: time,
    end: time,
    minutes: int,
    mode: Mode,
    address: str | None,
    zone: ZoneInfo,
) -> tuple[Slot, ...]:
    """The slots of one window on one day (Slot is immutable, so they can be shared)."""
    return tuple(
        Slot(staff_id, starts, ends, mode, address)
        for starts, ends in _day_grid(day, start, end, minutes, zone)
    )


def within_hours(hours: Iterable[WeeklyHours], moment: datetime, zone: ZoneInfo) -> bool:
    """Is `moment` inside one of these weekly windows (local wall clock)?"""
    local = moment.astimezone(zone)
    return any(
        window.weekday == local.weekday() and window.start <= local.time() < window.end
        for window in hours
    )


def next_working_start(
    hours: Iterable[WeeklyHours],
    days_off: set[date],
    now: datetime,
    zone: ZoneInfo,
    *,
    horizon_days: int = 14,
) -> datetime | None:
    """When these weekly windows next cover a moment from `now` on (now itself when inside
    one); None when nothing is open within the horizon. Holidays and days off are closed."""
    local_now = now.astimezone(zone)
    windows = list(hours)
    best: datetime | None = None
    for offset in range(horizon_days + 1):
        day = local_now.date() + timedelta(days=offset)
        if day in days_off or is_public_holiday(day):
            continue
        for window in windows:
            if window.weekday != day.weekday():
                continue
            start = _local_instant(day, window.start, zone)
            end = _local_instant(day, window.end, zone)
            if start is None or end is None or end <= now:
                continue
            candidate = max(start, now)
            if best is None or candidate < best:
                best = candidate
        if best is not None:
            return best
    return None
