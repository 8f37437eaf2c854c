"""Two bot processes behind a load balancer, sharing one database and one Redis (issue 21,
item 2): a client's updates alternate between them through a whole booking; the same
update given to both is handled once; the conversation state in Redis is encrypted; one
person's updates are handled one at a time across the processes; when Redis goes away
the person is told to try again, nothing is claimed, and the process works again when
Redis is back. Needs TEST_REDIS_URL (.ci/run starts Redis)."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from typing import Any

import pytest
from aiogram.fsm.storage.base import StorageKey
from aiogram.types import Message, MessageEntity, TelegramObject, Update
from redis.asyncio import Redis
from sqlalchemy import func, select

from storage.models import AppointmentRow, ConversationRow
from tests.telegram.harness import Person
from tests.telegram.two_processes import TwoProcesses, on_two_processes
from tests.telegram.world import (
    World,
    add_hours,
    case_manager,
    consented_client,
    pick_day,
)

STAFF_ID = 910
CLIENT_ID = 9100


@pytest.fixture
def two(world: World, redis_clients: Callable[[], Redis]) -> TwoProcesses:
    return on_two_processes(world, redis_clients)


async def appointments(world: World) -> int:
    async with world.engine.connect() as connection:
        return int(await connection.scalar(select(func.count()).select_from(AppointmentRow)))


async def test_a_booking_whose_updates_alternate_between_two_processes(
    world: World, two: TwoProcesses, redis: Redis
) -> None:
    await case_manager(world, STAFF_ID)
    await add_hours(world, STAFF_ID, weekday=3, hours=(9, 11), address="Rathaus Essen")
    t = world.t("fa_AF")
    client = await consented_client(world, CLIENT_ID, "fa_AF")
    await pick_day(client, t)
    # Half-way: the state lives in Redis, under Lotse's prefix, and expires; it is not
    # in the database.
    keys = [key.decode() async for key in redis.scan_iter("lotse:*")]
    assert f"lotse:{CLIENT_ID}:{CLIENT_ID}:default:state" in keys
    for key in keys:
        assert 0 < await redis.ttl(key) <= 30 * 24 * 3600
    async with world.engine.connect() as connection:
        assert not await connection.scalar(select(func.count()).select_from(ConversationRow))
    await client.tap("09:30")
    await client.tap(t.p_("button", "No, thank you"))
    sent = await client.tap(t.p_("button", "✅ Book this appointment"))
    assert any(s.text and s.text.startswith(t._("✅ Your appointment is booked.")) for s in sent)
    assert await appointments(world) == 1
    # Both processes took turns, the client's steps among them.
    assert two.handled_by.count(0) >= 4 and two.handled_by.count(1) >= 4


async def test_the_same_update_given_to_both_processes_is_handled_once(
    world: World, two: TwoProcesses
) -> None:
    await consented_client(world, CLIENT_ID, "de")
    client = two.person(CLIENT_ID, "de")
    update = _message(client, "/start")
    before = len(two.session.calls)
    first, second = two.processes
    await asyncio.gather(first.feed_update(two.bot, update), second.feed_update(two.bot, update))
    answers = [c for c in two.session.calls[before:] if c.chat_id == CLIENT_ID and c.text]
    assert len(answers) == 1, "the update was handled by both processes"
    # And later again (a webhook retry after a timeout): still once.
    await second.feed_update(two.bot, update)
    assert [c for c in two.session.calls[before:] if c.chat_id == CLIENT_ID] == answers


async def test_the_state_in_redis_is_encrypted(
    world: World, two: TwoProcesses, redis: Redis
) -> None:
    manager = await case_manager(world, STAFF_ID)
    words = "Raeumungsklage Mieterverein"
    await manager.send(f"/offers {words}")
    raw = [await redis.get(key) async for key in redis.scan_iter("lotse:*:data")]
    assert raw, "the search was not kept in Redis"
    for value in raw:
        assert isinstance(value, bytes)
        assert b"Raeumungsklage" not in value and b"Mieterverein" not in value
        assert value.startswith(b"gAAAAA")  # a Fernet token
    # Read back through either process, the words are there.
    for process in two.processes:
        storage = process.fsm.storage
        key = StorageKey(bot_id=two.bot.id, chat_id=STAFF_ID, user_id=STAFF_ID)
        assert (await storage.get_data(key))["of_text"] == words


async def test_one_persons_updates_are_handled_one_at_a_time_across_processes(
    world: World, two: TwoProcesses
) -> None:
    """Two updates of one person, at once on the two processes: the second starts when
    the first is done (a Redis lock); another person is not held up by them."""
    spans: dict[int, list[tuple[str, float]]] = {}

    async def slow(
        handler: Callable[[TelegramObject, dict[str, Any]], Awaitable[Any]],
        event: TelegramObject,
        data: dict[str, Any],
    ) -> Any:
        user = data["event_from_user"]
        loop = asyncio.get_running_loop()
        spans.setdefault(user.id, []).append(("in", loop.time()))
        await asyncio.sleep(0.2)  # a slow handler: a database far away
        try:
            return await handler(event, data)
        finally:
            spans[user.id].append(("out", loop.time()))

    for process in two.processes:
        process.update.outer_middleware(slow)
    client = two.person(CLIENT_ID, "de")
    other = two.person(CLIENT_ID + 1, "de")
    first, second = two.processes
    started = asyncio.get_running_loop().time()
    await asyncio.gather(
        first.feed_update(two.bot, _message(client, "/start")),
        second.feed_update(two.bot, _message(client, "/start")),
        second.feed_update(two.bot, _message(other, "/start")),
    )
    marks = [mark for mark, _ in sorted(spans[CLIENT_ID], key=lambda m: m[1])]
    assert marks == ["in", "out", "in", "out"], "one person's updates overlapped"
    # The other person ran beside them, not after them.
    assert spans[CLIENT_ID + 1][0][1] - started < 0.15


def _message(person: Person, text: str) -> Update:
    return Update(
        update_id=person.harness.next_update_id(),
        message=Message(
            message_id=1,
            date=datetime.now(UTC),
            chat=person.chat,
            from_user=person.user,
            text=text,
            entities=[MessageEntity(type="bot_command", offset=0, length=len(text))],
        ),
    )
