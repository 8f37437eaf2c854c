"""The booking world the reminder service tests share: a THM working every day, their
clients, bookings under POLICY (tests/unit/test_reminders_*.py)."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta

from bot.domain import (
    Mode,
    Staff,
)
from bot.reminder_schedule import QuietHours
from bot.services import staff as staff_service
from bot.services.booking import BookingOutcome
from bot.slots import BookingPolicy
from tests.fake_uow import FakeUnitOfWorkFactory
from tests.fakes import FakeClock
from tests.helpers import id_of
from tests.unit.service_setup import BERLIN, add_client, add_staff, book

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


async def setup_clients(
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


async def book_at(
    uow_factory: FakeUnitOfWorkFactory,
    clock: FakeClock,
    thm: Staff,
    client_id: int,
    starts_at: datetime,
) -> BookingOutcome:
    """The client books `starts_at` with the THM under this file's POLICY."""
    return await book(uow_factory, clock, client_id, id_of(thm), starts_at, policy=POLICY)


async def booked(
    uow_factory: FakeUnitOfWorkFactory,
    clock: FakeClock,
    *starts: datetime,
    then: datetime | None = None,
) -> tuple[Staff, int, BookingOutcome]:
    """_setup, then the first client books each of `starts` (FRIDAY_10 when none is given)
    and, with `then`, the clock moves on to it. The THM, the client and the first booking."""
    thm, (client, _) = await setup_clients(uow_factory, clock)
    outcomes = [await book_at(uow_factory, clock, thm, client, at) for at in starts or [FRIDAY_10]]
    if then is not None:
        clock.current = then
    return thm, client, outcomes[0]


def reminder_rows(uow_factory: FakeUnitOfWorkFactory) -> list[tuple[str, datetime, str]]:
    return [(r.kind, r.due_at, r.status.value) for r in uow_factory.db.reminders()]
