"""A case manager's week on a real database (SQLite; PostgreSQL with TEST_DATABASE_URL):
the same few statements however many appointments it has, and an index for its range
(console benchmark, issue 20: My week took p99 367 ms with 2,500 appointments)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import event, text, update

from bot.domain import ReminderStatus
from bot.services.agenda import agenda
from storage.models import ReminderRow
from tests.helpers import id_of
from tests.integration.conftest import Db
from tests.integration.test_reminders import FRIDAY_10, FRIDAY_11, POLICY, _office
from tests.unit.service_setup import BERLIN


async def test_the_week_takes_three_queries_and_marks_expired_reminders(db: Db) -> None:
    office = await _office(db, clients=3)
    for number, starts in enumerate((FRIDAY_10, FRIDAY_11)):
        await db.book(office.clients[number], id_of(office.thm), starts, policy=POLICY)
    booked = await db.book(
        office.clients[2], id_of(office.thm), FRIDAY_11.replace(hour=12), policy=POLICY
    )
    assert booked.appointment is not None
    async with db.engine.begin() as connection:
        await connection.execute(
            update(ReminderRow)
            .where(ReminderRow.appointment_id == booked.appointment.id)
            .values(status=ReminderStatus.EXPIRED.value)
        )
    statements: list[str] = []

    def count(*args: Any) -> None:
        statements.append(args[2])

    event.listen(db.engine.sync_engine, "before_cursor_execute", count)
    try:
        items = await agenda(db.uow_factory, db.clock, BERLIN, staff=office.thm, days=7)
    finally:
        event.remove(db.engine.sync_engine, "before_cursor_execute", count)
    assert [item.client.id for item in items] == office.clients
    assert [item.reminder_expired for item in items] == [False, False, True]
    # Appointments, their clients, their expired reminders, the audit row: not 2 per item.
    assert len([s for s in statements if s.lstrip().upper().startswith("SELECT")]) == 3


async def test_clients_and_expired_reminders_by_many_ids(db: Db) -> None:
    office = await _office(db, clients=2)
    async with db.uow_factory() as uow:
        found = await uow.clients.get_many([office.clients[1], 99_999, office.clients[1]])
        assert (
            list(found) == [office.clients[1]] and found[office.clients[1]].id == office.clients[1]
        )
        assert await uow.clients.get_many([]) == {}
        assert await uow.reminders.expired_among([]) == set()
        assert await uow.reminders.expired_among([1, 2]) == set()


async def test_sqlite_finds_a_staff_members_week_through_its_index(db: Db) -> None:
    if db.engine.dialect.name != "sqlite":
        return  # PostgreSQL's planner chooses by statistics
    plan = await db.rows(
        text(
            "EXPLAIN QUERY PLAN SELECT id FROM appointments WHERE staff_id = 1 "
            "AND starts_at >= '2026-01-01' AND starts_at < '2026-01-08' ORDER BY starts_at"
        )
    )
    assert "ix_appointments_staff_starts" in " ".join(str(row[-1]) for row in plan)
