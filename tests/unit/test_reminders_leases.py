"""Reminder claims that outlive trouble, on the fake unit of work: short leases and their
heartbeat, a lost claim, two dispatchers, marks that fail for a while or for good
(issue 17)."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

import pytest

from bot.domain import (
    Appointment,
    LifeArea,
    Mode,
    ReminderJob,
    ReminderStatus,
)
from bot.services import booking
from bot.services.reminders import (
    LEASE,
    SendResult,
    dispatch_due,
)
from tests.fake_uow import FakeUnitOfWorkFactory
from tests.fakes import FakeClock, FakeNotifier
from tests.helpers import id_of
from tests.unit.reminder_setup import (
    FIRST_DUE,
    FRIDAY_10,
    FRIDAY_11,
    POLICY,
    booked,
    reminder_rows,
    setup_clients,
)


async def test_a_dead_dispatchers_rows_come_back_after_the_short_lease_and_are_no_try(
    uow_factory: FakeUnitOfWorkFactory, clock: FakeClock
) -> None:
    later = datetime(2026, 11, 26, 10, 30, tzinfo=UTC)  # both 24 h reminders are due
    await booked(uow_factory, clock, FRIDAY_10, FRIDAY_11, then=later)
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
    await booked(uow_factory, clock, FRIDAY_10, FRIDAY_11, then=later)
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
    await booked(uow_factory, clock, FRIDAY_10, FRIDAY_11, then=later)

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
    due = [status for _, when, status in reminder_rows(uow_factory) if when <= later]
    assert sorted(due) == ["pending", "sent"]  # the held one is back at once, not leased


async def test_cancelled_while_sending_is_a_lost_claim(
    uow_factory: FakeUnitOfWorkFactory, clock: FakeClock
) -> None:
    _, client, outcome = await booked(uow_factory, clock, then=FIRST_DUE)

    class CancellingSender(FakeNotifier):
        async def send_reminder(self, job: ReminderJob) -> SendResult:
            await booking.cancel_appointment(
                uow_factory, clock, appointment_id=id_of(job.appointment), client_id=client
            )
            return await super().send_reminder(job)

    report = await dispatch_due(uow_factory, clock, CancellingSender(), POLICY)
    assert report.sent == 1 and report.lost_claims == 1
    assert {status for *_, status in reminder_rows(uow_factory)} == {"cancelled"}
    assert outcome.appointment.id is not None


async def test_two_dispatchers_send_300_reminders_exactly_once(
    uow_factory: FakeUnitOfWorkFactory, clock: FakeClock
) -> None:
    thm, clients = await setup_clients(uow_factory, clock, clients=10)
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


async def test_a_mark_failing_for_good_stops_the_batch_and_only_that_reminder_goes_twice(
    uow_factory: FakeUnitOfWorkFactory, clock: FakeClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The database goes away after the first send and stays away: before, the rest of the
    # claimed batch kept going out unmarked, and every one went again after the lease.
    from tests.fake_uow import FakeReminders

    later = datetime(2026, 11, 26, 10, 30, tzinfo=UTC)  # both 24 h reminders are due
    await booked(uow_factory, clock, FRIDAY_10, FRIDAY_11, then=later)
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
    due_ones = [status for _, due, status in reminder_rows(uow_factory) if due <= later]
    assert due_ones == ["sent", "sent"]


async def test_a_short_outage_while_marking_repeats_nothing(
    uow_factory: FakeUnitOfWorkFactory, clock: FakeClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The database refuses the first marks, then is back: the sent mark is tried again
    # (nothing else starts meanwhile), and no reminder goes out twice.
    from tests.fake_uow import FakeReminders

    later = datetime(2026, 11, 26, 10, 30, tzinfo=UTC)
    await booked(uow_factory, clock, FRIDAY_10, FRIDAY_11, then=later)
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
    due_ones = [status for _, due, status in reminder_rows(uow_factory) if due <= later]
    assert due_ones == ["sent", "sent"]
    clock.advance(minutes=10)
    assert (await dispatch_due(uow_factory, clock, sender, POLICY)).sent == 0
