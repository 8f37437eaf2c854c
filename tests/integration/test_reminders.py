"""Reminders on a real database (SQLite; PostgreSQL with TEST_DATABASE_URL)."""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import Row, insert, select
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.domain import (
    Client,
    LifeArea,
    Mode,
    SiteKind,
    Staff,
    StaffRole,
)
from bot.ports import UnitOfWorkFactory
from bot.reminder_schedule import QuietHours
from bot.services import booking
from bot.services import staff as staff_service
from bot.services.booking import BookingOutcome
from bot.services.reminders import Outcome, SendResult, dispatch_due, send_agendas
from bot.services.sites import add_site
from bot.slots import BookingPolicy
from storage.models import AppointmentRow, ClientRow, ReminderRow
from tests.fakes import FakeClock, FakeNotifier
from tests.helpers import id_of

BERLIN = ZoneInfo("Europe/Berlin")
POLICY = BookingPolicy(
    lead=timedelta(hours=2),
    horizon_days=14,
    max_open=3,
    zone=BERLIN,
    reminder_offsets=(timedelta(hours=24), timedelta(hours=2)),
    quiet=QuietHours(time(21), time(8), BERLIN),
)


async def _setup(
    uow_factory: UnitOfWorkFactory, clock: FakeClock, clients: int = 2
) -> tuple[Staff, list[int]]:
    await add_site(uow_factory, clock, slug="essen", name="Essen", kind=SiteKind.CITY)
    invite = await staff_service.invite_staff(
        uow_factory, clock, site_slug="essen", role=StaffRole.THM
    )
    thm = await staff_service.redeem_staff_invite(
        uow_factory, clock, code=invite.code, telegram_user_id=900, display_name="Anna"
    )
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
    ids: list[int] = []
    async with uow_factory() as uow:
        for user in range(clients):
            c = await uow.clients.add(
                Client(
                    id=None,
                    telegram_user_id=100 + user,
                    chat_id=100 + user,
                    locale="fa_AF",
                    consented_at=clock.now(),
                    site_id=thm.site_id,
                    case_manager_id=thm.id,
                )
            )
            ids.append(id_of(c))
        await uow.commit()
    return thm, ids


async def _rows(engine: AsyncEngine) -> Sequence[Row[tuple[ReminderRow]]]:
    async with engine.connect() as connection:
        return (await connection.execute(select(ReminderRow).order_by(ReminderRow.due_at))).all()


async def _book(
    uow_factory: UnitOfWorkFactory,
    clock: FakeClock,
    thm: Staff,
    client_id: int,
    starts_at: datetime,
) -> BookingOutcome:
    return await booking.book_appointment(
        uow_factory,
        clock,
        POLICY,
        client_id=client_id,
        staff_id=id_of(thm),
        starts_at=starts_at,
        topic=LifeArea.WORK,
    )


async def test_booking_plans_reminders_and_cancel_and_move_follow(
    uow_factory: UnitOfWorkFactory, clock: FakeClock, engine: AsyncEngine
) -> None:
    thm, (client, _) = await _setup(uow_factory, clock)  # now: Wed 25 Nov 10:00 Berlin
    starts = datetime(2026, 11, 27, 9, 0, tzinfo=UTC)  # Fri 10:00 Berlin
    outcome = await _book(uow_factory, clock, thm, client, starts)
    rows = await _rows(engine)
    assert [(r.kind, r.due_at, r.status) for r in rows] == [
        ("24h", datetime(2026, 11, 26, 9, 0, tzinfo=UTC), "pending"),
        ("2h", datetime(2026, 11, 27, 7, 0, tzinfo=UTC), "pending"),
    ]
    moved_to = datetime(2026, 11, 28, 12, 0, tzinfo=UTC)  # Sat 13:00
    await booking.move_appointment(
        uow_factory,
        clock,
        POLICY,
        appointment_id=id_of(outcome.appointment),
        staff_id=id_of(thm),
        starts_at=moved_to,
        client_id=client,
    )
    rows = await _rows(engine)
    assert [(r.kind, r.due_at, r.status) for r in rows] == [
        ("24h", datetime(2026, 11, 27, 12, 0, tzinfo=UTC), "pending"),
        ("2h", datetime(2026, 11, 28, 10, 0, tzinfo=UTC), "pending"),
    ]
    await booking.cancel_appointment(
        uow_factory, clock, appointment_id=id_of(outcome.appointment), client_id=client
    )
    assert {r.status for r in await _rows(engine)} == {"cancelled"}


async def test_a_reminder_already_past_at_booking_is_skipped(
    uow_factory: UnitOfWorkFactory, clock: FakeClock, engine: AsyncEngine
) -> None:
    thm, (client, _) = await _setup(uow_factory, clock)
    await _book(
        uow_factory, clock, thm, client, datetime(2026, 11, 25, 15, 0, tzinfo=UTC)
    )  # in 6 h
    assert [(r.kind, r.status) for r in await _rows(engine)] == [
        ("24h", "skipped"),
        ("2h", "pending"),
    ]


async def test_dispatch_sends_due_ones_once_and_respects_quiet_hours(
    uow_factory: UnitOfWorkFactory, clock: FakeClock, engine: AsyncEngine
) -> None:
    thm, (client, _) = await _setup(uow_factory, clock)
    await _book(uow_factory, clock, thm, client, datetime(2026, 11, 27, 9, 0, tzinfo=UTC))
    sender = FakeNotifier()
    assert (await dispatch_due(uow_factory, clock, sender, POLICY)).sent == 0  # nothing due yet
    clock.current = datetime(2026, 11, 26, 9, 0, 10, tzinfo=UTC)
    report = await dispatch_due(uow_factory, clock, sender, POLICY)
    assert report.sent == 1 and sum(sender.sent.values()) == 1
    assert (await dispatch_due(uow_factory, clock, sender, POLICY)).sent == 0  # not again
    # Downtime across the 2 h reminder's due time: sent at the next tick, as the
    # appointment is still ahead and it is not quiet.
    clock.current = datetime(2026, 11, 27, 8, 30, tzinfo=UTC)
    assert (await dispatch_due(uow_factory, clock, sender, POLICY)).sent == 1
    assert {r.status for r in await _rows(engine)} == {"sent"}


async def test_after_downtime_into_quiet_hours_or_past_the_appointment_it_is_skipped(
    uow_factory: UnitOfWorkFactory, clock: FakeClock, engine: AsyncEngine
) -> None:
    thm, (client, other) = await _setup(uow_factory, clock)
    await _book(uow_factory, clock, thm, client, datetime(2026, 11, 27, 9, 0, tzinfo=UTC))
    clock.current = datetime(2026, 11, 26, 22, 30, tzinfo=UTC)  # 23:30 Berlin: quiet
    sender = FakeNotifier()
    report = await dispatch_due(uow_factory, clock, sender, POLICY)
    assert report.skipped == 1 and report.sent == 0  # the 24 h one, now in quiet hours
    clock.current = datetime(2026, 11, 27, 10, 0, tzinfo=UTC)  # after the appointment
    report = await dispatch_due(uow_factory, clock, sender, POLICY)
    assert report.skipped == 1 and not sender.sent


async def test_retry_after_reschedules_and_never_drops(
    uow_factory: UnitOfWorkFactory, clock: FakeClock, engine: AsyncEngine
) -> None:
    thm, (client, _) = await _setup(uow_factory, clock)
    await _book(uow_factory, clock, thm, client, datetime(2026, 11, 27, 9, 0, tzinfo=UTC))
    clock.current = datetime(2026, 11, 26, 9, 0, 10, tzinfo=UTC)
    sender = FakeNotifier()
    sender.outcomes[100] = SendResult(Outcome.RETRY, retry_after=7)
    assert (await dispatch_due(uow_factory, clock, sender, POLICY)).retried == 1
    row = (await _rows(engine))[0]
    assert row.status == "pending" and row.due_at == clock.current + timedelta(seconds=7)
    sender.outcomes.clear()
    assert (await dispatch_due(uow_factory, clock, sender, POLICY)).sent == 0  # not yet
    clock.advance(seconds=8)
    assert (await dispatch_due(uow_factory, clock, sender, POLICY)).sent == 1


async def test_a_blocked_client_is_marked_and_the_case_manager_told_once(
    uow_factory: UnitOfWorkFactory, clock: FakeClock, engine: AsyncEngine
) -> None:
    thm, (client, _) = await _setup(uow_factory, clock)
    await _book(uow_factory, clock, thm, client, datetime(2026, 11, 27, 9, 0, tzinfo=UTC))
    await _book(uow_factory, clock, thm, client, datetime(2026, 11, 27, 10, 0, tzinfo=UTC))
    clock.current = datetime(2026, 11, 26, 10, 30, tzinfo=UTC)
    sender = FakeNotifier()
    sender.outcomes[100] = SendResult(Outcome.BLOCKED)
    report = await dispatch_due(uow_factory, clock, sender, POLICY)
    assert report.blocked == 2 and sender.unreachable_told == [client]
    async with engine.connect() as connection:
        marked = await connection.execute(
            select(ClientRow.unreachable_at).where(ClientRow.id == client)
        )
        assert marked.scalar_one() is not None


async def test_a_crash_between_send_and_mark_repeats_only_that_one(
    uow_factory: UnitOfWorkFactory, clock: FakeClock, engine: AsyncEngine
) -> None:
    thm, (client, _) = await _setup(uow_factory, clock)
    await _book(uow_factory, clock, thm, client, datetime(2026, 11, 27, 9, 0, tzinfo=UTC))
    await _book(uow_factory, clock, thm, client, datetime(2026, 11, 27, 10, 0, tzinfo=UTC))
    clock.current = datetime(2026, 11, 26, 10, 30, tzinfo=UTC)
    # A dispatcher claims both, sends one and dies before marking it.
    async with uow_factory() as uow:
        claimed = await uow.reminders.claim_due(
            clock.now(), clock.now() + timedelta(minutes=5), "dead", 10
        )
        await uow.commit()
    assert len(claimed) == 2
    sender = FakeNotifier()
    assert (await dispatch_due(uow_factory, clock, sender, POLICY)).claimed == []  # lease holds
    clock.advance(minutes=6)
    report = await dispatch_due(uow_factory, clock, sender, POLICY)
    assert sorted(report.claimed) == sorted(claimed) and report.sent == 2
    assert (await dispatch_due(uow_factory, clock, sender, POLICY)).claimed == []


async def test_two_dispatchers_send_1000_reminders_exactly_once(
    uow_factory: UnitOfWorkFactory, clock: FakeClock, engine: AsyncEngine
) -> None:
    thm, clients = await _setup(uow_factory, clock, clients=10)
    base = datetime(2026, 11, 26, 12, 0, tzinfo=UTC)
    now = clock.now()
    async with engine.begin() as connection:
        appointments = [
            {
                "client_id": clients[i % 10],
                "staff_id": thm.id,
                "starts_at": base + timedelta(minutes=i),
                "ends_at": base + timedelta(minutes=i + 1),
                "mode": "phone",
                "topic": "work",
                "status": "booked",
                "booked_by": "client",
                "created_at": now,
                "updated_at": now,
            }
            for i in range(1000)
        ]
        await connection.execute(insert(AppointmentRow), appointments)
        ids = (await connection.execute(select(AppointmentRow.id))).scalars().all()
        await connection.execute(
            insert(ReminderRow),
            [
                {
                    "appointment_id": a,
                    "kind": "24h",
                    "due_at": now - timedelta(minutes=1),
                    "status": "pending",
                    "attempts": 0,
                    "created_at": now,
                }
                for a in ids
            ],
        )
    sender = FakeNotifier(delay=0.002)
    reports = await asyncio.gather(
        dispatch_due(uow_factory, clock, sender, POLICY, batch=50),
        dispatch_due(uow_factory, clock, sender, POLICY, batch=50),
    )
    assert sum(r.sent for r in reports) == 1000
    assert len(sender.sent) == 1000 and max(sender.sent.values()) == 1
    assert set(reports[0].claimed).isdisjoint(reports[1].claimed)
    assert {r.status for r in await _rows(engine)} == {"sent"}


async def test_agendas_once_a_day_on_working_days(
    uow_factory: UnitOfWorkFactory, clock: FakeClock
) -> None:
    thm, (client, _) = await _setup(uow_factory, clock)
    await _book(uow_factory, clock, thm, client, datetime(2026, 11, 26, 9, 0, tzinfo=UTC))
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
