"""Reminder planning, claiming, sending and agendas on the fake unit of work; the claims
between processes (SKIP LOCKED, leases) stay in tests/integration/test_reminders.py."""

from __future__ import annotations

import asyncio
from datetime import UTC, date, datetime, time, timedelta

import pytest

from bot.domain import (
    Appointment,
    LifeArea,
    Mode,
    ReminderJob,
    ReminderStatus,
    Staff,
)
from bot.reminder_schedule import QuietHours
from bot.services import booking
from bot.services import staff as staff_service
from bot.services.booking import BookingOutcome
from bot.services.reminders import (
    LEASE,
    Outcome,
    SendResult,
    confirm_attendance,
    dispatch_due,
    send_agendas,
)
from bot.slots import BookingPolicy
from tests.fake_uow import FakeUnitOfWorkFactory, ReminderRecord
from tests.fakes import FakeClock, FakeNotifier
from tests.helpers import id_of
from tests.unit.service_setup import BERLIN, add_client, add_staff, book, move

POLICY = BookingPolicy(
    lead=timedelta(hours=2),
    horizon_days=14,
    max_open=3,
    zone=BERLIN,
    reminder_offsets=(timedelta(hours=24), timedelta(hours=2)),
    quiet=QuietHours(time(21), time(8), BERLIN),
)
FRIDAY_10 = datetime(2026, 11, 27, 9, 0, tzinfo=UTC)  # 10:00 Berlin
FRIDAY_11 = datetime(2026, 11, 27, 10, 0, tzinfo=UTC)
#: Just after the 24 h reminder of FRIDAY_10 is due.
FIRST_DUE = datetime(2026, 11, 26, 9, 0, 10, tzinfo=UTC)
#: The cap on tries that dropped reminders before (issue 17).
MAX_ATTEMPTS_BEFORE = 8


async def _setup(
    uow_factory: FakeUnitOfWorkFactory, clock: FakeClock, clients: int = 2
) -> tuple[Staff, list[int]]:
    """A THM working every day 06:00-22:00 by phone, clients already theirs."""
    thm = await add_staff(uow_factory, clock, telegram_user_id=900, name="Anna")
    for weekday in range(7):
        await staff_service.add_hours(
            uow_factory,
            staff_id=id_of(thm),
            weekday=weekday,
            start=time(6),
            end=time(22),
            slot_minutes=30,
            mode=Mode.PHONE,
        )
    ids = [
        id_of(
            await add_client(
                uow_factory,
                clock,
                telegram_user_id=100 + user,
                site_id=thm.site_id,
                case_manager_id=thm.id,
            )
        )
        for user in range(clients)
    ]
    return thm, ids


async def _book(
    uow_factory: FakeUnitOfWorkFactory,
    clock: FakeClock,
    thm: Staff,
    client_id: int,
    starts_at: datetime,
) -> BookingOutcome:
    """The client books `starts_at` with the THM under this file's POLICY."""
    return await book(uow_factory, clock, client_id, id_of(thm), starts_at, policy=POLICY)


async def _booked(
    uow_factory: FakeUnitOfWorkFactory,
    clock: FakeClock,
    *starts: datetime,
    then: datetime | None = None,
) -> tuple[Staff, int, BookingOutcome]:
    """_setup, then the first client books each of `starts` (FRIDAY_10 when none is given)
    and, with `then`, the clock moves on to it. The THM, the client and the first booking."""
    thm, (client, _) = await _setup(uow_factory, clock)
    outcomes = [await _book(uow_factory, clock, thm, client, at) for at in starts or [FRIDAY_10]]
    if then is not None:
        clock.current = then
    return thm, client, outcomes[0]


def _rows(uow_factory: FakeUnitOfWorkFactory) -> list[tuple[str, datetime, str]]:
    return [(r.kind, r.due_at, r.status.value) for r in uow_factory.db.reminders()]


async def test_booking_plans_reminders_and_cancel_and_move_follow(
    uow_factory: FakeUnitOfWorkFactory, clock: FakeClock
) -> None:
    thm, client, outcome = await _booked(uow_factory, clock)  # now: Wed 25 Nov 10:00 Berlin
    assert _rows(uow_factory) == [
        ("24h", datetime(2026, 11, 26, 9, 0, tzinfo=UTC), "pending"),
        ("2h", datetime(2026, 11, 27, 7, 0, tzinfo=UTC), "pending"),
    ]
    moved_to = datetime(2026, 11, 28, 12, 0, tzinfo=UTC)  # Sat 13:00
    await move(uow_factory, clock, outcome, moved_to, client, id_of(thm), policy=POLICY)
    assert _rows(uow_factory) == [
        ("24h", datetime(2026, 11, 27, 12, 0, tzinfo=UTC), "pending"),
        ("2h", datetime(2026, 11, 28, 10, 0, tzinfo=UTC), "pending"),
    ]
    async with uow_factory() as uow:  # the port's read gives the same
        assert await uow.reminders.for_appointment(id_of(outcome.appointment)) == _rows(uow_factory)
    await booking.cancel_appointment(
        uow_factory, clock, appointment_id=id_of(outcome.appointment), client_id=client
    )
    assert {status for *_, status in _rows(uow_factory)} == {"cancelled"}


async def test_a_refused_booking_plans_no_reminders(
    uow_factory: FakeUnitOfWorkFactory, clock: FakeClock
) -> None:
    thm, (client, other) = await _setup(uow_factory, clock)
    await _book(uow_factory, clock, thm, client, FRIDAY_10)
    with pytest.raises(booking.SlotTakenError):
        await _book(uow_factory, clock, thm, other, FRIDAY_10)
    assert len(_rows(uow_factory)) == 2  # only the first booking's


async def test_a_reminder_already_past_at_booking_is_skipped(
    uow_factory: FakeUnitOfWorkFactory, clock: FakeClock
) -> None:
    await _booked(uow_factory, clock, datetime(2026, 11, 25, 15, 0, tzinfo=UTC))
    assert [(kind, status) for kind, _, status in _rows(uow_factory)] == [
        ("24h", "skipped"),
        ("2h", "pending"),
    ]


async def test_dispatch_sends_due_ones_once(
    uow_factory: FakeUnitOfWorkFactory, clock: FakeClock
) -> None:
    await _booked(uow_factory, clock)
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
    assert {status for *_, status in _rows(uow_factory)} == {"sent"}


async def test_quiet_hours_or_a_past_appointment_skip(
    uow_factory: FakeUnitOfWorkFactory, clock: FakeClock
) -> None:
    quiet = datetime(2026, 11, 26, 22, 30, tzinfo=UTC)  # 23:30 Berlin
    await _booked(uow_factory, clock, then=quiet)
    sender = FakeNotifier()
    report = await dispatch_due(uow_factory, clock, sender, POLICY)
    assert report.skipped == 1 and report.sent == 0
    clock.current = datetime(2026, 11, 27, 10, 0, tzinfo=UTC)  # after the appointment
    report = await dispatch_due(uow_factory, clock, sender, POLICY)
    assert report.skipped == 1 and not sender.sent
    assert {status for *_, status in _rows(uow_factory)} == {"skipped"}


async def test_retry_after_reschedules_and_never_drops(
    uow_factory: FakeUnitOfWorkFactory, clock: FakeClock
) -> None:
    await _booked(uow_factory, clock, then=FIRST_DUE)
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
    await _booked(uow_factory, clock, then=FIRST_DUE)

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
    _, client, _ = await _booked(uow_factory, clock, FRIDAY_10, FRIDAY_11, then=later)
    sender = FakeNotifier()
    sender.outcomes[100] = SendResult(Outcome.BLOCKED)
    report = await dispatch_due(uow_factory, clock, sender, POLICY)
    assert report.blocked == 2 and sender.unreachable_told == [client]
    stored = next(c for c in uow_factory.db.clients() if c.id == client)
    assert stored.unreachable_at == clock.now()
    assert [r.status for r in uow_factory.db.reminders()][:2] == [ReminderStatus.FAILED] * 2


async def test_a_dead_dispatchers_rows_come_back_after_the_short_lease_and_are_no_try(
    uow_factory: FakeUnitOfWorkFactory, clock: FakeClock
) -> None:
    later = datetime(2026, 11, 26, 10, 30, tzinfo=UTC)  # both 24 h reminders are due
    await _booked(uow_factory, clock, FRIDAY_10, FRIDAY_11, then=later)
    async with uow_factory() as uow:  # a dispatcher claims both and dies
        claimed = await uow.reminders.claim_due(clock.now(), clock.now() + LEASE, "dead", 10)
        await uow.commit()
    assert len(claimed) == 2
    sender = FakeNotifier()
    assert (await dispatch_due(uow_factory, clock, sender, POLICY)).claimed == []  # lease holds
    clock.advance(seconds=31)  # the lease is 30 s (it was 5 minutes): back within it
    report = await dispatch_due(uow_factory, clock, sender, POLICY)
    assert sorted(report.claimed) == sorted(claimed) and report.sent == 2
    # Re-claims after a crash are not tries (before, each claim counted one).
    assert {r.attempts for r in uow_factory.db.reminders()} == {0}
    assert (await dispatch_due(uow_factory, clock, sender, POLICY)).claimed == []
    async with uow_factory() as uow:  # the dead dispatcher's late mark is refused
        assert not await uow.reminders.finish(claimed[0], "dead", ReminderStatus.SENT, clock.now())


async def test_the_heartbeat_renews_the_claim_while_a_slow_batch_sends(
    uow_factory: FakeUnitOfWorkFactory, clock: FakeClock
) -> None:
    later = datetime(2026, 11, 26, 10, 30, tzinfo=UTC)
    await _booked(uow_factory, clock, FRIDAY_10, FRIDAY_11, then=later)
    leases: list[datetime | None] = []

    class Slow(FakeNotifier):
        async def send_reminder(self, job: ReminderJob) -> SendResult:
            clock.advance(seconds=20)  # the batch takes longer than a third of the lease
            await asyncio.sleep(0.05)  # the heartbeat runs every 0.03 s here
            leases.append(
                next(r.lease_until for r in uow_factory.db.reminders() if r.id == job.reminder_id)
            )
            return await super().send_reminder(job)

    report = await dispatch_due(
        uow_factory, clock, Slow(), POLICY, lease=timedelta(seconds=0.09), concurrency=1
    )
    assert report.sent == 2
    # Each row's lease was renewed from the clock of the time of renewal.
    assert all(lease is not None and lease > later for lease in leases)
    assert leases[-1] is not None and leases[-1] >= later + timedelta(seconds=20)


async def test_a_lost_heartbeat_stops_the_batch_and_gives_the_rest_back(
    uow_factory: FakeUnitOfWorkFactory, clock: FakeClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    from tests.fake_uow import FakeReminders

    later = datetime(2026, 11, 26, 10, 30, tzinfo=UTC)
    await _booked(uow_factory, clock, FRIDAY_10, FRIDAY_11, then=later)

    async def database_away(*_args: object, **_kwargs: object) -> int:
        raise ConnectionError("database away")

    monkeypatch.setattr(FakeReminders, "renew", database_away)

    class Slow(FakeNotifier):
        async def send_reminder(self, job: ReminderJob) -> SendResult:
            await asyncio.sleep(0.1)  # the heartbeat (every 0.03 s) fails meanwhile
            return await super().send_reminder(job)

    sender = Slow()
    report = await dispatch_due(
        uow_factory, clock, sender, POLICY, lease=timedelta(seconds=0.09), concurrency=1
    )
    assert report.sent == 1 and report.held == 1 and report.released == 1
    due = [status for _, when, status in _rows(uow_factory) if when <= later]
    assert sorted(due) == ["pending", "sent"]  # the held one is back at once, not leased


async def test_cancelled_while_sending_is_a_lost_claim(
    uow_factory: FakeUnitOfWorkFactory, clock: FakeClock
) -> None:
    _, client, outcome = await _booked(uow_factory, clock, then=FIRST_DUE)

    class CancellingSender(FakeNotifier):
        async def send_reminder(self, job: ReminderJob) -> SendResult:
            await booking.cancel_appointment(
                uow_factory, clock, appointment_id=id_of(job.appointment), client_id=client
            )
            return await super().send_reminder(job)

    report = await dispatch_due(uow_factory, clock, CancellingSender(), POLICY)
    assert report.sent == 1 and report.lost_claims == 1
    assert {status for *_, status in _rows(uow_factory)} == {"cancelled"}
    assert outcome.appointment.id is not None


async def test_two_dispatchers_send_300_reminders_exactly_once(
    uow_factory: FakeUnitOfWorkFactory, clock: FakeClock
) -> None:
    thm, clients = await _setup(uow_factory, clock, clients=10)
    base = datetime(2026, 11, 26, 12, 0, tzinfo=UTC)
    now = clock.now()
    async with uow_factory() as uow:
        for i in range(300):
            appointment = await uow.appointments.add(
                Appointment(
                    id=None,
                    client_id=clients[i % 10],
                    staff_id=id_of(thm),
                    starts_at=base + timedelta(minutes=i),
                    ends_at=base + timedelta(minutes=i + 1),
                    mode=Mode.PHONE,
                    topic=LifeArea.WORK,
                ),
                now,
            )
            await uow.reminders.schedule(
                id_of(appointment), [("24h", now - timedelta(minutes=1))], now
            )
        await uow.commit()
    sender = FakeNotifier(delay=0.0005)
    reports = await asyncio.gather(
        dispatch_due(uow_factory, clock, sender, POLICY, batch=25),
        dispatch_due(uow_factory, clock, sender, POLICY, batch=25),
    )
    assert sum(r.sent for r in reports) == 300
    assert len(sender.sent) == 300 and max(sender.sent.values()) == 1
    assert reports[0].claimed and reports[1].claimed  # both took part
    assert set(reports[0].claimed).isdisjoint(reports[1].claimed)
    assert {r.status for r in uow_factory.db.reminders()} == {ReminderStatus.SENT}


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
    thm, (client, other) = await _setup(uow_factory, clock)
    outcome = await _book(uow_factory, clock, thm, client, FRIDAY_10)
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
    thm, _, _ = await _booked(uow_factory, clock, datetime(2026, 11, 26, 9, 0, tzinfo=UTC))
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


async def test_a_mark_failing_for_good_stops_the_batch_and_only_that_reminder_goes_twice(
    uow_factory: FakeUnitOfWorkFactory, clock: FakeClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The database goes away after the first send and stays away: before, the rest of the
    # claimed batch kept going out unmarked, and every one went again after the lease.
    from tests.fake_uow import FakeReminders

    later = datetime(2026, 11, 26, 10, 30, tzinfo=UTC)  # both 24 h reminders are due
    await _booked(uow_factory, clock, FRIDAY_10, FRIDAY_11, then=later)
    real_finish = FakeReminders.finish

    async def database_away(*_args: object, **_kwargs: object) -> bool:
        raise ConnectionError("database away")

    monkeypatch.setattr(FakeReminders, "finish", database_away)
    sender = FakeNotifier()
    with pytest.raises(ConnectionError):
        await dispatch_due(
            uow_factory, clock, sender, POLICY, concurrency=1, mark_patience=timedelta(0)
        )
    assert sum(sender.sent.values()) == 1  # the second one was held back
    first = next(iter(sender.sent))
    monkeypatch.setattr(FakeReminders, "finish", real_finish)  # the database is back
    # The held one was given back at once; the sent, unmarked one waits for its lease.
    assert (await dispatch_due(uow_factory, clock, sender, POLICY)).sent == 1
    assert sorted(sender.sent.values()) == [1, 1]
    clock.advance(seconds=31)
    report = await dispatch_due(uow_factory, clock, sender, POLICY)
    assert report.sent == 1
    assert sender.sent[first] == 2  # sent, not marked: that one again
    assert sorted(sender.sent.values()) == [1, 2]  # the other exactly once
    due_ones = [status for _, due, status in _rows(uow_factory) if due <= later]
    assert due_ones == ["sent", "sent"]


async def test_a_short_outage_while_marking_repeats_nothing(
    uow_factory: FakeUnitOfWorkFactory, clock: FakeClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The database refuses the first marks, then is back: the sent mark is tried again
    # (nothing else starts meanwhile), and no reminder goes out twice.
    from tests.fake_uow import FakeReminders

    later = datetime(2026, 11, 26, 10, 30, tzinfo=UTC)
    await _booked(uow_factory, clock, FRIDAY_10, FRIDAY_11, then=later)
    real_finish = FakeReminders.finish
    refusals = {"left": 3}
    sends_during_outage = []

    async def flaky(self: FakeReminders, *args: object, **kwargs: object) -> bool:
        if refusals["left"]:
            refusals["left"] -= 1
            sends_during_outage.append(sum(sender.sent.values()))
            raise ConnectionError("database away")
        return await real_finish(self, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(FakeReminders, "finish", flaky)
    sender = FakeNotifier()
    report = await dispatch_due(uow_factory, clock, sender, POLICY, concurrency=1)
    assert report.sent == 1 and report.held == 1 and report.released == 1
    assert sends_during_outage == [1, 1, 1]  # nothing else went out while it was away
    # The one held back goes at the next tick, the marked one never again.
    assert (await dispatch_due(uow_factory, clock, sender, POLICY)).sent == 1
    assert sorted(sender.sent.values()) == [1, 1]
    due_ones = [status for _, due, status in _rows(uow_factory) if due <= later]
    assert due_ones == ["sent", "sent"]
    clock.advance(minutes=10)
    assert (await dispatch_due(uow_factory, clock, sender, POLICY)).sent == 0
