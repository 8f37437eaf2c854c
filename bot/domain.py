"""Domain objects: plain dataclasses, no framework."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time
from enum import StrEnum
from zoneinfo import ZoneInfo


class SiteKind(StrEnum):
    CITY = "city"
    DISTRICT = "district"
    TOWN = "town"


class StaffRole(StrEnum):
    THM = "thm"
    COORDINATOR = "coordinator"


@dataclass
class Site:
    id: int | None
    slug: str
    name: str
    kind: SiteKind
    created_at: datetime | None = None


class Mode(StrEnum):
    IN_PERSON = "in_person"
    PHONE = "phone"
    VIDEO = "video"


class LifeArea(StrEnum):
    """Life areas (docs/CONTRACT.md); also the topics of appointments."""

    EDUCATION = "education"
    TRAINING = "training"
    WORK = "work"
    HOUSING = "housing"
    FAMILY = "family"
    MENTAL_HEALTH = "mental_health"
    HEALTH = "health"
    LEISURE = "leisure"
    LEGAL = "legal"
    LANGUAGE = "language"
    MONEY = "money"
    OTHER = "other"


class AppointmentStatus(StrEnum):
    BOOKED = "booked"
    CANCELLED = "cancelled"
    ATTENDED = "attended"
    NO_SHOW = "no_show"


@dataclass
class Staff:
    id: int | None
    site_id: int
    role: StaffRole
    telegram_user_id: int | None = None
    locale: str = "de"
    languages: str = ""
    active: bool = True
    display_name: str = ""

    @property
    def spoken(self) -> set[str]:
        return {code for code in self.languages.split(",") if code}


@dataclass
class WeeklyHours:
    """A case manager's recurring window: weekday 0 = Monday, local wall-clock times."""

    id: int | None
    staff_id: int
    weekday: int
    start: time
    end: time
    slot_minutes: int
    mode: Mode
    address: str | None = None


@dataclass(frozen=True)
class Slot:
    staff_id: int
    starts_at: datetime
    ends_at: datetime
    mode: Mode
    address: str | None = None


class CancelReason(StrEnum):
    """Why an appointment was cancelled (stored in appointments.cancel_reason)."""

    ILL = "ill"
    TIME = "time"
    SOLVED = "solved"
    OTHER = "other"
    STAFF_ILL = "staff_ill"  # the case manager cancelled their day

    @classmethod
    def of_clients(cls) -> tuple[CancelReason, ...]:
        """The reasons a client can tap."""
        return (cls.ILL, cls.TIME, cls.SOLVED, cls.OTHER)


@dataclass
class Appointment:
    id: int | None
    client_id: int
    staff_id: int
    starts_at: datetime
    ends_at: datetime
    mode: Mode
    topic: LifeArea
    address: str | None = None
    interpreter: str | None = None
    status: AppointmentStatus = AppointmentStatus.BOOKED
    booked_by: str = "client"
    cancel_reason: str | None = None
    created_at: datetime | None = None
    confirmed_at: datetime | None = None
    #: Changes of its time or status so far: the SEQUENCE of its calendar file, so that a
    #: calendar app takes a move or a cancellation over the file it has.
    revision: int = 0
    #: The last calendar file sent to the client for it, and when: the one a newer file
    #: replaces (Telegram lets a bot delete its messages for 48 hours).
    calendar_message_id: int | None = None
    calendar_sent_at: datetime | None = None


@dataclass
class StaffInvite:
    code: str
    site_id: int
    role: StaffRole
    expires_at: datetime
    used_at: datetime | None = None


@dataclass
class ClientInvite:
    code: str
    site_id: int
    staff_id: int
    nickname: str
    expires_at: datetime
    used_at: datetime | None = None


@dataclass(frozen=True)
class DayOff:
    staff_id: int
    day: date


@dataclass
class Client:
    """A young person. Before consent only id, chat, language and start code exist."""

    id: int | None
    telegram_user_id: int
    chat_id: int
    locale: str
    start_code: str | None = None
    consent_version: str | None = None
    consented_at: datetime | None = None
    site_id: int | None = None
    case_manager_id: int | None = None
    created_at: datetime | None = None
    nickname: str | None = None
    phone: str | None = None
    unreachable_at: datetime | None = None
    #: Last activity, written at most once a day (for CLIENT_INACTIVE_RETENTION).
    last_seen_at: datetime | None = None
    #: The client tapped "I don't want these questions": no follow-up of sent offers.
    followups_off_at: datetime | None = None
    #: The client said "no announcements" (issue 23).
    announcements_off_at: datetime | None = None

    @property
    def has_consented(self) -> bool:
        return self.consented_at is not None


class ReminderStatus(StrEnum):
    PENDING = "pending"
    SENDING = "sending"
    SENT = "sent"
    SKIPPED = "skipped"
    FAILED = "failed"
    CANCELLED = "cancelled"
    EXPIRED = "expired"  # refused for passing reasons until too close to the appointment


@dataclass(frozen=True)
class ReminderJob:
    """A claimed reminder with what sending it needs."""

    reminder_id: int
    kind: str
    claim_token: str
    attempts: int
    appointment: Appointment
    client: Client
    staff: Staff
    #: When it was due (its claim lag is measured from here).
    due_at: datetime | None = None


STATUSES = ("duldung", "gestattung", "other")


@dataclass
class Offer:
    """A course, service or contact a case manager can refer to (docs/CONTRACT.md)."""

    external_id: str
    title: str
    provider: str
    life_areas: list[LifeArea]
    municipality: str
    description: str = ""
    diaa_module: int | None = None
    address: str = ""
    postcode: str = ""
    latitude: float | None = None
    longitude: float | None = None
    languages: list[str] = field(default_factory=list)
    eligible_statuses: list[str] = field(default_factory=lambda: list(STATUSES))
    min_age: int | None = None
    max_age: int | None = None
    cost: str = ""
    phone: str = ""
    email: str = ""
    website: str = ""
    opening_hours: str = ""
    starts_on: date | None = None
    ends_on: date | None = None
    appointment_needed: bool | None = None
    accessible: bool | None = None
    last_checked: date | None = None
    id: int | None = None
    #: The site whose coordinator keeps this offer (the console); None: the shared
    #: catalog the operator keeps with `offers import`. Everyone's chat search finds both.
    site_id: int | None = None

    @property
    def open_to_duldung(self) -> bool:
        return "duldung" in self.eligible_statuses


class NotePhase(StrEnum):
    """Case-management phase a note belongs to (optional)."""

    INTAKE = "intake"
    ASSESSMENT = "assessment"
    PLAN = "plan"
    MONITORING = "monitoring"
    CLOSURE = "closure"
    CRISIS = "crisis"


@dataclass
class Note:
    """A short case note. `body` is plain text here; storage keeps it encrypted."""

    id: int | None
    client_id: int
    author_id: int
    body: str
    life_areas: list[LifeArea]
    phase: NotePhase | None = None
    appointment_id: int | None = None
    created_at: datetime | None = None
    updated_at: datetime | None = None
    versions: int = 0  # earlier versions kept after edits


@dataclass(frozen=True)
class AuditEntry:
    """Who did what to which client record, and when. Never the content itself."""

    at: datetime
    staff_id: int | None
    site_id: int | None
    action: str
    client_id: int | None = None
    note_id: int | None = None
    id: int | None = None


@dataclass
class Erasure:
    """What an erasure did: whose appointments it cancelled, whom to tell."""

    client: Client
    cancelled: list[tuple[Appointment, Staff]] = field(default_factory=list)
    case_manager: Staff | None = None
    notes: int = 0
    notes_kept_anonymised: bool = False
    #: Ids of the messages of the last 48 hours in the client's chat, the bot's and their own.
    recent_messages: list[int] = field(default_factory=list)


@dataclass(frozen=True)
class ConsoleSession:
    """A staff member's session in the web console. Only a hash of its id is stored."""

    staff_id: int
    created_at: datetime
    last_seen_at: datetime


class DayPart(StrEnum):
    """When in the day a waiting client can come (local time; noon divides)."""

    ANY = "any"
    MORNING = "am"
    AFTERNOON = "pm"


class WishStatus(StrEnum):
    WAITING = "waiting"
    FULFILLED = "fulfilled"  # an offered time was booked
    CANCELLED = "cancelled"  # the client left the waiting list
    EXPIRED = "expired"  # its date passed


@dataclass
class Wish:
    """A client on the waiting list: tell me when an earlier time frees up. `staff_id`
    None: any case manager of the site. `weekdays` empty: any day (0 = Monday)."""

    id: int | None
    client_id: int
    site_id: int
    topic: LifeArea
    mode: Mode
    until: date
    staff_id: int | None = None
    weekdays: tuple[int, ...] = ()
    day_part: DayPart = DayPart.ANY
    status: WishStatus = WishStatus.WAITING
    created_at: datetime | None = None
    #: The client's next appointment when they asked (for the days saved in the stats).
    original_starts_at: datetime | None = None

    def fits(self, slot: Slot, zone: ZoneInfo) -> bool:
        """Does the slot match the wish's mode, weekdays, part of the day and date?"""
        local = slot.starts_at.astimezone(zone)
        if slot.mode is not self.mode or local.date() > self.until:
            return False
        if self.weekdays and local.weekday() not in self.weekdays:
            return False
        if self.day_part is DayPart.MORNING:
            return local.hour < 12
        if self.day_part is DayPart.AFTERNOON:
            return local.hour >= 12
        return True


class WaitOfferStatus(StrEnum):
    PENDING = "pending"  # to be sent (kind offer) or told (kind gone)
    SENDING = "sending"  # claimed with a lease
    SENT = "sent"  # offered, waiting for a tap
    TAKEN = "taken"  # this client booked it
    GONE = "gone"  # someone else was faster (told, or never sent)
    EXPIRED = "expired"  # closer than BOOKING_LEAD before anyone took it
    SKIPPED = "skipped"  # no longer needed (wish over, time taken before sending)
    FAILED = "failed"


class WaitOfferKind(StrEnum):
    OFFER = "offer"  # "this time is free: book it"
    GONE = "gone"  # "sorry, someone else took it; you stay on the list"


@dataclass(frozen=True)
class WaitOffer:
    id: int
    wish_id: int
    staff_id: int
    starts_at: datetime
    ends_at: datetime
    expires_at: datetime
    status: WaitOfferStatus
    kind: WaitOfferKind = WaitOfferKind.OFFER


@dataclass(frozen=True)
class WaitOfferJob:
    """A claimed waiting-list message with what sending it needs."""

    offer: WaitOffer
    claim_token: str
    attempts: int
    wish: Wish
    client: Client
    staff: Staff


@dataclass(frozen=True)
class FreedTimes:
    """A domain event: times of `staff_id` may have come free (a cancellation, a move,
    new hours, a day off taken back), between `start` and `end` (None: open), or on `day`;
    `at`: when (the repository stamps it)."""

    staff_id: int
    start: datetime | None = None
    end: datetime | None = None
    day: date | None = None
    at: datetime | None = None
