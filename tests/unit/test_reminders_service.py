"""Reminder planning, claiming, sending and agendas on the fake unit of work; the claims
between processes (SKIP LOCKED, leases) stay in tests/integration/test_reminders.py."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

import pytest

from bot.domain import (
    ReminderJob,
    ReminderStatus,
)
from bot.services import booking
from bot.services import staff as staff_service
from bot.services.reminders import (
    Outcome,
    SendResult,
    confirm_attendance,
    dispatch_due,
    send_agendas,
)
from tests.fake_uow import FakeUnitOfWorkFactory, ReminderRecord
from tests.fakes import FakeClock, FakeNotifier
from tests.helpers import id_of
from tests.unit.reminder_setup import (
    FIRST_DUE,
    FRIDAY_10,
    FRIDAY_11,
    MAX_ATTEMPTS_BEFORE,
    POLICY,
    book_at,
    booked,
    reminder_rows,
    setup_clients,
)
from tests.unit.service_setup import move


async def test_booking_plans_reminders_and_cancel_and_move_follow(
    uow_factory: FakeUnitOfWorkFactory, clock: FakeClock
) -> None:
    thm, client, outcome = await booked(uow_factory, clock)  # now: Wed 25 Nov 10:00 Berlin
    assert reminder_rows(uow_factory) == [
        ("24h", datetime(2026, 11, 26, 9, 0, tzinfo=UTC), "pending"),
        ("2h", datetime(2026, 11, 27, 7, 0, tzinfo=UTC), "pending"),
    ]
    moved_to = datetime(2026, 11, 28, 12, 0, tzinfo=UTC)  # Sat 13:00
    await move(uow_factory, clock, outcome, moved_to, client, id_of(thm), policy=POLICY)
    assert reminder_rows(uow_factory) == [
        ("24h", datetime(2026, 11, 27, 12, 0, tzinfo=UTC), "pending"),
        ("2h", datetime(2026, 11, 28, 10, 0, tzinfo=UTC), "pending"),
    ]
    async with uow_factory() as uow:  # the port's read gives the same
        assert await uow.reminders.for_appointment(id_of(outcome.appointment)) == reminder_rows(
            uow_factory
        )
    await booking.cancel_appointment(
        uow_factory, clock, appointment_id=id_of(outcome.appointment), client_id=client
    )
    assert {status for *_, status in reminder_rows(uow_factory)} == {"cancelled"}


async def test_a_refused_booking_plans_no_reminders(
    uow_factory: FakeUnitOfWorkFactory, clock: FakeClock
) -> None:
    thm, (client, other) = await setup_clients(uow_factory, clock)
    await book_at(uow_factory, clock, thm, client, FRIDAY_10)
    with pytest.raises(booking.SlotTakenError):
        await book_at(uow_factory, clock, thm, other, FRIDAY_10)
    assert len(reminder_rows(uow_factory)) == 2  # only the first booking's


async def test_a_reminder_already_past_at_booking_is_skipped(
    uow_factory: FakeUnitOfWorkFactory, clock: FakeClock
) -> None:
    await booked(uow_factory, clock, datetime(2026, 11, 25, 15, 0, tzinfo=UTC))
    assert [(kind, status) for kind, _, status in reminder_rows(uow_factory)] == [
        ("24h", "skipped"),
        ("2h", "pending"),
    ]


async def test_dispatch_sends_due_ones_once(
    uow_factory: FakeUnitOfWorkFactory, clock: FakeClock
) -> None:
    await booked(uow_factory, clock)
    sender = FakeNotifier()
    assert (await dispatch_due(uow_factory, clock, sender, POLICY)).claimed == []  # none due
    clock.current = FIRST_DUE
    report = await dispatch_due(uow_factory, clock, sender, POLICY)
    assert report.sent == 1 and sum(sender.sent.values()) == 1
    first = uow_factory.db.reminders()[0]
    assert (first.status, first.sent_at, first.attempts) == (
        ReminderStatus.SENT,
        clock.now(),
        0,  # attempts count refusals: none
    )
    assert first.claim_token is None and first.lease_until is None
    assert (await dispatch_due(uow_factory, clock, sender, POLICY)).sent == 0  # not again
    # Downtime across the 2 h reminder's due time: sent at the next tick.
    clock.current = datetime(2026, 11, 27, 8, 30, tzinfo=UTC)
    assert (await dispatch_due(uow_factory, clock, sender, POLICY)).sent == 1
    assert {status for *_, status in reminder_rows(uow_factory)} == {"sent"}


async def test_quiet_hours_or_a_past_appointment_skip(
    uow_factory: FakeUnitOfWorkFactory, clock: FakeClock
) -> None:
    quiet = datetime(2026, 11, 26, 22, 30, tzinfo=UTC)  # 23:30 Berlin
    await booked(uow_factory, clock, then=quiet)
    sender = FakeNotifier()
    report = await dispatch_due(uow_factory, clock, sender, POLICY)
    assert report.skipped == 1 and report.sent == 0
    clock.current = datetime(2026, 11, 27, 10, 0, tzinfo=UTC)  # after the appointment
    report = await dispatch_due(uow_factory, clock, sender, POLICY)
    assert report.skipped == 1 and not sender.sent
    assert {status for *_, status in reminder_rows(uow_factory)} == {"skipped"}


async def test_retry_after_reschedules_and_never_drops(
    uow_factory: FakeUnitOfWorkFactory, clock: FakeClock
) -> None:
    await booked(uow_factory, clock, then=FIRST_DUE)
    sender = FakeNotifier()
    sender.outcomes[100] = SendResult(Outcome.RETRY, retry_after=7)
    assert (await dispatch_due(uow_factory, clock, sender, POLICY)).retried == 1
    row = uow_factory.db.reminders()[0]
    assert row.status is ReminderStatus.PENDING
    assert row.due_at == clock.current + timedelta(seconds=7) and row.claim_token is None
    sender.outcomes.clear()
    assert (await dispatch_due(uow_factory, clock, sender, POLICY)).sent == 0  # not yet
    clock.advance(seconds=8)
    assert (await dispatch_due(uow_factory, clock, sender, POLICY)).sent == 1


async def test_a_passing_failure_is_retried_with_backoff_until_too_close_then_expires(
    uow_factory: FakeUnitOfWorkFactory, clock: FakeClock, caplog: pytest.LogCaptureFixture
) -> None:
    # Before, the 8th refusal marked the reminder failed (179 of 2,000 dropped under a
    # flood). Now passing refusals never end it while it can still help.
    await booked(uow_factory, clock, then=FIRST_DUE)

    class Broken(FakeNotifier):
        async def send_reminder(self, job: ReminderJob) -> SendResult:
            raise ConnectionError("down")

    sender = Broken()
    waits = []
    first = min(r.id for r in uow_factory.db.reminders())  # the 24 h one

    def the_24h_one() -> ReminderRecord:
        return next(r for r in uow_factory.db.reminders() if r.id == first)

    for _ in range(200):
        report = await dispatch_due(uow_factory, clock, sender, POLICY)
        row = the_24h_one()
        if row.status is not ReminderStatus.PENDING:
            break
        assert report.retried >= 1 and report.failed == 0
        waits.append(row.due_at - clock.now())
        clock.current = row.due_at
    # 30 s, doubled with each try, at most 15 minutes (quiet hours wait longer).
    assert waits[:6] == [timedelta(seconds=s) for s in (30, 60, 120, 240, 480, 900)]
    assert min(waits[6:]) == timedelta(minutes=15) and len(waits) > MAX_ATTEMPTS_BEFORE
    assert row.status is ReminderStatus.EXPIRED and report.expired >= 1
    assert ReminderStatus.FAILED not in {r.status for r in uow_factory.db.reminders()}
    assert FRIDAY_10 - clock.now() < timedelta(minutes=45)  # tried until close to it
    assert any(r.getMessage() == "reminder expired" for r in caplog.records)


async def test_a_blocked_client_is_marked_and_the_case_manager_told_once(
    uow_factory: FakeUnitOfWorkFactory, clock: FakeClock
) -> None:
    later = datetime(2026, 11, 26, 10, 30, tzinfo=UTC)  # both 24 h reminders are due
    _, client, _ = await booked(uow_factory, clock, FRIDAY_10, FRIDAY_11, then=later)
    sender = FakeNotifier()
    sender.outcomes[100] = SendResult(Outcome.BLOCKED)
    report = await dispatch_due(uow_factory, clock, sender, POLICY)
    assert report.blocked == 2 and sender.unreachable_told == [client]
    stored = next(c for c in uow_factory.db.clients() if c.id == client)
    assert stored.unreachable_at == clock.now()
    assert [r.status for r in uow_factory.db.reminders()][:2] == [ReminderStatus.FAILED] * 2


async def test_claim_due_takes_the_oldest_first_up_to_the_limit(
    uow_factory: FakeUnitOfWorkFactory, clock: FakeClock
) -> None:
    now = clock.now()
    async with uow_factory() as uow:
        for appointment_id, minutes in ((1, 3), (2, 1), (3, 2), (4, -5)):
            await uow.reminders.schedule(
                appointment_id, [("2h", now - timedelta(minutes=minutes))], now
            )
        claimed = await uow.reminders.claim_due(now, now + timedelta(minutes=5), "t", 2)
        await uow.commit()
    rows = {r.appointment_id: r for r in uow_factory.db.reminders()}
    assert sorted(claimed) == sorted([rows[1].id, rows[3].id])  # due 3 and 2 minutes ago
    assert rows[2].status is ReminderStatus.PENDING and rows[4].status is ReminderStatus.PENDING
    assert isinstance(rows[1], ReminderRecord) and rows[1].claim_token == "t"


async def test_confirm_attendance_only_for_the_own_booked_appointment(
    uow_factory: FakeUnitOfWorkFactory, clock: FakeClock
) -> None:
    thm, (client, other) = await setup_clients(uow_factory, clock)
    outcome = await book_at(uow_factory, clock, thm, client, FRIDAY_10)
    ident = id_of(outcome.appointment)
    assert not await confirm_attendance(uow_factory, clock, appointment_id=ident, client_id=other)
    assert uow_factory.db.appointments()[0].confirmed_at is None
    assert await confirm_attendance(uow_factory, clock, appointment_id=ident, client_id=client)
    assert uow_factory.db.appointments()[0].confirmed_at == clock.now()
    await booking.cancel_appointment(uow_factory, clock, appointment_id=ident, client_id=client)
    assert not await confirm_attendance(uow_factory, clock, appointment_id=ident, client_id=client)


async def test_agendas_once_a_day_on_working_days(
    uow_factory: FakeUnitOfWorkFactory, clock: FakeClock
) -> None:
    thm, _, _ = await booked(uow_factory, clock, datetime(2026, 11, 26, 9, 0, tzinfo=UTC))
    sender = FakeNotifier()
    clock.current = datetime(2026, 11, 26, 6, 0, tzinfo=UTC)  # 07:00 Berlin: too early
    assert await send_agendas(uow_factory, clock, sender, POLICY, at=time(7, 30)) == 0
    clock.current = datetime(2026, 11, 26, 6, 31, tzinfo=UTC)
    assert await send_agendas(uow_factory, clock, sender, POLICY, at=time(7, 30)) == 1
    assert await send_agendas(uow_factory, clock, sender, POLICY, at=time(7, 30)) == 0
    assert sender.agendas == [(thm.id, 1)]
    await staff_service.toggle_day_off(uow_factory, staff_id=id_of(thm), day=date(2026, 11, 27))
    clock.current = datetime(2026, 11, 27, 7, 0, tzinfo=UTC)
    assert await send_agendas(uow_factory, clock, sender, POLICY, at=time(7, 30)) == 0
    clock.current = datetime(2026, 12, 25, 7, 0, tzinfo=UTC)  # Christmas: a public holiday
    assert await send_agendas(uow_factory, clock, sender, POLICY, at=time(7, 30)) == 0
    clock.current = datetime(2026, 12, 28, 7, 0, tzinfo=UTC)
    assert await send_agendas(uow_factory, clock, sender, POLICY, at=time(7, 30)) == 1
    assert sender.agendas == [(thm.id, 1), (thm.id, 0)]
