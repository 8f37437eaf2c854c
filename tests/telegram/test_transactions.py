"""How many transactions a tap costs: confirming a booking runs at most three (the
update's start, the booking itself, and the writes left for the update's end)."""

from __future__ import annotations

from sqlalchemy import Connection, event, select
from sqlalchemy.ext.asyncio import AsyncEngine

from handlers.client import booking_views as bv
from storage.models import AppointmentRow
from storage.note_models import BotMessageRow
from tests.telegram.test_booking_flow import site_with_case_manager
from tests.telegram.world import World, consented_client, pick_day


class Transactions:
    """Counts transactions begun on the engine (each unit of work is one)."""

    def __init__(self, engine: AsyncEngine) -> None:
        self.count = 0
        self._engine = engine.sync_engine
        event.listen(self._engine, "begin", self._begun)

    def _begun(self, _connection: Connection) -> None:
        self.count += 1

    def close(self) -> None:
        event.remove(self._engine, "begin", self._begun)


async def test_confirming_a_booking_runs_at_most_three_transactions(world: World) -> None:
    t = world.t("de")
    await site_with_case_manager(world)
    client = await consented_client(world, 5900, "de")
    await pick_day(client, t)
    await client.tap("09:30")
    await client.tap(t.p_("button", "No, thank you"))

    transactions = Transactions(world.engine)
    try:
        sent = await client.tap(t.p_("button", "✅ Book this appointment"))
    finally:
        transactions.close()

    assert any(s.text and s.text.startswith(bv.booked(t, "").text[:20]) for s in sent)
    assert transactions.count <= 3, transactions.count
    # What was done in those three: the appointment, its reminders, the case manager's
    # notice (sent), the ids of the messages sent, the cleared conversation.
    async with world.engine.connect() as connection:
        assert (await connection.execute(select(AppointmentRow))).one().status == "booked"
        recorded = (await connection.execute(select(BotMessageRow.chat_id))).scalars().all()
    assert 5900 in recorded and 700 in recorded
