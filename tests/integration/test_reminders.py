"""Reminders on a real database (SQLite; PostgreSQL with TEST_DATABASE_URL): claiming,
sending, leases and two dispatchers. How a booking plans its reminders is tested on the
fake unit of work (tests/unit/test_reminders_service.py)."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, time, timedelta
from functools import partial

import pytest
from sqlalchemy import insert, select

from bot.domain import Mode, Staff
from bot.reminder_schedule import QuietHours
from bot.services import staff as staff_service
from bot.services.reminders import (
    BATCH,
    DispatchReport,
    Outcome,
    SendResult,
    dispatch_due,
    send_agendas,
)
from storage.models import AppointmentRow, ClientRow, ReminderRow
from tests.fakes import FakeNotifier
from tests.helpers import id_of
from tests.integration.conftest import Db
from tests.unit.service_setup import BERLIN, add_client, add_staff
from tests.unit.service_setup import POLICY as BOOKING

#: service_setup's policy, with a reminder 24 h and 2 h ahead and quiet nights.
POLICY = replace(
    BOOKING,
    reminder_offsets=(timedelta(hours=24), timedelta(hours=2)),
    quiet=QuietHours(time(21), time(8), BERLIN),
)
#: Now is Wed 25 Nov 10:00 Berlin; the appointments are on Friday 10:00 and 11:00.
FRIDAY_10 = datetime(2026, 11, 27, 9, 0, tzinfo=UTC)
FRIDAY_11 = datetime(2026, 11, 27, 10, 0, tzinfo=UTC)


@dataclass(frozen=True)
class Office:
    """Anna, working every day 06:00-22:00 by phone, and her clients (Telegram ids 100...)."""

    db: Db
    thm: Staff
    clients: list[int]
    sender: FakeNotifier

    async def book(self, *starts: datetime) -> None:
        for starts_at in starts:
            await self.db.book(self.clients[0], id_of(self.thm), starts_at, policy=POLICY)

    async def dispatch(self, batch: int = BATCH) -> DispatchReport:
        return await dispatch_due(
            self.db.uow_factory, self.db.clock, self.sender, POLICY, batch=batch
        )

    async def statuses(self) -> list[tuple[str, datetime, str]]:
        rows = await self.db.rows(select(ReminderRow).order_by(ReminderRow.due_at))
        return [(r.kind, r.due_at, r.status) for r in rows]


async def _office(db: Db, clients: int) -> Office:
    thm = await add_staff(db.uow_factory, db.clock, telegram_user_id=900, name="Anna")
    every_day = partial(
        staff_service.add_hours,
        db.uow_factory,
        staff_id=id_of(thm),
        start=time(6),
        end=time(22),
        slot_minutes=30,
        mode=Mode.PHONE,
    )
    for weekday in range(7):
        await every_day(weekday=weekday)
    people = [
        await add_client(
            db.uow_factory,
            db.clock,
            telegram_user_id=100 + n,
            site_id=thm.site_id,
            case_manager_id=thm.id,  # already Anna's
        )
        for n in range(clients)
    ]
    return Office(db, thm, [id_of(p) for p in people], FakeNotifier())


@pytest.fixture
async def office(db: Db) -> Office:
    return await _office(db, clients=2)


async def test_dispatch_sends_due_ones_once_and_respects_quiet_hours(office: Office) -> None:
    clock = office.db.clock
    await office.book(FRIDAY_10)
    assert (await office.dispatch()).sent == 0  # nothing due yet
    clock.current = datetime(2026, 11, 26, 9, 0, 10, tzinfo=UTC)
    report = await office.dispatch()
    assert report.sent == 1 and sum(office.sender.sent.values()) == 1
    assert (await office.dispatch()).sent == 0  # not again
    # Downtime across the 2 h reminder's due time: sent at the next tick, as the
    # appointment is still ahead and it is not quiet.
    clock.current = datetime(2026, 11, 27, 8, 30, tzinfo=UTC)
    assert (await office.dispatch()).sent == 1
    assert {status for *_, status in await office.statuses()} == {"sent"}


async def test_after_downtime_into_quiet_hours_or_past_the_appointment_it_is_skipped(
    office: Office,
) -> None:
    await office.book(FRIDAY_10)
    office.db.clock.current = datetime(2026, 11, 26, 22, 30, tzinfo=UTC)  # 23:30 Berlin: quiet
    report = await office.dispatch()
    assert report.skipped == 1 and report.sent == 0  # the 24 h one, now in quiet hours
    office.db.clock.current = datetime(2026, 11, 27, 10, 0, tzinfo=UTC)  # after the appointment
    report = await office.dispatch()
    assert report.skipped == 1 and not office.sender.sent


async def test_retry_after_reschedules_and_never_drops(office: Office) -> None:
    clock = office.db.clock
    await office.book(FRIDAY_10)
    clock.current = datetime(2026, 11, 26, 9, 0, 10, tzinfo=UTC)
    office.sender.outcomes[100] = SendResult(Outcome.RETRY, retry_after=7)
    assert (await office.dispatch()).retried == 1
    _, due_at, status = (await office.statuses())[0]
    assert status == "pending" and due_at == clock.current + timedelta(seconds=7)
    office.sender.outcomes.clear()
    assert (await office.dispatch()).sent == 0  # not yet
    clock.advance(seconds=8)
    assert (await office.dispatch()).sent == 1


async def test_a_blocked_client_is_marked_and_the_case_manager_told_once(office: Office) -> None:
    await office.book(FRIDAY_10, FRIDAY_11)
    office.db.clock.current = datetime(2026, 11, 26, 10, 30, tzinfo=UTC)
    office.sender.outcomes[100] = SendResult(Outcome.BLOCKED)
    report = await office.dispatch()
    client = office.clients[0]
    assert report.blocked == 2 and office.sender.unreachable_told == [client]
    marked = await office.db.scalar(select(ClientRow.unreachable_at).where(ClientRow.id == client))
    assert marked is not None


async def test_a_crash_between_send_and_mark_repeats_only_that_one(office: Office) -> None:
    clock = office.db.clock
    await office.book(FRIDAY_10, FRIDAY_11)
    clock.current = datetime(2026, 11, 26, 10, 30, tzinfo=UTC)
    # A dispatcher claims both, sends one and dies before marking it.
    async with office.db.uow_factory() as uow:
        claimed = await uow.reminders.claim_due(
            clock.now(), clock.now() + timedelta(minutes=5), "dead", 10
        )
        await uow.commit()
    assert len(claimed) == 2
    assert (await office.dispatch()).claimed == []  # the lease holds
    clock.advance(minutes=6)
    report = await office.dispatch()
    assert sorted(report.claimed) == sorted(claimed) and report.sent == 2
    assert (await office.dispatch()).claimed == []


async def test_renew_and_release_touch_only_the_holders_rows(office: Office) -> None:
    clock = office.db.clock
    await office.book(FRIDAY_10, FRIDAY_11)
    clock.current = datetime(2026, 11, 26, 10, 30, tzinfo=UTC)
    now = clock.now()
    async with office.db.uow_factory() as uow:
        mine = await uow.reminders.claim_due(now, now + timedelta(seconds=30), "mine", 1)
        theirs = await uow.reminders.claim_due(now, now + timedelta(seconds=30), "theirs", 1)
        await uow.commit()
    async with office.db.uow_factory() as uow:
        assert await uow.reminders.renew("mine", now + timedelta(seconds=90)) == 1
        assert await uow.reminders.release("mine", theirs) == 0  # not the holder
        await uow.commit()
    rows = {r.id: r for r in await office.db.rows(select(ReminderRow).order_by(ReminderRow.id))}
    assert rows[mine[0]].lease_until.replace(tzinfo=UTC) == now + timedelta(seconds=90)
    assert rows[theirs[0]].lease_until.replace(tzinfo=UTC) == now + timedelta(seconds=30)
    # Past the other's lease: only their row comes back; the renewed one still holds.
    clock.advance(seconds=45)
    assert (await office.dispatch()).claimed == theirs
    async with office.db.uow_factory() as uow:
        assert await uow.reminders.release("mine", mine) == 1
        await uow.commit()
    report = await office.dispatch()
    assert report.claimed == mine and report.sent == 1
    attempts = await office.db.rows(select(ReminderRow.attempts))
    assert {a for (a,) in attempts} == {0}  # claims and releases are no tries


async def test_two_dispatchers_send_1000_reminders_exactly_once(db: Db) -> None:
    office = await _office(db, clients=10)
    base = datetime(2026, 11, 26, 12, 0, tzinfo=UTC)
    now = db.clock.now()
    booked: dict[str, object] = {"mode": "phone", "topic": "work", "status": "booked"}
    stamps: dict[str, object] = {"booked_by": "client", "created_at": now, "updated_at": now}
    due: dict[str, object] = {"kind": "24h", "due_at": now - timedelta(minutes=1)}
    async with db.engine.begin() as connection:
        appointments = [
            booked
            | stamps
            | {
                "client_id": office.clients[i % 10],
                "staff_id": office.thm.id,
                "starts_at": base + timedelta(minutes=i),
                "ends_at": base + timedelta(minutes=i + 1),
            }
            for i in range(1000)
        ]
        await connection.execute(insert(AppointmentRow), appointments)
        ids = (await connection.execute(select(AppointmentRow.id))).scalars().all()
        reminders = [
            due | {"appointment_id": a, "status": "pending", "attempts": 0, "created_at": now}
            for a in ids
        ]
        await connection.execute(insert(ReminderRow), reminders)
    sender = FakeNotifier(delay=0.002)
    office = Office(db, office.thm, office.clients, sender)
    reports = await asyncio.gather(office.dispatch(batch=50), office.dispatch(batch=50))
    assert sum(r.sent for r in reports) == 1000
    assert len(sender.sent) == 1000 and max(sender.sent.values()) == 1
    assert set(reports[0].claimed).isdisjoint(reports[1].claimed)
    assert {status for *_, status in await office.statuses()} == {"sent"}


async def test_agendas_once_a_day_on_working_days(office: Office) -> None:
    db, sender = office.db, office.sender
    await office.book(datetime(2026, 11, 26, 9, 0, tzinfo=UTC))

    async def agendas() -> int:
        return await send_agendas(db.uow_factory, db.clock, sender, POLICY, at=time(7, 30))

    db.clock.current = datetime(2026, 11, 26, 6, 0, tzinfo=UTC)  # 07:00 Berlin: too early
    assert await agendas() == 0
    db.clock.current = datetime(2026, 11, 26, 6, 31, tzinfo=UTC)
    assert await agendas() == 1
    assert await agendas() == 0
    assert sender.agendas == [(office.thm.id, 1)]
    await staff_service.toggle_day_off(
        db.uow_factory, staff_id=id_of(office.thm), day=date(2026, 11, 27)
    )
    db.clock.current = datetime(2026, 11, 27, 7, 0, tzinfo=UTC)
    assert await agendas() == 0
