"""Free slots from weekly hours, days off, NRW public holidays and existing bookings.

Hours are local wall-clock times in the site's zone; slots come out as aware UTC.
Across the DST changes a wall-clock time that does not exist (spring) is skipped,
and an ambiguous one (autumn) is taken once, at its first occurrence.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo

import holidays as holiday_calendars

from bot.domain import DayOff, Slot, WeeklyHours
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


@lru_cache(maxsize=32)
def _nrw(year: int) -> frozenset[date]:
    return frozenset(holiday_calendars.country_holidays("DE", subdiv="NW", years=year))


def is_public_holiday(day: date) -> bool:
    """Public holidays of North Rhine-Westphalia (the `holidays` package)."""
    return day in _nrw(day.year)


def _local_instant(day: date, wall: object, zone: ZoneInfo) -> datetime | None:
    naive = datetime.combine(day, wall)  # type: ignore[arg-type]  # noqa: DTZ001 - zone added next
    local = naive.replace(tzinfo=zone, fold=0)
    instant = local.astimezone(UTC)
    if instant.astimezone(zone).replace(tzinfo=None) != naive:
        return None  # this wall-clock time is skipped by the spring DST change
    return instant


def slots_for_day(hours: WeeklyHours, day: date, zone: ZoneInfo) -> list[Slot]:
    if day.weekday() != hours.weekday or hours.slot_minutes <= 0:
        return []
    length = timedelta(minutes=hours.slot_minutes)
    result: list[Slot] = []
    cursor = datetime.combine(day, hours.start)  # noqa: DTZ001 - wall clock, zone applied per slot
    end = datetime.combine(day, hours.end)  # noqa: DTZ001
    while cursor + length <= end:
        starts = _local_instant(day, cursor.time(), zone)
        if starts is not None:
            result.append(Slot(hours.staff_id, starts, starts + length, hours.mode, hours.address))
        cursor += length
    return result


def free_slots(
    *,
    hours: Iterable[WeeklyHours],
    days_off: Iterable[DayOff],
    taken: Iterable[tuple[int, datetime]],
    now: datetime,
    policy: BookingPolicy,
    holiday: Callable[[date], bool] = is_public_holiday,
) -> list[Slot]:
    """Every bookable slot from `now + lead` to the end of the horizon, sorted by time."""
    off = {(d.staff_id, d.day) for d in days_off}
    busy = {(staff_id, start.astimezone(UTC)) for staff_id, start in taken}
    earliest = now + policy.lead
    first_day = now.astimezone(policy.zone).date()
    hours = list(hours)
    found: list[Slot] = []
    for offset in range(policy.horizon_days):
        day = first_day + timedelta(days=offset)
        if holiday(day):
            continue
        for window in hours:
            if (window.staff_id, day) in off:
                continue
            for slot in slots_for_day(window, day, policy.zone):
                if slot.starts_at >= earliest and (slot.staff_id, slot.starts_at) not in busy:
                    found.append(slot)
    unique = {(s.staff_id, s.starts_at): s for s in found}
    return sorted(unique.values(), key=lambda s: (s.starts_at, s.staff_id))


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
