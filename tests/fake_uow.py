"""An in-memory unit of work for fast service tests (cosmicpython's FakeUnitOfWork).

`FakeUnitOfWorkFactory()` is a `UnitOfWorkFactory`: each call makes a `FakeUnitOfWork`
on one shared `FakeDatabase` (the committed rows, one dict per table). It behaves like
`storage.uow.SqlUnitOfWork` and the `storage/*repositories.py` in what services rely on:

- Repositories work only inside `async with`; leaving it rolls back whatever was not
  committed, `commit()` publishes the writes, `rollback()` drops them and the unit of
  work goes on (as a session does). `committed` tells whether `commit()` was called.
- A unit of work reads its own writes and what others committed (read committed).
- Unique keys raise `DuplicateError` where the SQL repositories do (the booked slot
  index, Telegram ids, slugs) and return False or do nothing where they do (digests,
  processed updates, days off). An uncommitted row of another open unit of work is
  waited for first, as PostgreSQL does; so is a row another one has changed
  (conditional updates see the winner's write), and `claim_due` skips such rows
  (FOR UPDATE SKIP LOCKED).
- Conditional updates return what the SQL ones return (None / False for a second tap);
  lists come in the same order.
- Every repository call yields to the event loop once, as a database round trip does,
  so `asyncio.gather` really interleaves concurrent services.

Not modelled: foreign keys (apart from the cascades of deleting a client), check
constraints, time zone checks of datetimes, encryption of notes. Offers, the relay,
most of the privacy repository and of the waiting list are not faked: calling them raises NotImplementedError.
"""

from __future__ import annotations

import asyncio
import base64
import copy
import itertools
from collections import defaultdict
from collections.abc import Callable, Collection, Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta
from types import TracebackType
from typing import Any, cast

from bot.domain import (
    Appointment,
    AppointmentStatus,
    AuditEntry,
    Client,
    ClientInvite,
    ConsoleSession,
    DayOff,
    FreedTimes,
    LifeArea,
    Note,
    NotePhase,
    ReminderJob,
    ReminderStatus,
    Site,
    Slot,
    Staff,
    StaffInvite,
    WeeklyHours,
)
from bot.ports import (
    AnnouncementRepository,
    AuditQuery,
    Clock,
    DuplicateError,
    LaterRepository,
    OfferRepository,
    PrivacyRepository,
    ReadyReplyRepository,
    ReferralRepository,
    RelayRepository,
    SealBrokenError,
    WaitlistRepository,
)
from tests.fakes import FakeClock
from tests.helpers import id_of

_GONE = object()  # a deleted row, in a unit of work's writes

_BOOKED = AppointmentStatus.BOOKED
_PENDING = ReminderStatus.PENDING
_SENDING = ReminderStatus.SENDING


@dataclass
class ReminderRecord:
    """A row of `reminders` (storage.models.ReminderRow)."""

    id: int
    appointment_id: int
    kind: str
    due_at: datetime
    status: ReminderStatus
    attempts: int = 0
    lease_until: datetime | None = None
    claim_token: str | None = None
    sent_at: datetime | None = None
    created_at: datetime | None = None


@dataclass
class StaffInviteRecord:
    invite: StaffInvite
    created_at: datetime
    used_by_staff_id: int | None = None


@dataclass
class DeputyRecord:
    id: int
    staff_id: int
    deputy_id: int
    starts_on: date
    ends_on: date
    created_at: datetime


@dataclass
class NoteVersionRecord:
    id: int
    note_id: int
    body: str
    life_areas: list[LifeArea]
    phase: NotePhase | None
    written_at: datetime | None
    replaced_at: datetime


def _clone(row: Any) -> Any:
    return copy.deepcopy(row)


class FakeDatabase:
    """The committed state, shared by every unit of work of one factory."""

    def __init__(self, clock: Clock | None = None) -> None:
        self.clock = clock or FakeClock()
        self.tables: dict[str, dict[Any, Any]] = defaultdict(dict)
        self._ids: dict[str, itertools.count[int]] = defaultdict(lambda: itertools.count(1))
        self.open: list[_Transaction] = []
        self.commits = 0

    def next_id(self, table: str) -> int:
        # Like a sequence: an id taken by a rolled-back insert is not given again.
        return next(self._ids[table])

    def rows(self, table: str) -> list[Any]:
        """Committed rows of a table (copies), by key."""
        return [_clone(row) for _, row in sorted(self.tables[table].items())]

    # What tests look at most.
    def appointments(self) -> list[Appointment]:
        return cast(list[Appointment], self.rows("appointments"))

    def reminders(self) -> list[ReminderRecord]:
        return sorted(self.rows("reminders"), key=lambda r: (r.due_at, r.id))

    def clients(self) -> list[Client]:
        return cast(list[Client], self.rows("clients"))

    def staff(self) -> list[Staff]:
        return cast(list[Staff], self.rows("staff"))

    def audit(self) -> list[AuditEntry]:
        return cast(list[AuditEntry], self.rows("audit"))


class _Transaction:
    """One unit of work's uncommitted writes over the committed tables."""

    def __init__(self, db: FakeDatabase) -> None:
        self.db = db
        self.writes: dict[str, dict[Any, Any]] = defaultdict(dict)
        self.ended = asyncio.Event()

    def view(self, table: str) -> dict[Any, Any]:
        """Every row as this unit of work sees it (not copies: do not change them)."""
        rows = dict(self.db.tables[table])
        for key, row in self.writes.get(table, {}).items():
            if row is _GONE:
                rows.pop(key, None)
            else:
                rows[key] = row
        return rows

    def get(self, table: str, key: Any) -> Any:
        pending = self.writes.get(table, {})
        if key in pending:
            row = pending[key]
            return None if row is _GONE else row
        return self.db.tables[table].get(key)

    def put(self, table: str, key: Any, row: Any) -> None:
        self.writes[table][key] = _clone(row)

    def delete(self, table: str, key: Any) -> None:
        self.writes[table][key] = _GONE

    def _others(self) -> list[_Transaction]:
        return [tx for tx in self.db.open if tx is not self]

    def locked_by_other(self, table: str, key: Any) -> bool:
        return any(key in tx.writes.get(table, {}) for tx in self._others())

    async def lock(self, table: str, key: Any) -> None:
        """Wait while another unit of work has an uncommitted write to this row."""
        while True:
            holder = next((tx for tx in self._others() if key in tx.writes.get(table, {})), None)
            if holder is None:
                return
            await holder.ended.wait()

    async def exists(self, table: str, match: Callable[[Any, Any], bool]) -> bool:
        """A unique key check: is there a row matching `match`? An uncommitted one of
        another unit of work is waited for (committed: it counts; rolled back: not)."""
        while True:
            holder = next(
                (
                    tx
                    for tx in self._others()
                    if any(
                        row is not _GONE and match(key, row)
                        for key, row in tx.writes.get(table, {}).items()
                    )
                ),
                None,
            )
            if holder is None:
                return any(match(key, row) for key, row in self.view(table).items())
            await holder.ended.wait()

    def _end(self) -> None:
        self.writes = defaultdict(dict)
        ended, self.ended = self.ended, asyncio.Event()
        ended.set()

    def commit(self) -> None:
        for table, rows in self.writes.items():
            committed = self.db.tables[table]
            for key, row in rows.items():
                if row is _GONE:
                    committed.pop(key, None)
                else:
                    committed[key] = row
        self._end()

    def rollback(self) -> None:
        self._end()


class _Repository:
    def __init__(self, uow: FakeUnitOfWork) -> None:
        self._uow = uow

    async def _tx(self) -> _Transaction:
        """The open transaction, after one turn of the event loop (a round trip)."""
        tx = self._uow._open()
        await asyncio.sleep(0)
        return tx

    def _now(self) -> datetime:
        return self._uow.db.clock.now()

    async def _row(self, table: str, key: Any) -> Any:
        """A copy of row `key` of `table`, or None."""
        tx = await self._tx()
        return _clone(tx.get(table, key))

    async def _change_if(
        self, table: str, key: Any, allowed: Callable[[Any], bool], **changes: Any
    ) -> bool:
        """Lock row `key` of `table` and make the changes if it exists and is `allowed` (a
        conditional UPDATE): whether it did."""
        tx, row = await self._locked(table, key)
        if row is None or not allowed(row):
            return False
        tx.put(table, key, replace(row, **changes))
        return True

    async def _locked(self, table: str, key: Any) -> tuple[_Transaction, Any]:
        """The open transaction and row `key` of `table` (None if absent), locked first."""
        tx = await self._tx()
        await tx.lock(table, key)
        return tx, tx.get(table, key)

    async def _update(self, table: str, entity: Any, columns: str, *, missing: str) -> Any:
        """UPDATE `table` SET the (space-separated) `columns` from `entity` WHERE id matches;
        LookupError(`missing`) when there is no such row, as the SQL repository raises."""
        tx, row = await self._locked(table, entity.id)
        if row is None:
            raise LookupError(missing)
        row = replace(row, **{name: getattr(entity, name) for name in columns.split()})
        tx.put(table, row.id, row)
        return _clone(row)


def _sorted(rows: Iterable[Any], key: Callable[[Any], Any]) -> list[Any]:
    return [_clone(row) for row in sorted(rows, key=key)]


def _first_row(tx: _Transaction, table: str, test: Callable[[Any], bool]) -> Any:
    """A copy of the first row of `table` that passes `test`, or None."""
    found = [row for row in tx.view(table).values() if test(row)]
    return _clone(found[0]) if found else None


class FakeClients(_Repository):
    async def by_telegram_id(self, telegram_user_id: int) -> Client | None:
        tx = await self._tx()
        return self._by_telegram(tx, telegram_user_id)

    def _by_telegram(self, tx: _Transaction, telegram_user_id: int) -> Client | None:
        return _first_row(tx, "clients", lambda c: c.telegram_user_id == telegram_user_id)

    async def with_staff_record(self, telegram_user_id: int) -> tuple[Client | None, Staff | None]:
        tx = await self._tx()
        staff = [s for s in tx.view("staff").values() if s.telegram_user_id == telegram_user_id]
        return self._by_telegram(tx, telegram_user_id), (_clone(staff[0]) if staff else None)

    async def get(self, client_id: int) -> Client | None:
        return await self._row("clients", client_id)

    async def get_many(self, client_ids: Sequence[int]) -> dict[int, Client]:
        found = {}
        for client_id in client_ids:
            client = await self._row("clients", client_id)
            if client is not None:
                found[client_id] = client
        return found

    async def reassign(self, from_staff_id: int, to_staff_id: int | None) -> int:
        tx = await self._tx()
        ids = [c.id for c in tx.view("clients").values() if c.case_manager_id == from_staff_id]
        for client_id in ids:
            await tx.lock("clients", client_id)
        moved = 0
        for client_id in ids:
            client = tx.get("clients", client_id)
            if client is not None and client.case_manager_id == from_staff_id:
                tx.put("clients", client_id, replace(client, case_manager_id=to_staff_id))
                moved += 1
        return moved

    async def mark_unreachable(self, client_id: int, at: datetime) -> bool:
        return await self._change_if(
            "clients", client_id, lambda c: c.unreachable_at is None, unreachable_at=at
        )

    async def of_site(self, site_id: int) -> list[Client]:
        tx = await self._tx()
        rows = [
            c
            for c in tx.view("clients").values()
            if c.site_id == site_id and c.consented_at is not None
        ]
        return _sorted(rows, key=lambda c: c.id)

    async def of_case_managers(self, site_id: int, staff_ids: Collection[int]) -> list[Client]:
        wanted = set(staff_ids)
        return [c for c in await self.of_site(site_id) if c.case_manager_id in wanted]

    async def add(self, client: Client) -> Client:
        tx = await self._tx()
        tid = client.telegram_user_id
        if await tx.exists("clients", lambda _, c: c.telegram_user_id == tid):
            raise DuplicateError("client")
        row = replace(
            client,
            id=self._uow.db.next_id("clients"),
            created_at=client.created_at or self._now(),
            unreachable_at=None,  # not written by SqlClients.add
            last_seen_at=None,
        )
        tx.put("clients", row.id, row)
        return _clone(row)

    async def update(self, client: Client) -> Client:
        # The columns SqlClients.update writes (not the Telegram id, nor last_seen_at).
        columns = "chat_id locale start_code consent_version consented_at site_id"
        columns += " case_manager_id nickname phone unreachable_at"
        updated: Client = await self._update("clients", client, columns, missing="client")
        return updated

    async def delete(self, client_id: int) -> None:
        tx = await self._tx()
        if tx.get("clients", client_id) is None:
            return
        tx.delete("clients", client_id)
        # ON DELETE CASCADE: appointments (and their reminders) and notes; the audit
        # keeps its rows, unlinked (SET NULL).
        gone = [k for k, a in tx.view("appointments").items() if a.client_id == client_id]
        for key in gone:
            tx.delete("appointments", key)
        for key, reminder in tx.view("reminders").items():
            if reminder.appointment_id in gone:
                tx.delete("reminders", key)
        for key, note in tx.view("notes").items():
            if note.client_id == client_id:
                tx.delete("notes", key)
        for key, entry in tx.view("audit").items():
            if entry.client_id == client_id:
                tx.put("audit", key, replace(entry, client_id=None))
        tx.delete("retention_warned", client_id)


class FakeSites(_Repository):
    async def by_slug(self, slug: str) -> Site | None:
        return _first_row(await self._tx(), "sites", lambda s: s.slug == slug)

    async def get(self, site_id: int) -> Site | None:
        return await self._row("sites", site_id)

    async def add(self, site: Site) -> Site:
        tx = await self._tx()
        if await tx.exists("sites", lambda _, s: s.slug == site.slug):
            raise DuplicateError("site")
        row = replace(site, id=self._uow.db.next_id("sites"))
        tx.put("sites", row.id, row)
        return _clone(row)

    async def list(self) -> list[Site]:
        tx = await self._tx()
        return _sorted(tx.view("sites").values(), key=lambda s: s.slug)


class FakeStaff(_Repository):
    async def by_telegram_id(self, telegram_user_id: int) -> Staff | None:
        tid = telegram_user_id
        return _first_row(await self._tx(), "staff", lambda s: s.telegram_user_id == tid)

    async def get(self, staff_id: int) -> Staff | None:
        return await self._row("staff", staff_id)

    async def add(self, staff: Staff) -> Staff:
        tx = await self._tx()
        tid = staff.telegram_user_id
        if tid is not None and await tx.exists("staff", lambda _, s: s.telegram_user_id == tid):
            raise DuplicateError("staff")
        row = replace(staff, id=self._uow.db.next_id("staff"))
        tx.put("staff", row.id, row)
        return _clone(row)

    async def update(self, staff: Staff) -> Staff:
        # The columns SqlStaff.update writes: not the Telegram id.
        columns = "site_id role locale languages active display_name"
        updated: Staff = await self._update("staff", staff, columns, missing="staff")
        return updated

    async def active_of_site(self, site_id: int) -> list[Staff]:
        tx = await self._tx()
        rows = [s for s in tx.view("staff").values() if s.site_id == site_id and s.active]
        return _sorted(rows, key=lambda s: s.id)

    async def of_site(self, site_id: int) -> list[Staff]:
        tx = await self._tx()
        rows = [s for s in tx.view("staff").values() if s.site_id == site_id]
        return _sorted(rows, key=lambda s: s.id)

    async def all_active(self) -> list[Staff]:
        tx = await self._tx()
        return _sorted([s for s in tx.view("staff").values() if s.active], key=lambda s: s.id)


class FakeProcessedUpdates(_Repository):
    async def claim(self, bot_id: int, update_id: int, at: datetime) -> bool:
        tx = await self._tx()
        key = (bot_id, update_id)
        if await tx.exists("processed_updates", lambda k, _: k == key):
            return False  # ON CONFLICT DO NOTHING
        tx.put("processed_updates", key, at)
        return True

    async def purge_older_than(self, before: datetime) -> int:
        tx = await self._tx()
        old = [k for k, at in tx.view("processed_updates").items() if at < before]
        for key in old:
            tx.delete("processed_updates", key)
        return len(old)


@dataclass
class _Conversation:
    telegram_user_id: int
    state: str | None
    data: dict[str, Any]
    updated_at: datetime


class FakeConversations(_Repository):
    async def get(self, key: str) -> tuple[str | None, dict[str, Any]]:
        tx = await self._tx()
        row = tx.get("conversations", key)
        if row is None:
            return None, {}
        return row.state, copy.deepcopy(row.data)

    async def put(self, key: str, state: str | None, data: dict[str, Any], at: datetime) -> None:
        tx = await self._tx()
        if state is None and not data:
            tx.delete("conversations", key)
            return
        parts = key.split(":")
        try:
            user = int(parts[2])
        except (IndexError, ValueError):
            user = 0
        tx.put("conversations", key, _Conversation(user, state, dict(data), at))

    async def delete_for_user(self, telegram_user_id: int) -> None:
        tx = await self._tx()
        for key, row in tx.view("conversations").items():
            if row.telegram_user_id == telegram_user_id:
                tx.delete("conversations", key)


class FakeHours(_Repository):
    async def for_staff(self, staff_ids: list[int]) -> list[WeeklyHours]:
        tx = await self._tx()
        rows = [h for h in tx.view("hours").values() if h.staff_id in staff_ids]
        return _sorted(rows, key=lambda h: (h.weekday, h.start, h.id))

    async def add(self, hours: WeeklyHours) -> WeeklyHours:
        tx = await self._tx()
        row = replace(hours, id=self._uow.db.next_id("hours"))
        tx.put("hours", row.id, row)
        return _clone(row)

    async def remove(self, hours_id: int) -> None:
        tx = await self._tx()
        if tx.get("hours", hours_id) is not None:
            tx.delete("hours", hours_id)

    async def clear(self, staff_id: int) -> int:
        tx = await self._tx()
        keys = [k for k, h in tx.view("hours").items() if h.staff_id == staff_id]
        for key in keys:
            tx.delete("hours", key)
        return len(keys)


class FakeDaysOff(_Repository):
    async def for_staff(self, staff_ids: list[int], start: date, end: date) -> list[DayOff]:
        tx = await self._tx()
        rows = [
            d
            for d in tx.view("days_off").values()
            if d.staff_id in staff_ids and start <= d.day <= end
        ]
        return _sorted(rows, key=lambda d: (d.staff_id, d.day))

    async def add(self, day_off: DayOff) -> None:
        tx = await self._tx()
        key = (day_off.staff_id, day_off.day)
        if await tx.exists("days_off", lambda k, _: k == key):
            return  # already off that day
        tx.put("days_off", key, day_off)

    async def remove(self, day_off: DayOff) -> None:
        tx = await self._tx()
        key = (day_off.staff_id, day_off.day)
        if tx.get("days_off", key) is not None:
            tx.delete("days_off", key)


class FakeAppointments(_Repository):
    async def get(self, appointment_id: int) -> Appointment | None:
        return await self._row("appointments", appointment_id)

    @staticmethod
    def _slot_taken(staff_id: int, starts_at: datetime, other_than: int | None) -> Callable:
        # The partial unique index uq_appointments_booked_slot: (staff_id, starts_at)
        # among booked appointments.
        def match(key: Any, row: Appointment) -> bool:
            return (
                key != other_than
                and row.status is _BOOKED
                and row.staff_id == staff_id
                and row.starts_at == starts_at
            )

        return match

    async def add(self, appointment: Appointment, at: datetime) -> Appointment:
        tx = await self._tx()
        if appointment.status is _BOOKED and await tx.exists(
            "appointments", self._slot_taken(appointment.staff_id, appointment.starts_at, None)
        ):
            raise DuplicateError("slot")
        row = replace(
            appointment,
            id=self._uow.db.next_id("appointments"),
            cancel_reason=None,
            created_at=at,
            confirmed_at=None,
        )
        tx.put("appointments", row.id, row)
        return _clone(row)

    def _booked(self, tx: _Transaction) -> list[Appointment]:
        return [a for a in tx.view("appointments").values() if a.status is _BOOKED]

    async def booked_between(
        self, staff_ids: list[int], start: datetime, end: datetime
    ) -> list[tuple[int, datetime]]:
        tx = await self._tx()
        return [
            (a.staff_id, a.starts_at)
            for a in sorted(self._booked(tx), key=id_of)
            if a.staff_id in staff_ids and start <= a.starts_at <= end
        ]

    async def upcoming_for_client(self, client_id: int, now: datetime) -> list[Appointment]:
        tx = await self._tx()
        rows = [a for a in self._booked(tx) if a.client_id == client_id and a.ends_at > now]
        return _sorted(rows, key=lambda a: (a.starts_at, a.id))

    async def upcoming_for_staff(
        self, staff_id: int, start: datetime, end: datetime
    ) -> list[Appointment]:
        tx = await self._tx()
        rows = [
            a for a in self._booked(tx) if a.staff_id == staff_id and start <= a.starts_at < end
        ]
        return _sorted(rows, key=lambda a: (a.starts_at, a.id))

    async def next_for_clients(self, client_ids: list[int], now: datetime) -> dict[int, datetime]:
        tx = await self._tx()
        out: dict[int, datetime] = {}
        for a in self._booked(tx):
            if a.client_id in client_ids and a.ends_at > now:
                out[a.client_id] = min(out.get(a.client_id, a.starts_at), a.starts_at)
        return out

    async def of_staff_between(
        self, staff_id: int, start: datetime, end: datetime
    ) -> list[Appointment]:
        tx = await self._tx()
        rows = [
            a
            for a in tx.view("appointments").values()
            if a.staff_id == staff_id and start <= a.starts_at < end
        ]
        return _sorted(rows, key=lambda a: (a.starts_at, a.id))

    async def count_open_for_client(self, client_id: int, now: datetime) -> int:
        tx = await self._tx()
        return sum(1 for a in self._booked(tx) if a.client_id == client_id and a.ends_at > now)

    async def reschedule(self, appointment_id: int, slot: Slot, at: datetime) -> Appointment | None:
        tx, row = await self._locked("appointments", appointment_id)
        if row is None or row.status is not _BOOKED:
            return None
        if await tx.exists(
            "appointments", self._slot_taken(slot.staff_id, slot.starts_at, appointment_id)
        ):
            raise DuplicateError("slot")
        row = replace(
            tx.get("appointments", appointment_id),
            staff_id=slot.staff_id,
            starts_at=slot.starts_at,
            ends_at=slot.ends_at,
            mode=slot.mode,
            address=slot.address,
            confirmed_at=None,
            revision=row.revision + 1,
        )
        tx.put("appointments", appointment_id, row)
        return _clone(row)

    async def confirm(self, appointment_id: int, at: datetime) -> bool:
        return await self._change_if(
            "appointments", appointment_id, lambda a: a.status is _BOOKED, confirmed_at=at
        )

    async def set_status(
        self,
        appointment_id: int,
        status: AppointmentStatus,
        at: datetime,
        reason: str | None = None,
    ) -> Appointment | None:
        tx, row = await self._locked("appointments", appointment_id)
        if row is None or row.status is not _BOOKED:
            return None
        row = replace(row, status=status, cancel_reason=reason, revision=row.revision + 1)
        tx.put("appointments", appointment_id, row)
        return _clone(row)

    async def remember_calendar_file(
        self, appointment_id: int, message_id: int, at: datetime
    ) -> None:
        await self._change_if(
            "appointments",
            appointment_id,
            lambda a: True,
            calendar_message_id=message_id,
            calendar_sent_at=at,
        )


class FakeInvites(_Repository):
    async def add_staff_invite(self, invite: StaffInvite, at: datetime) -> None:
        tx = await self._tx()
        if await tx.exists("staff_invites", lambda k, _: k == invite.code):
            raise DuplicateError("invite")
        row = StaffInviteRecord(replace(invite, used_at=None), at)
        tx.put("staff_invites", invite.code, row)

    async def staff_invite(self, code: str) -> StaffInvite | None:
        tx = await self._tx()
        row = tx.get("staff_invites", code)
        return _clone(row.invite) if row else None

    async def use_staff_invite(self, code: str, staff_id: int, at: datetime) -> bool:
        tx, row = await self._locked("staff_invites", code)
        if row is None or row.invite.used_at is not None:
            return False
        tx.put(
            "staff_invites",
            code,
            StaffInviteRecord(replace(row.invite, used_at=at), row.created_at, staff_id),
        )
        return True

    async def add_client_invite(self, invite: ClientInvite, at: datetime) -> None:
        tx = await self._tx()
        if await tx.exists("client_invites", lambda k, _: k == invite.code):
            raise DuplicateError("invite")
        tx.put("client_invites", invite.code, replace(invite, used_at=None))

    async def client_invite(self, code: str) -> ClientInvite | None:
        return await self._row("client_invites", code)

    async def use_client_invite(self, code: str, at: datetime) -> bool:
        return await self._change_if(
            "client_invites", code, lambda i: i.used_at is None, used_at=at
        )


class FakeReminders(_Repository):
    async def schedule(
        self, appointment_id: int, plan: list[tuple[str, datetime | None]], at: datetime
    ) -> None:
        tx = await self._tx()
        existing = {
            r.kind: r for r in tx.view("reminders").values() if r.appointment_id == appointment_id
        }
        for row in existing.values():
            await tx.lock("reminders", row.id)
        existing = {
            r.kind: r for r in tx.view("reminders").values() if r.appointment_id == appointment_id
        }
        for kind, due in plan:
            status = _PENDING if due is not None else ReminderStatus.SKIPPED
            row = existing.get(kind)
            if row is None:
                ident = self._uow.db.next_id("reminders")
                tx.put(
                    "reminders",
                    ident,
                    ReminderRecord(ident, appointment_id, kind, due or at, status, created_at=at),
                )
                continue
            tx.put(
                "reminders",
                row.id,
                replace(
                    row,
                    due_at=due or row.due_at,
                    status=status,
                    attempts=0,
                    lease_until=None,
                    claim_token=None,
                    sent_at=None,
                ),
            )

    async def cancel_for(self, appointment_id: int) -> None:
        tx = await self._tx()
        cancellable = (_PENDING, _SENDING, ReminderStatus.SKIPPED)
        keys = [k for k, r in tx.view("reminders").items() if r.appointment_id == appointment_id]
        for key in keys:
            await tx.lock("reminders", key)
        for key in keys:
            row = tx.get("reminders", key)
            if row is not None and row.status in cancellable:
                tx.put(
                    "reminders",
                    key,
                    replace(
                        row, status=ReminderStatus.CANCELLED, lease_until=None, claim_token=None
                    ),
                )

    async def claim_due(
        self, now: datetime, lease_until: datetime, token: str, limit: int
    ) -> list[int]:
        tx = await self._tx()
        due = sorted(
            (
                r
                for k, r in tx.view("reminders").items()
                if not tx.locked_by_other("reminders", k)  # SKIP LOCKED
                and (
                    (r.status is _PENDING and r.due_at <= now)
                    or (r.status is _SENDING and r.lease_until is not None and r.lease_until < now)
                )
            ),
            key=lambda r: (r.due_at, r.id),
        )[:limit]
        for row in due:
            tx.put(
                "reminders",
                row.id,
                replace(
                    row,
                    status=_SENDING,
                    lease_until=lease_until,
                    claim_token=token,
                ),
            )
        return sorted(r.id for r in due)

    async def jobs(self, reminder_ids: list[int], token: str) -> list[ReminderJob]:
        tx = await self._tx()
        rows = sorted(
            (
                r
                for r in tx.view("reminders").values()
                if r.id in reminder_ids and r.claim_token == token
            ),
            key=lambda r: (r.due_at, r.id),
        )
        jobs = []
        for row in rows:
            appointment = tx.get("appointments", row.appointment_id)
            client = appointment and tx.get("clients", appointment.client_id)
            staff = appointment and tx.get("staff", appointment.staff_id)
            if appointment is None or client is None or staff is None:
                continue  # inner joins
            jobs.append(
                ReminderJob(
                    reminder_id=row.id,
                    kind=row.kind,
                    claim_token=token,
                    attempts=row.attempts,
                    appointment=_clone(appointment),
                    client=_clone(client),
                    staff=_clone(staff),
                    due_at=row.due_at,
                )
            )
        return jobs

    async def finish(
        self,
        reminder_id: int,
        token: str,
        status: ReminderStatus,
        at: datetime,
        *,
        due_at: datetime | None = None,
    ) -> bool:
        tx, row = await self._locked("reminders", reminder_id)
        if row is None or row.claim_token != token or row.status is not _SENDING:
            return False
        row = replace(row, status=status, lease_until=None, claim_token=None)
        if status is ReminderStatus.SENT:
            row.sent_at = at
        if due_at is not None:
            row.due_at = due_at
        if status is _PENDING:
            row.attempts += 1
        tx.put("reminders", reminder_id, row)
        return True

    async def _held(self, token: str) -> list[tuple[Any, ReminderRecord]]:
        tx = await self._tx()
        keys = [
            k
            for k, r in tx.view("reminders").items()
            if r.claim_token == token and r.status is _SENDING
        ]
        held = []
        for key in keys:
            _, row = await self._locked("reminders", key)
            if row is not None and row.claim_token == token and row.status is _SENDING:
                held.append((key, row))
        return held

    async def renew(self, token: str, lease_until: datetime) -> int:
        tx = await self._tx()
        held = await self._held(token)
        for key, row in held:
            tx.put("reminders", key, replace(row, lease_until=lease_until))
        return len(held)

    async def release(self, token: str, reminder_ids: list[int]) -> int:
        tx = await self._tx()
        held = [(k, r) for k, r in await self._held(token) if r.id in reminder_ids]
        for key, row in held:
            tx.put(
                "reminders",
                key,
                replace(row, status=_PENDING, lease_until=None, claim_token=None),
            )
        return len(held)

    async def expired_among(self, appointment_ids: Sequence[int]) -> set[int]:
        tx = await self._tx()
        wanted = set(appointment_ids)
        return {
            r.appointment_id
            for r in tx.view("reminders").values()
            if r.appointment_id in wanted and r.status is ReminderStatus.EXPIRED
        }

    async def release_owner(self, owner: str) -> int:
        tx = await self._tx()
        tokens = {
            r.claim_token
            for r in tx.view("reminders").values()
            if r.claim_token and r.claim_token.startswith(f"{owner}-") and r.status is _SENDING
        }
        released = 0
        for token in tokens:
            for key, row in await self._held(token):
                tx.put(
                    "reminders",
                    key,
                    replace(row, status=_PENDING, lease_until=None, claim_token=None),
                )
                released += 1
        return released

    async def for_appointment(self, appointment_id: int) -> list[tuple[str, datetime, str]]:
        tx = await self._tx()
        rows = sorted(
            (r for r in tx.view("reminders").values() if r.appointment_id == appointment_id),
            key=lambda r: (r.due_at, r.id),
        )
        return [(r.kind, r.due_at, r.status.value) for r in rows]


class FakeDigests(_Repository):
    async def claim(self, staff_id: int, day: date, at: datetime) -> bool:
        tx = await self._tx()
        key = (staff_id, day)
        if await tx.exists("digests", lambda k, _: k == key):
            return False
        tx.put("digests", key, at)
        return True


class FakeNotes(_Repository):
    """Notes in plain text (storage encrypts them; that is tested on SQLite)."""

    def _versions(self, tx: _Transaction, note_id: int) -> int:
        return sum(1 for v in tx.view("note_versions").values() if v.note_id == note_id)

    def _out(self, tx: _Transaction, row: Note) -> Note:
        return replace(_clone(row), versions=self._versions(tx, id_of(row)))

    async def add(self, note: Note, at: datetime) -> Note:
        tx = await self._tx()
        row = replace(
            note,
            id=self._uow.db.next_id("notes"),
            life_areas=list(note.life_areas),
            created_at=at,
            updated_at=at,
            versions=0,
        )
        tx.put("notes", row.id, row)
        return _clone(row)

    async def get(self, note_id: int) -> Note | None:
        tx = await self._tx()
        row = tx.get("notes", note_id)
        return self._out(tx, row) if row else None

    async def for_client(self, client_id: int, limit: int, offset: int) -> tuple[list[Note], int]:
        tx = await self._tx()
        rows = sorted(
            (n for n in tx.view("notes").values() if n.client_id == client_id),
            key=lambda n: (n.created_at, n.id),
            reverse=True,
        )
        return [self._out(tx, n) for n in rows[offset : offset + limit]], len(rows)

    async def replace(
        self,
        note_id: int,
        *,
        body: str,
        life_areas: list[LifeArea],
        phase: NotePhase | None,
        at: datetime,
    ) -> Note | None:
        tx, row = await self._locked("notes", note_id)
        if row is None:
            return None
        ident = self._uow.db.next_id("note_versions")
        tx.put(
            "note_versions",
            ident,
            NoteVersionRecord(
                ident, note_id, row.body, list(row.life_areas), row.phase, row.updated_at, at
            ),
        )
        row = replace(row, body=body, life_areas=list(life_areas), phase=phase, updated_at=at)
        tx.put("notes", note_id, row)
        return self._out(tx, row)

    async def delete(self, note_id: int) -> bool:
        tx = await self._tx()
        await tx.lock("notes", note_id)
        if tx.get("notes", note_id) is None:
            return False
        tx.delete("notes", note_id)
        for key, version in tx.view("note_versions").items():
            if version.note_id == note_id:
                tx.delete("note_versions", key)
        return True

    async def last_written(self, client_ids: list[int]) -> dict[int, datetime]:
        tx = await self._tx()
        out: dict[int, datetime] = {}
        for n in tx.view("notes").values():
            if n.client_id in client_ids:
                out[n.client_id] = max(out.get(n.client_id, n.created_at), n.created_at)
        return out

    async def recent_clients(self, author_id: int, limit: int) -> list[int]:
        tx = await self._tx()
        last: dict[int, datetime] = {}
        for n in tx.view("notes").values():
            if n.author_id == author_id:
                last[n.client_id] = max(last.get(n.client_id, n.created_at), n.created_at)
        return sorted(last, key=lambda c: last[c], reverse=True)[:limit]

    def seal(self, text: str) -> str:
        # Not encryption (that is tested on SQLite), but never the plain text either.
        return base64.urlsafe_b64encode(text.encode("utf-8")).decode("ascii")

    def unseal(self, token: str) -> str:
        try:
            return base64.urlsafe_b64decode(token.encode("ascii")).decode("utf-8")
        except (ValueError, UnicodeError) as exc:
            raise SealBrokenError() from exc


class FakeAudit(_Repository):
    async def record(self, entry: AuditEntry) -> None:
        tx = await self._tx()
        ident = self._uow.db.next_id("audit")
        tx.put("audit", ident, replace(entry, id=ident))

    async def for_site(self, site_id: int, since: datetime | None) -> list[AuditEntry]:
        tx = await self._tx()
        rows = [
            e
            for e in tx.view("audit").values()
            if e.site_id == site_id and (since is None or e.at >= since)
        ]
        return _sorted(rows, key=lambda e: (e.at, e.id))

    async def search(
        self, query: AuditQuery, limit: int, offset: int
    ) -> tuple[list[AuditEntry], int]:
        tx = await self._tx()
        rows = [
            e
            for e in tx.view("audit").values()
            if e.site_id == query.site_id
            and query.staff_id in (None, e.staff_id)
            and query.client_id in (None, e.client_id)
            and query.action in (None, e.action)
            and (query.start is None or e.at >= query.start)
            and (query.end is None or e.at < query.end)
        ]
        newest = _sorted(rows, key=lambda e: (e.at, e.id))[::-1]
        return newest[offset : offset + limit], len(newest)

    async def actions(self, site_id: int) -> list[str]:
        tx = await self._tx()
        return sorted({e.action for e in tx.view("audit").values() if e.site_id == site_id})


class FakeDeputies(_Repository):
    async def add(
        self, staff_id: int, deputy_id: int, starts_on: date, ends_on: date, at: datetime
    ) -> int:
        tx = await self._tx()
        ident = self._uow.db.next_id("deputies")
        tx.put("deputies", ident, DeputyRecord(ident, staff_id, deputy_id, starts_on, ends_on, at))
        return ident

    def _on(self, tx: _Transaction, day: date) -> list[DeputyRecord]:
        return [d for d in tx.view("deputies").values() if d.starts_on <= day <= d.ends_on]

    async def covered_by(self, deputy_id: int, day: date) -> list[int]:
        tx = await self._tx()
        return sorted({d.staff_id for d in self._on(tx, day) if d.deputy_id == deputy_id})

    async def deputies_of(self, staff_id: int, day: date) -> list[int]:
        tx = await self._tx()
        return sorted({d.deputy_id for d in self._on(tx, day) if d.staff_id == staff_id})

    async def of_staff(self, staff_id: int, from_day: date) -> list[tuple[int, int, date, date]]:
        tx = await self._tx()
        rows = sorted(
            (
                d
                for d in tx.view("deputies").values()
                if d.staff_id == staff_id and d.ends_on >= from_day
            ),
            key=lambda d: (d.starts_on, d.id),
        )
        return [(d.id, d.deputy_id, d.starts_on, d.ends_on) for d in rows]

    async def remove(self, deputy_row_id: int, staff_id: int) -> bool:
        tx, row = await self._locked("deputies", deputy_row_id)
        if row is None or row.staff_id != staff_id:
            return False
        tx.delete("deputies", deputy_row_id)
        return True


class FakeMessageDeletions(_Repository):
    async def schedule(self, chat_id: int, message_id: int, at: datetime) -> None:
        tx = await self._tx()
        ident = self._uow.db.next_id("deletions")
        tx.put("deletions", ident, (ident, chat_id, message_id, at))

    async def due(self, now: datetime, limit: int) -> list[tuple[int, int, int]]:
        tx = await self._tx()
        rows = sorted(
            (r for r in tx.view("deletions").values() if r[3] <= now), key=lambda r: (r[3], r[0])
        )
        return [(ident, chat, message) for ident, chat, message, _ in rows[:limit]]

    async def finish(self, row_ids: list[int]) -> None:
        tx = await self._tx()
        for ident in row_ids:
            if tx.get("deletions", ident) is not None:
                tx.delete("deletions", ident)

    async def postpone(self, row_ids: list[int], until: datetime) -> None:
        tx = await self._tx()
        for ident in row_ids:
            row = tx.get("deletions", ident)
            if row is not None:
                tx.put("deletions", ident, (*row[:3], until))


@dataclass
class ConsoleLinkRecord:
    """A row of `console_links` (storage.console_models.ConsoleLinkRow)."""

    staff_id: int
    expires_at: datetime
    used_at: datetime | None = None


class FakeConsole(_Repository):
    async def add_link(
        self, digest: str, staff_id: int, expires_at: datetime, at: datetime
    ) -> None:
        tx = await self._tx()
        if await tx.exists("console_links", lambda key, _: key == digest):
            raise DuplicateError("console link")
        tx.put("console_links", digest, ConsoleLinkRecord(staff_id, expires_at))

    async def use_link(self, digest: str, at: datetime) -> int | None:
        tx, row = await self._locked("console_links", digest)
        if row is None or row.used_at is not None or row.expires_at <= at:
            return None
        tx.put("console_links", digest, replace(row, used_at=at))
        return int(row.staff_id)

    async def add_session(self, digest: str, staff_id: int, at: datetime) -> None:
        tx = await self._tx()
        if await tx.exists("console_sessions", lambda key, _: key == digest):
            raise DuplicateError("console session")
        tx.put("console_sessions", digest, ConsoleSession(staff_id, at, at))

    async def session(self, digest: str) -> ConsoleSession | None:
        return cast(ConsoleSession | None, await self._row("console_sessions", digest))

    async def touch_session(self, digest: str, at: datetime) -> None:
        tx, row = await self._locked("console_sessions", digest)
        if row is not None:
            tx.put("console_sessions", digest, replace(row, last_seen_at=at))

    async def end_session(self, digest: str) -> bool:
        tx, row = await self._locked("console_sessions", digest)
        if row is not None:
            tx.delete("console_sessions", digest)
        return row is not None

    async def end_sessions_of(self, staff_id: int) -> int:
        tx = await self._tx()
        keys = [k for k, s in tx.view("console_sessions").items() if s.staff_id == staff_id]
        for key in keys:
            tx.delete("console_sessions", key)
        return len(keys)

    async def open_sessions(self, seen_since: datetime) -> int:
        tx = await self._tx()
        return sum(1 for s in tx.view("console_sessions").values() if s.last_seen_at >= seen_since)

    async def purge(self, *, links_before: datetime, sessions_before: datetime) -> int:
        tx = await self._tx()
        links = [k for k, r in tx.view("console_links").items() if r.expires_at < links_before]
        sessions = [
            k for k, s in tx.view("console_sessions").items() if s.last_seen_at < sessions_before
        ]
        for key in links:
            tx.delete("console_links", key)
        for key in sessions:
            tx.delete("console_sessions", key)
        return len(links) + len(sessions)

    async def add_upload(
        self, digest: str, session_digest: str, name: str, data: bytes, at: datetime
    ) -> None:
        tx = await self._tx()
        if await tx.exists("console_uploads", lambda key, _: key == digest):
            raise DuplicateError("console upload")
        tx.put("console_uploads", digest, (session_digest, name, data, at))

    async def upload(self, digest: str, session_digest: str) -> tuple[str, bytes] | None:
        row = await self._row("console_uploads", digest)
        if row is None or row[0] != session_digest:
            return None
        return str(row[1]), bytes(row[2])

    async def drop_uploads(self, *, digest: str | None = None, before: datetime) -> None:
        tx = await self._tx()
        gone = [k for k, r in tx.view("console_uploads").items() if k == digest or r[3] < before]
        for key in gone:
            tx.delete("console_uploads", key)


class NotFaked:
    """A repository the fake leaves out: any call raises NotImplementedError."""

    def __init__(self, name: str) -> None:
        self._name = name

    def __getattr__(self, method: str) -> Callable[..., Any]:
        if method.startswith("__"):
            raise AttributeError(method)

        async def refuse(*args: Any, **kwargs: Any) -> Any:
            raise NotImplementedError(f"the fake unit of work has no {self._name}.{method}")

        return refuse


class FakePrivacy(NotFaked, _Repository):
    """Only what the update and retention services write on every update."""

    def __init__(self, uow: FakeUnitOfWork) -> None:
        NotFaked.__init__(self, "privacy")
        _Repository.__init__(self, uow)

    async def touch(self, client_id: int, at: datetime) -> None:
        tx, row = await self._locked("clients", client_id)
        if row is None:
            return
        if row.last_seen_at is None or row.last_seen_at < at - timedelta(days=1):
            tx.put("clients", client_id, replace(row, last_seen_at=at))
            tx.delete("retention_warned", client_id)

    async def mark_warned(self, client_id: int, at: datetime) -> bool:
        tx = await self._tx()
        if tx.get("clients", client_id) is None:
            return False
        if await tx.exists("retention_warned", lambda k, _: k == client_id):
            return False
        tx.put("retention_warned", client_id, at)
        return True


class FakeLater(NotFaked, _Repository):
    """Only what erasure, deactivation and a stopping ticker ask of the outbox of answers
    sent later (it holds none)."""

    def __init__(self, uow: FakeUnitOfWork) -> None:
        NotFaked.__init__(self, "later")
        _Repository.__init__(self, uow)

    async def delete_for_client(self, client_id: int) -> int:
        await self._tx()
        return 0  # the fake holds no answers

    async def cancel_of_staff(self, staff_id: int, at: datetime) -> int:
        await self._tx()
        return 0  # the fake holds no answers

    async def release_owner(self, owner: str) -> int:
        await self._tx()
        return 0  # the fake holds no answers

    async def claim_due(
        self, now: datetime, lease_until: datetime, token: str, limit: int
    ) -> list[int]:
        await self._tx()
        return []  # the fake holds no answers


class FakeWaitlist(NotFaked, _Repository):
    """Only the domain events the booking and hours services write: freed and taken times
    (the fake holds no offers)."""

    def __init__(self, uow: FakeUnitOfWork) -> None:
        NotFaked.__init__(self, "waitlist")
        _Repository.__init__(self, uow)

    async def record_freed(self, freed: FreedTimes) -> None:
        tx = await self._tx()
        stamped = replace(freed, at=freed.at or self._now())
        tx.put("waitlist_freed", self._uow.db.next_id("waitlist_freed"), stamped)

    async def others_lost(
        self, staff_id: int, starts_at: datetime, except_id: int | None, due_at: datetime
    ) -> int:
        await self._tx()
        return 0  # the fake holds no offers


class FakeUnitOfWork:
    """Implements bot.ports.UnitOfWork in memory; see the module's docstring."""

    def __init__(self, db: FakeDatabase) -> None:
        self.db = db
        self.committed = False
        self.rolled_back = False  # rollback() was called (leaving without commit is not counted)
        self._txn: _Transaction | None = None
        self.clients = FakeClients(self)
        self.sites = FakeSites(self)
        self.staff = FakeStaff(self)
        self.updates = FakeProcessedUpdates(self)
        self.conversations = FakeConversations(self)
        self.hours = FakeHours(self)
        self.days_off = FakeDaysOff(self)
        self.appointments = FakeAppointments(self)
        self.invites = FakeInvites(self)
        self.reminders = FakeReminders(self)
        self.digests = FakeDigests(self)
        self.notes = FakeNotes(self)
        self.audit = FakeAudit(self)
        self.deputies = FakeDeputies(self)
        self.deletions = FakeMessageDeletions(self)
        self.console = FakeConsole(self)
        self.privacy: PrivacyRepository = cast(PrivacyRepository, FakePrivacy(self))
        self.waitlist: WaitlistRepository = cast(WaitlistRepository, FakeWaitlist(self))
        self.offers: OfferRepository = cast(OfferRepository, NotFaked("offers"))
        self.relay: RelayRepository = cast(RelayRepository, NotFaked("relay"))
        self.referrals: ReferralRepository = cast(ReferralRepository, NotFaked("referrals"))
        self.later: LaterRepository = cast(LaterRepository, FakeLater(self))
        self.ready_replies: ReadyReplyRepository = cast(
            ReadyReplyRepository, NotFaked("ready_replies")
        )
        self.announcements: AnnouncementRepository = cast(
            AnnouncementRepository, NotFaked("announcements")
        )

    def _open(self) -> _Transaction:
        if self._txn is None:
            raise RuntimeError("a unit of work is used inside `async with` only")
        return self._txn

    async def __aenter__(self) -> FakeUnitOfWork:
        self._txn = _Transaction(self.db)
        self.db.open.append(self._txn)
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        assert self._txn is not None
        try:
            self._txn.rollback()
        finally:
            self.db.open.remove(self._txn)
            self._txn = None

    async def commit(self) -> None:
        self._open().commit()
        self.committed = True
        self.db.commits += 1

    async def rollback(self) -> None:
        self._open().rollback()
        self.rolled_back = True


class FakeUnitOfWorkFactory:
    """A UnitOfWorkFactory: each call is a fresh unit of work on the same database."""

    def __init__(self, db: FakeDatabase | None = None, *, clock: Clock | None = None) -> None:
        self.db = db or FakeDatabase(clock)
        self.made: list[FakeUnitOfWork] = []

    def __call__(self) -> FakeUnitOfWork:
        uow = FakeUnitOfWork(self.db)
        self.made.append(uow)
        return uow

    @property
    def last(self) -> FakeUnitOfWork:
        return self.made[-1]
