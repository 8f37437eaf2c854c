"""Per-update writes: the conversation is read from the cache and written once, at the
end of the update; aiogram's response models are built once; who writes is read in one
transaction."""

from __future__ import annotations

import gc
from typing import Any, NoReturn

import pytest
from aiogram.methods.base import Response
from aiogram.types import Message, TelegramObject, Update
from sqlalchemy import Connection, event, select
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.ports import UnitOfWork, UnitOfWorkFactory
from bot.services.updates import TOUCH_EVERY, begin_update
from handlers import views
from handlers.plumbing.deferred import FlushAfterUpdate, Pending, defer
from storage.models import ClientRow, ConversationRow
from tests.telegram.harness import TelegramHarness
from tests.telegram.world import World


class Statements:
    def __init__(self, engine: AsyncEngine) -> None:
        self.seen: list[str] = []
        self._engine = engine.sync_engine
        event.listen(self._engine, "before_cursor_execute", self._record)

    def _record(self, _conn: Connection, _cursor: object, statement: str, *_args: object) -> None:
        self.seen.append(" ".join(statement.split()))

    def about(self, table: str) -> list[str]:
        return [s for s in self.seen if table in s]

    def close(self) -> None:
        event.remove(self._engine, "before_cursor_execute", self._record)


async def test_a_step_reads_the_conversation_from_the_cache_and_writes_it_once(
    world: World,
) -> None:
    engine = world.engine
    person = world.harness.person(4100, "en")
    await person.send("/start site-essen")
    statements = Statements(engine)
    try:
        sent = await person.tap("English")
    finally:
        statements.close()
    assert sent[-1].text == views.consent_notice(world.t("en")).text
    conversation = statements.about("conversations")
    assert not [s for s in conversation if s.startswith("SELECT")]  # known since /start
    writes = [s for s in conversation if s.startswith(("INSERT", "UPDATE", "DELETE"))]
    assert len(writes) == 1, writes
    async with engine.connect() as connection:
        state = await connection.scalar(
            select(ConversationRow.state).where(ConversationRow.telegram_user_id == 4100)
        )
    assert state == "OnboardingSG:consent"  # stored when the update ended


async def test_deferred_writes_run_after_a_failing_handler(uow_factory: UnitOfWorkFactory) -> None:
    written: list[str] = []

    class Writer:
        def take(self) -> Pending:
            async def write(_uow: UnitOfWork) -> None:
                written.append("flushed")

            return Pending(write)

    writer = Writer()

    async def handler(_event: TelegramObject, _data: dict[str, Any]) -> NoReturn:
        assert defer(writer) is True
        assert defer(writer) is True  # asked twice, run once
        raise RuntimeError("boom")

    with pytest.raises(RuntimeError):
        await FlushAfterUpdate(uow_factory)(handler, Update(update_id=1), {})
    assert written == ["flushed"]
    assert defer(writer) is False  # outside an update: the caller writes at once


async def test_a_failed_end_of_update_write_keeps_the_conversation_for_the_next(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    harness, engine = world.harness, world.engine
    # The state and the sent-message ids go in one transaction; when it fails, the
    # conversation stays changed in the cache and is written with the next write.
    from handlers.plumbing import deferred

    person = harness.person(4103, "en")
    await person.send("/start")
    real = deferred.write_together

    async def refuse(*_args: object, **_kwargs: object) -> None:
        raise ConnectionError("database away")

    monkeypatch.setattr(deferred, "write_together", refuse)
    await person.tap("English")
    monkeypatch.setattr(deferred, "write_together", real)
    async with engine.connect() as connection:
        before = await connection.scalar(
            select(ConversationRow.state).where(ConversationRow.telegram_user_id == 4103)
        )
    assert before == "OnboardingSG:language"
    await harness.person(4104, "en").send("/start")  # someone else's step writes
    async with engine.connect() as connection:
        after = await connection.scalar(
            select(ConversationRow.state).where(ConversationRow.telegram_user_id == 4103)
        )
    assert after == "OnboardingSG:consent"


async def test_response_models_are_built_once(harness: TelegramHarness) -> None:
    person = harness.person(4101, "de")
    await person.send("/start")
    model = Response[Message]
    gc.collect()
    assert Response[Message] is model


async def test_activity_is_written_once_a_day_and_a_writer_is_reachable_again(world: World) -> None:
    uow_factory, clock, engine = world.uow_factory, world.clock, world.engine
    person = world.harness.person(4102, "de")
    await person.send("/start")
    await person.tap("Deutsch")  # the language choice makes the client record
    async with uow_factory() as uow:
        client = await uow.clients.by_telegram_id(4102)
        assert client is not None
        client.unreachable_at = clock.now()
        await uow.clients.update(client)
        await uow.commit()
    first = await begin_update(uow_factory, clock, bot_id=1, update_id=1, telegram_user_id=4102)
    assert first.client is not None and first.client.unreachable_at is None
    seen = first.client.last_seen_at
    clock.advance(hours=1)
    again = await begin_update(uow_factory, clock, bot_id=1, update_id=2, telegram_user_id=4102)
    assert again.client is not None and again.client.last_seen_at == seen
    clock.advance(seconds=TOUCH_EVERY.total_seconds())
    later = await begin_update(uow_factory, clock, bot_id=1, update_id=3, telegram_user_id=4102)
    assert later.client is not None and later.client.last_seen_at == clock.now()
    async with engine.connect() as connection:
        row = (
            await connection.execute(
                select(ClientRow.unreachable_at, ClientRow.last_seen_at).where(
                    ClientRow.telegram_user_id == 4102
                )
            )
        ).one()
    assert row.unreachable_at is None and row.last_seen_at == clock.now()
    duplicate = await begin_update(uow_factory, clock, bot_id=1, update_id=3, telegram_user_id=4102)
    assert duplicate.fresh is False and duplicate.client is None
