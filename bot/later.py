"""Answers sent later (issue 23, item 3): what a pending answer is, and when "later" is.

A case manager's answer to a client (typed text or a ready-made reply) can wait in an
outbox until `due_at`: tomorrow 09:00, the start of their next working hours, or a typed
date and time; never inside quiet hours (moved to their end). The ticker sends due ones
as reminders are sent: claimed with a lease, through the shared rate-limited sender.

Typed text waits encrypted and is translated when it goes out, as an answer sent at once
is (into the client's language of that moment).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from enum import StrEnum
from zoneinfo import ZoneInfo

from bot.domain import Client, Staff, WeeklyHours
from bot.reminder_schedule import QuietHours
from bot.slots import _local_instant, is_public_holiday

#: "Tomorrow morning" is this wall-clock time.
MORNING = time(9, 0)


class LaterStatus(StrEnum):
    PENDING = "pending"
    SENDING = "sending"  # claimed by a ticker (lease_until)
    SENT = "sent"
    CANCELLED = "cancelled"
    FAILED = "failed"  # blocked or refused for good


@dataclass(frozen=True)
class LaterAnswer:
    """One answer waiting to go out: `text` (typed, the staff member's language) or a
    ready reply `reply_key` with its filled `values`."""

    id: int | None
    staff_id: int
    client_id: int
    due_at: datetime
    text: str | None = None
    reply_key: str | None = None
    values: dict[str, str] = field(default_factory=dict)
    status: LaterStatus = LaterStatus.PENDING


@dataclass(frozen=True)
class LaterJob:
    """A claimed pending answer with whom it goes to and from."""

    answer: LaterAnswer
    claim_token: str
    attempts: int
    client: Client
    staff: Staff


def out_of_quiet(moment: datetime, quiet: QuietHours | None) -> datetime:
    """`moment`, or the end of the quiet hours it falls in."""
    if quiet is not None and quiet.contains(moment):
        return quiet.ends_after(moment)
    return moment


def tomorrow_morning(now: datetime, zone: ZoneInfo) -> datetime:
    day = now.astimezone(zone).date() + timedelta(days=1)
    found = _local_instant(day, MORNING, zone)
    assert found is not None  # 09:00 is never in a clock change's gap
    return found


def next_hours_start(
    hours: Iterable[WeeklyHours],
    days_off: set[date],
    now: datetime,
    zone: ZoneInfo,
    *,
    horizon_days: int = 14,
) -> datetime | None:
    """The start of the staff member's next working window after `now` (one going on now
    does not count: "later" means the next one); None without one within the horizon."""
    windows = list(hours)
    local_day = now.astimezone(zone).date()
    for offset in range(horizon_days + 1):
        day = local_day + timedelta(days=offset)
        if day in days_off or is_public_holiday(day):
            continue
        starts = [
            start
            for window in windows
            if window.weekday == day.weekday()
            and (start := _local_instant(day, window.start, zone)) is not None
            and start > now
        ]
        if starts:
            return min(starts)
    return None


_TYPED = re.compile(
    r"^\s*(?:(?P<d>\d{1,2})\.(?P<m>\d{1,2})\.?(?P<y>\d{2,4})?|(?P<iy>\d{4})-(?P<im>\d{1,2})-(?P<id>\d{1,2}))"
    r"[\s,]+(?:um\s+|at\s+)?(?P<h>\d{1,2})[:.h](?P<min>\d{2})\s*(?:uhr)?\s*$",
    re.IGNORECASE,
)


def typed_moment(text: str, now: datetime, zone: ZoneInfo) -> datetime | None:
    """A typed date and time ("24.12. 10:30", "24.12.2026 10:30", "2026-12-24 10:30") in
    `zone`; without a year the next such day. None when it does not parse, is no real
    date or time, or is not in the future."""
    found = _TYPED.match(text or "")
    if found is None:
        return None
    local_now = now.astimezone(zone)
    try:
        if found["iy"]:
            day = date(int(found["iy"]), int(found["im"]), int(found["id"]))
        else:
            year = int(found["y"]) if found["y"] else local_now.year
            year += 2000 if year < 100 else 0
            day = date(year, int(found["m"]), int(found["d"]))
            if not found["y"] and day < local_now.date():
                day = date(year + 1, day.month, day.day)
        wall = time(int(found["h"]), int(found["min"]))
    except ValueError:
        return None
    moment = _local_instant(day, wall, zone)
    if moment is None or moment <= now:
        return None
    return moment
