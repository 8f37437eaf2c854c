"""Announcements (issue 23): one text from a coordinator (the site) or a case manager
(their own clients) to many clients, each in their language; sent from an outbox of
deliveries (one row per client, claimed with a lease like reminders)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime, time, timedelta
from enum import StrEnum
from zoneinfo import ZoneInfo

from bot.domain import Client, Staff, StaffRole
from bot.reminder_schedule import QuietHours

#: The languages an announcement may be written in (machine translation starts there).
SOURCE_LOCALES: tuple[str, ...] = ("de", "en")
#: The choices of "clients with an appointment in the next N days".
APPOINTMENT_DAYS: tuple[int, ...] = (3, 7, 14)
TEXT_LIMIT = 3000  # room under Telegram's 4096 for the label and the original
TOMORROW_AT = time(9, 0)


class AnnouncementStatus(StrEnum):
    DRAFT = "draft"
    SCHEDULED = "scheduled"
    SENDING = "sending"
    DONE = "done"
    CANCELLED = "cancelled"


class AnnouncementScope(StrEnum):
    SITE = "site"  # a coordinator: every client of the site
    OWN = "own"  # a case manager: their own clients


class DeliveryStatus(StrEnum):
    PENDING = "pending"
    SENDING = "sending"
    SENT = "sent"
    BLOCKED = "blocked"
    FAILED = "failed"


@dataclass(frozen=True)
class Audience:
    """Who gets it: the site's clients, or one case manager's; optionally only some
    languages (empty: all) and only clients with an appointment within `appointment_days`."""

    site_id: int
    case_manager_id: int | None = None
    languages: tuple[str, ...] = ()
    appointment_days: int | None = None


@dataclass
class Announcement:
    id: int | None
    site_id: int
    author_id: int | None
    scope: AnnouncementScope
    source_locale: str
    text: str
    scheduled_at: datetime
    status: AnnouncementStatus = AnnouncementStatus.SCHEDULED
    languages: tuple[str, ...] = ()
    appointment_days: int | None = None
    created_at: datetime | None = None
    #: Human translations: locale -> text (what people wrote, never machine output).
    human: dict[str, str] = field(default_factory=dict)

    def audience(self) -> Audience:
        manager = self.author_id if self.scope is AnnouncementScope.OWN else None
        return Audience(self.site_id, manager, self.languages, self.appointment_days)


@dataclass(frozen=True)
class DeliveryFigures:
    pending: int = 0
    sent: int = 0
    blocked: int = 0
    failed: int = 0

    @property
    def total(self) -> int:
        return self.pending + self.sent + self.blocked + self.failed


@dataclass(frozen=True)
class DeliveryJob:
    """A claimed delivery: to whom, of which announcement."""

    delivery_id: int
    announcement_id: int
    client: Client
    claim_token: str
    attempts: int = 0


@dataclass(frozen=True)
class AnnouncementMessage:
    """What one client reads: the text in their language (human or machine), or the
    original with a note when no translation could be made."""

    text: str
    original: str
    machine: bool = False
    untranslated: bool = False


def scope_of(staff: Staff) -> AnnouncementScope:
    return AnnouncementScope.SITE if staff.role is StaffRole.COORDINATOR else AnnouncementScope.OWN


def audience_of(staff: Staff, languages: tuple[str, ...], days: int | None) -> Audience:
    assert staff.id is not None
    manager = None if staff.role is StaffRole.COORDINATOR else staff.id
    return Audience(staff.site_id, manager, languages, days)


def out_of_quiet(moment: datetime, quiet: QuietHours | None) -> datetime:
    """Never inside quiet hours: a moment inside them moves to their end."""
    if quiet is not None and quiet.contains(moment):
        return quiet.ends_after(moment)
    return moment


def tomorrow_morning(now: datetime, zone: ZoneInfo) -> datetime:
    """Tomorrow 09:00 local time, as aware UTC."""
    local = now.astimezone(zone).date() + timedelta(days=1)
    return datetime.combine(local, TOMORROW_AT, tzinfo=zone).astimezone(now.tzinfo)


_TYPED = re.compile(
    r"^\s*(\d{1,2})[./-](\d{1,2})[./-]?(\d{2}|\d{4})?[,\s]+(?:um\s+|at\s+)?(\d{1,2})[:.h](\d{2})\s*$",
    re.IGNORECASE,
)


def typed_moment(text: str, now: datetime, zone: ZoneInfo) -> datetime | None:
    """A typed date and time, "24.12. 10:00", "24.12.2026 10:00" or "24/12 10.00" (any
    digits Unicode knows, so "۲۴.۱۲. ۱۰:۰۰" too), as aware UTC; a date without a year is
    the next one to come. None when it does not read as a date and time."""
    found = _TYPED.match(text)
    if found is None:
        return None
    day, month, year, hour, minute = (int(g) if g else None for g in found.groups())
    assert day is not None and month is not None and hour is not None and minute is not None
    local_now = now.astimezone(zone)
    if year is not None and year < 100:
        year += 2000
    try:
        wall = datetime(year or local_now.year, month, day, hour, minute, tzinfo=zone)
        if year is None and wall < local_now - timedelta(days=1):
            wall = wall.replace(year=wall.year + 1)
    except ValueError:
        return None
    return wall.astimezone(now.tzinfo)
