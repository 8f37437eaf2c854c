"""When a reminder goes out: offsets before the appointment, and quiet hours that win.

- Offsets of whole days keep the wall-clock time (a 24 h reminder for Monday 10:00
  goes out on Sunday 10:00, also across a DST change); other offsets are exact.
- A reminder falling into quiet hours goes out at the end of the previous allowed
  window if that is still ahead; else at the start of the next window if the
  appointment is then still at least 30 minutes ahead; else it is skipped.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

#: Sent this long before quiet hours begin, so a tick (every <= 30 s) is still in time.
BEFORE_QUIET = timedelta(minutes=5)
#: A reminder moved to the morning must still leave this much time before the appointment.
MIN_AHEAD = timedelta(minutes=30)
DAY = timedelta(days=1)


def offset_kind(offset: timedelta) -> str:
    """A short stable name for an offset: '24h', '2h', '90m', '2d'."""
    seconds = int(offset.total_seconds())
    if seconds % 3600 == 0:
        return f"{seconds // 3600}h"
    if seconds % 60 == 0:
        return f"{seconds // 60}m"
    return f"{seconds}s"


def _localize(naive: datetime, zone: ZoneInfo) -> datetime:
    """A local wall-clock time as aware UTC; a time skipped by DST moves forward an hour."""
    aware = naive.replace(tzinfo=zone, fold=0)
    instant = aware.astimezone(UTC)
    if instant.astimezone(zone).replace(tzinfo=None) != naive:
        instant = (naive + timedelta(hours=1)).replace(tzinfo=zone).astimezone(UTC)
    return instant


def due_time(starts_at: datetime, offset: timedelta, zone: ZoneInfo) -> datetime:
    if offset % DAY == timedelta(0):
        local = starts_at.astimezone(zone).replace(tzinfo=None)
        return _localize(local - offset, zone)
    return starts_at - offset


@dataclass(frozen=True)
class QuietHours:
    start: time
    end: time
    zone: ZoneInfo

    def contains(self, moment: datetime) -> bool:
        local = moment.astimezone(self.zone).time()
        if self.start < self.end:
            return self.start <= local < self.end
        return local >= self.start or local < self.end

    def _at(self, day: date, wall: time) -> datetime:
        return _localize(datetime.combine(day, wall), self.zone)

    def began_before(self, moment: datetime) -> datetime:
        """When the quiet period containing `moment` began."""
        local_day = moment.astimezone(self.zone).date()
        candidate = self._at(local_day, self.start)
        return candidate if candidate <= moment else self._at(local_day - DAY, self.start)

    def ends_after(self, moment: datetime) -> datetime:
        """When the quiet period containing `moment` ends."""
        local_day = moment.astimezone(self.zone).date()
        candidate = self._at(local_day, self.end)
        return candidate if candidate > moment else self._at(local_day + DAY, self.end)


def plan(
    starts_at: datetime, offset: timedelta, *, now: datetime, quiet: QuietHours
) -> datetime | None:
    """The moment to send, or None to skip (already past, or only possible too late)."""
    due = due_time(starts_at, offset, quiet.zone)
    if due <= now:
        return None  # passed at booking: the confirmation covers it
    if quiet.contains(due):
        earlier = quiet.began_before(due) - BEFORE_QUIET
        if earlier > now:
            due = earlier
        else:
            later = quiet.ends_after(due)
            if starts_at - later < MIN_AHEAD:
                return None
            due = later
    return due if due < starts_at else None


def may_send(now: datetime, starts_at: datetime, quiet: QuietHours) -> bool:
    """At dispatch: only while the appointment is ahead and outside quiet hours."""
    return starts_at > now and not quiet.contains(now)


def retry_time(
    now: datetime, starts_at: datetime, wait: timedelta, quiet: QuietHours
) -> datetime | None:
    """When a reminder refused for a passing reason is tried again: after `wait`, out of
    quiet hours, and still at least MIN_AHEAD before the appointment; None when that is
    no longer possible (the reminder has expired)."""
    again = now + wait
    if quiet.contains(again):
        again = quiet.ends_after(again)
    return again if starts_at - again >= MIN_AHEAD else None
