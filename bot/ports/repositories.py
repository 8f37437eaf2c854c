"""The repositories the core reads and writes through, one Protocol each; `storage/`
implements them (and tests/fake_uow.py in memory). They never commit: the unit of work
does (bot.ports.UnitOfWork)."""

from __future__ import annotations

from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, Protocol

from bot.domain import (
    Appointment,
    AppointmentStatus,
    AuditEntry,
    Client,
    ClientInvite,
    DayOff,
    LifeArea,
    Note,
    NotePhase,
    Offer,
    ReminderJob,
    ReminderStatus,
    Site,
    Slot,
    Staff,
    StaffInvite,
    WeeklyHours,
)


class ClientRepository(Protocol):
    async def by_telegram_id(self, telegram_user_id: int) -> Client | None: ...
    async def with_staff_record(self, telegram_user_id: int) -> tuple[Client | None, Staff | None]:
        """The client record and the staff record (active or not) of one Telegram user."""
        ...

    async def get(self, client_id: int) -> Client | None: ...
    async def get_many(self, client_ids: Sequence[int]) -> dict[int, Client]:
        """The clients of those ids that exist, by id (one query for a page of them)."""
        ...

    async def reassign(self, from_staff_id: int, to_staff_id: int | None) -> int: ...
    async def mark_unreachable(self, client_id: int, at: datetime) -> bool:
        """True only for the first caller (a conditional update)."""
        ...

    async def of_site(self, site_id: int) -> list[Client]:
        """Consented clients of a site."""
        ...

    async def of_case_managers(self, site_id: int, staff_ids: Collection[int]) -> list[Client]:
        """Consented clients of a site whose case manager is one of `staff_ids`."""
        ...

    async def add(self, client: Client) -> Client: ...
    async def update(self, client: Client) -> Client: ...
    async def delete(self, client_id: int) -> None: ...


class SiteRepository(Protocol):
    async def by_slug(self, slug: str) -> Site | None: ...
    async def get(self, site_id: int) -> Site | None: ...
    async def add(self, site: Site) -> Site: ...
    async def list(self) -> list[Site]: ...


class StaffRepository(Protocol):
    async def by_telegram_id(self, telegram_user_id: int) -> Staff | None: ...
    async def get(self, staff_id: int) -> Staff | None: ...
    async def add(self, staff: Staff) -> Staff: ...
    async def update(self, staff: Staff) -> Staff: ...
    async def active_of_site(self, site_id: int) -> list[Staff]: ...
    async def of_site(self, site_id: int) -> list[Staff]: ...
    async def all_active(self) -> list[Staff]: ...


class ProcessedUpdateRepository(Protocol):
    async def claim(self, bot_id: int, update_id: int, at: datetime) -> bool:
        """Record an update; False when it was recorded before (a duplicate)."""
        ...

    async def purge_older_than(self, before: datetime) -> int: ...


class ConversationStateRepository(Protocol):
    """Where a half-finished flow waits (aiogram's FSM, kept in the database)."""

    async def get(self, key: str) -> tuple[str | None, dict[str, Any]]: ...
    async def put(
        self, key: str, state: str | None, data: dict[str, Any], at: datetime
    ) -> None: ...
    async def delete_for_user(self, telegram_user_id: int) -> None: ...


class HoursRepository(Protocol):
    async def for_staff(self, staff_ids: list[int]) -> list[WeeklyHours]: ...
    async def add(self, hours: WeeklyHours) -> WeeklyHours: ...
    async def remove(self, hours_id: int) -> None: ...
    async def clear(self, staff_id: int) -> int: ...


class DaysOffRepository(Protocol):
    async def for_staff(self, staff_ids: list[int], start: date, end: date) -> list[DayOff]: ...
    async def add(self, day_off: DayOff) -> None: ...
    async def remove(self, day_off: DayOff) -> None: ...


class AppointmentRepository(Protocol):
    async def get(self, appointment_id: int) -> Appointment | None: ...
    async def add(self, appointment: Appointment, at: datetime) -> Appointment:
        """Raises DuplicateError when the slot is booked already."""
        ...

    async def booked_between(
        self, staff_ids: list[int], start: datetime, end: datetime
    ) -> list[tuple[int, datetime]]: ...
    async def upcoming_for_client(self, client_id: int, now: datetime) -> list[Appointment]: ...
    async def upcoming_for_staff(
        self, staff_id: int, start: datetime, end: datetime
    ) -> list[Appointment]: ...
    async def next_for_clients(self, client_ids: list[int], now: datetime) -> dict[int, datetime]:
        """Start of each client's next booked appointment (clients without one are absent)."""
        ...

    async def of_staff_between(
        self, staff_id: int, start: datetime, end: datetime
    ) -> list[Appointment]: ...
    async def count_open_for_client(self, client_id: int, now: datetime) -> int: ...
    async def reschedule(self, appointment_id: int, slot: Slot, at: datetime) -> Appointment | None:
        """Move a booked appointment (its revision goes up); None if it is no longer booked.
        DuplicateError if taken."""
        ...

    async def set_status(
        self,
        appointment_id: int,
        status: AppointmentStatus,
        at: datetime,
        reason: str | None = None,
    ) -> Appointment | None:
        """Change a booked appointment's status (its revision goes up); None if it was not
        booked (a second tap)."""
        ...

    async def confirm(self, appointment_id: int, at: datetime) -> bool:
        """'I'll come': marks the appointment confirmed; False if nothing changed."""
        ...

    async def remember_calendar_file(
        self, appointment_id: int, message_id: int, at: datetime
    ) -> None:
        """The calendar file for the appointment was sent as `message_id` at `at`."""
        ...


class ReminderRepository(Protocol):
    async def schedule(
        self, appointment_id: int, plan: list[tuple[str, datetime | None]], at: datetime
    ) -> None:
        """(Re)plan: a due time makes the row pending again; None marks it skipped."""
        ...

    async def cancel_for(self, appointment_id: int) -> None: ...
    async def claim_due(
        self, now: datetime, lease_until: datetime, token: str, limit: int
    ) -> list[int]:
        """Pending rows due now, and rows whose lease ran out, become `sending` under `token`.
        A claim is not a try: `attempts` counts refusals only (see `finish`)."""
        ...

    async def renew(self, token: str, lease_until: datetime) -> int:
        """The heartbeat: rows still `sending` under `token` hold until `lease_until`."""
        ...

    async def release(self, token: str, reminder_ids: list[int]) -> int:
        """These rows, still `sending` under `token`, become pending again (not a try)."""
        ...

    async def release_owner(self, owner: str) -> int:
        """Every row still `sending` under a token of `owner` (bot.services.reminders
        .claim_token) becomes pending again; how many."""
        ...

    async def jobs(self, reminder_ids: list[int], token: str) -> list[ReminderJob]: ...
    async def finish(
        self,
        reminder_id: int,
        token: str,
        status: ReminderStatus,
        at: datetime,
        *,
        due_at: datetime | None = None,
    ) -> bool:
        """Only the holder of the claim may finish it; `due_at` with PENDING reschedules,
        and a reschedule counts one more refusal in `attempts`."""
        ...

    async def for_appointment(self, appointment_id: int) -> list[tuple[str, datetime, str]]: ...
    async def expired_among(self, appointment_ids: Sequence[int]) -> set[int]:
        """Those of the appointments with a reminder that expired undelivered."""
        ...


class DigestRepository(Protocol):
    async def claim(self, staff_id: int, day: date, at: datetime) -> bool:
        """True once per staff member and day (a unique row), whoever asks first."""
        ...


class InviteRepository(Protocol):
    async def add_staff_invite(self, invite: StaffInvite, at: datetime) -> None: ...
    async def staff_invite(self, code: str) -> StaffInvite | None: ...
    async def use_staff_invite(self, code: str, staff_id: int, at: datetime) -> bool:
        """Mark used; False when someone used it first (a race or a second tap)."""
        ...

    async def add_client_invite(self, invite: ClientInvite, at: datetime) -> None: ...
    async def client_invite(self, code: str) -> ClientInvite | None: ...
    async def use_client_invite(self, code: str, at: datetime) -> bool: ...


@dataclass(frozen=True)
class OfferQuery:
    """What a case manager looks for. `terms` are already stemmed (see bot.offers_search)."""

    terms: tuple[str, ...] = ()
    life_area: str | None = None
    municipality: str | None = None
    language: str | None = None
    open_to_duldung: bool = False
    today: date | None = None  # hide offers that ended before this day
    site_id: int | None = None  # only the offers this site keeps (the console's list)


class OfferRepository(Protocol):
    async def upsert_many(
        self, offers: list[Offer], at: datetime, *, site_id: int | None = None
    ) -> tuple[int, int, int]:
        """(inserted, updated, unchanged), by external_id; an unchanged offer is not
        written. With `site_id` every offer written becomes that site's; without, new
        offers join the shared catalog and existing ones keep their site."""
        ...

    async def by_external_ids(self, external_ids: list[str]) -> list[Offer]: ...
    async def of_site(self, site_id: int) -> list[Offer]:
        """The site's offers (ended ones too), by external_id."""
        ...

    async def site_municipalities(self, site_id: int) -> list[str]: ...

    async def all(self) -> list[Offer]: ...
    async def get(self, offer_id: int) -> Offer | None: ...
    async def search(
        self, query: OfferQuery, limit: int, offset: int
    ) -> tuple[list[Offer], int]: ...
    async def municipalities(self) -> list[str]: ...
    async def needing_review(
        self, *, ended_before: date, checked_before: date, flagged_before: datetime
    ) -> list[Offer]: ...
    async def mark_flagged(self, offer_ids: list[int], at: datetime) -> None: ...


class NoteRepository(Protocol):
    async def add(self, note: Note, at: datetime) -> Note: ...
    async def get(self, note_id: int) -> Note | None: ...
    async def for_client(self, client_id: int, limit: int, offset: int) -> tuple[list[Note], int]:
        """Newest first, with the total."""
        ...

    async def replace(
        self,
        note_id: int,
        *,
        body: str,
        life_areas: list[LifeArea],
        phase: NotePhase | None,
        at: datetime,
    ) -> Note | None:
        """Edit: the previous text is kept as a version. None when the note is gone."""
        ...

    async def delete(self, note_id: int) -> bool: ...
    async def last_written(self, client_ids: list[int]) -> dict[int, datetime]: ...
    async def recent_clients(self, author_id: int, limit: int) -> list[int]:
        """Clients this author wrote about, most recent first."""
        ...

    def seal(self, text: str) -> str:
        """`text` encrypted with the notes key, as note bodies are stored: for a note's text
        kept elsewhere until it is saved (a draft in the conversation state)."""
        ...

    def unseal(self, token: str) -> str:
        """The text sealed in `token`; SealBrokenError when it no longer opens (the key
        that sealed it is gone)."""
        ...


@dataclass(frozen=True)
class AuditQuery:
    """Which rows of one site's audit log: each filter that is set narrows them; `start`
    is inclusive, `end` exclusive."""

    site_id: int
    staff_id: int | None = None
    client_id: int | None = None
    action: str | None = None
    start: datetime | None = None
    end: datetime | None = None


class AuditRepository(Protocol):
    async def record(self, entry: AuditEntry) -> None: ...
    async def for_site(self, site_id: int, since: datetime | None) -> list[AuditEntry]: ...
    async def search(
        self, query: AuditQuery, limit: int, offset: int
    ) -> tuple[list[AuditEntry], int]:
        """Newest first, with the total."""
        ...

    async def actions(self, site_id: int) -> list[str]:
        """The actions found in the site's log, sorted."""
        ...


class DeputyRepository(Protocol):
    async def add(
        self, staff_id: int, deputy_id: int, starts_on: date, ends_on: date, at: datetime
    ) -> int: ...
    async def covered_by(self, deputy_id: int, day: date) -> list[int]:
        """Staff ids whose deputy `deputy_id` is on `day`."""
        ...

    async def deputies_of(self, staff_id: int, day: date) -> list[int]:
        """Deputies named by `staff_id` for `day`."""
        ...

    async def of_staff(self, staff_id: int, from_day: date) -> list[tuple[int, int, date, date]]:
        """(id, deputy_id, starts_on, ends_on) of current and future periods."""
        ...

    async def remove(self, deputy_row_id: int, staff_id: int) -> bool: ...


class MessageDeletionRepository(Protocol):
    async def schedule(self, chat_id: int, message_id: int, at: datetime) -> None: ...
    async def due(self, now: datetime, limit: int) -> list[tuple[int, int, int]]:
        """(row id, chat_id, message_id) due now."""
        ...

    async def finish(self, row_ids: list[int]) -> None: ...
    async def postpone(self, row_ids: list[int], until: datetime) -> None: ...


class RelayRepository(Protocol):
    async def add(
        self,
        *,
        client_id: int,
        staff_id: int | None,
        direction: str,
        at: datetime,
        staff_chat_id: int | None = None,
        staff_message_id: int | None = None,
        client_message_id: int | None = None,
        text: str | None = None,
    ) -> None: ...
    async def client_behind(self, staff_chat_id: int, staff_message_id: int) -> int | None:
        """The client whose relayed message this is (for a case manager's reply)."""
        ...

    async def purge_texts(self, before: datetime) -> int: ...
    async def texts_of(self, client_id: int) -> list[tuple[str, datetime, str | None]]: ...


class PrivacyRepository(Protocol):
    async def export(self, client_id: int) -> dict[str, list[dict[str, Any]]]:
        """Every row of every table that holds the client's data, by table name."""
        ...

    async def anonymise_notes(self, client_id: int) -> int: ...
    async def count_notes(self, client_id: int) -> int: ...
    async def record_bot_message(self, chat_id: int, message_id: int, at: datetime) -> None: ...
    async def bot_messages_since(self, chat_id: int, since: datetime) -> list[int]: ...
    async def forget_bot_messages(self, chat_id: int | None, before: datetime | None) -> int: ...
    async def touch(self, client_id: int, at: datetime) -> None: ...
    async def inactive(
        self, before: datetime
    ) -> list[tuple[Client, datetime, datetime | None]]: ...
    async def mark_warned(self, client_id: int, at: datetime) -> bool: ...
    async def purge_audit(self, before: datetime) -> int: ...
    async def record_offer_send(
        self, site_id: int | None, life_areas: Iterable[str], at: datetime
    ) -> None: ...
    async def stats(
        self, site_id: int, start: datetime, end: datetime
    ) -> dict[str, dict[str, int]]: ...
