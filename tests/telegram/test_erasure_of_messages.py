""" "Delete my data" deletes the client's own recent messages too (issue 18, item 11): the
phone number they shared or typed does not stay in the chat. Only ids are recorded,
never text; no row keeps the erased person's chat id; staff messages are not recorded."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from aiogram.methods import DeleteMessage
from aiogram.types import Chat, Message, TelegramObject, Update, User
from sqlalchemy import select

from bot.domain import Mode
from bot.services.privacy import apply_retention
from handlers.plumbing.deferred import FlushAfterUpdate, do_not_record
from handlers.plumbing.middlewares import RecordReceivedMessages
from storage.note_models import BotMessageRow
from tests.telegram.harness import Person
from tests.telegram.world import World, add_hours, case_manager, client_of

STAFF, CLIENT = 880, 8801
PHONE = "+49 151 7654321"


async def _rows(world: World) -> list[tuple[int, int]]:
    async with world.engine.connect() as connection:
        result = await connection.execute(select(BotMessageRow.chat_id, BotMessageRow.message_id))
        return [(row.chat_id, row.message_id) for row in result]


async def _erase(world: World, person: Person) -> set[int]:
    """Delete my data, confirmed; the ids deleted in the client's chat."""
    fa = world.t("fa_AF")
    await person.tap(fa.p_("button", "🗑 Delete my data"))
    sent = await person.tap(fa.p_("button", "Yes, delete my data"))
    return {
        s.raw.message_id for s in sent if isinstance(s.raw, DeleteMessage) and s.chat_id == CLIENT
    }


async def test_the_clients_own_recent_messages_go_with_the_bots(world: World) -> None:
    manager = await case_manager(world, STAFF)
    await add_hours(world, STAFF, weekday=3, hours=(9, 12), mode=Mode.PHONE)
    await client_of(world, STAFF, CLIENT, "Ahmad K.")
    person = world.harness.person(CLIENT, "fa")

    # Two days ago: a message Telegram no longer lets the bot delete.
    await person.send("سلام")
    old = world.harness.session.calls[-1]
    world.clock.advance(hours=49)
    # Now: the phone number typed as text, a shared contact, and /privacy.
    await person.send(f"my number is {PHONE}")
    await person.send_contact(PHONE)
    shown = await person.send("/privacy")
    own = [1, 2, 3, 4]  # the person's message ids in this chat, in order (harness.Person)
    bot_recent = [s.message_id for s in shown if s.chat_id == CLIENT and s.message_id]
    assert old.message_id is not None
    recorded = await _rows(world)
    assert {(CLIENT, i) for i in own} <= set(recorded)
    # Only ids and times: no column could hold what the person wrote.
    assert {c.name for c in BotMessageRow.__table__.columns} == {
        "id",
        "chat_id",
        "message_id",
        "sent_at",
    }
    # A case manager's own messages are not noted (message 1, their invite link, came
    # before they were staff); the bot's answers to them are, as before.
    answered = await manager.send("/start")
    assert any(s.chat_id == STAFF and s.message_id for s in answered)
    staff_rows = {i for chat, i in await _rows(world) if chat == STAFF}
    assert 2 not in staff_rows
    assert {s.message_id for s in answered if s.chat_id == STAFF} <= staff_rows

    deleted = await _erase(world, person)
    assert set(own[1:]) <= deleted  # typed number, contact card, /privacy
    assert set(bot_recent) <= deleted
    assert own[0] not in deleted and old.message_id not in deleted  # older than 48 hours
    assert CLIENT not in {chat for chat, _ in await _rows(world)}


async def test_a_strangers_ids_are_forgotten_after_48_hours(world: World) -> None:
    """After the erasure the person is a stranger: their messages' ids are still noted (to
    be deletable), and forgotten after 48 hours like the bot's own."""
    await case_manager(world, STAFF)
    await client_of(world, STAFF, CLIENT, "Ahmad K.")
    person = world.harness.person(CLIENT, "fa")
    await person.send("/privacy")
    assert 1 in await _erase(world, person)
    assert CLIENT not in {chat for chat, _ in await _rows(world)}
    await person.send("hello?")
    assert (CLIENT, 2) in await _rows(world)
    world.clock.advance(hours=49)
    await apply_retention(
        world.uow_factory,
        world.clock,
        inactive_after=timedelta(days=365),
        audit_after=timedelta(days=730),
    )
    assert CLIENT not in {chat for chat, _ in await _rows(world)}


async def test_nothing_is_noted_for_a_chat_erased_in_the_same_update(world: World) -> None:
    """The received message's id is written at the update's end; when the update erased
    that chat (do_not_record), it is not written at all."""
    flush, note = FlushAfterUpdate(world.uow_factory), RecordReceivedMessages(world.clock)

    def update(message_id: int) -> Update:
        person = User(id=CLIENT, is_bot=False, first_name="Test")
        message = Message(
            message_id=message_id,
            date=datetime.now(UTC),
            chat=Chat(id=CLIENT, type="private"),
            from_user=person,
            text=PHONE,
        )
        return Update(update_id=message_id, message=message)

    async def run(handler: Any, event: Update) -> None:
        async def noted(e: TelegramObject, data: dict[str, Any]) -> Any:
            return await note(handler, e, data)

        await flush(noted, event, {"acting_staff": None})

    async def erases(_event: TelegramObject, _data: dict[str, Any]) -> None:
        do_not_record(CLIENT)

    async def answers(_event: TelegramObject, _data: dict[str, Any]) -> None:
        return None

    await run(erases, update(7))
    assert await _rows(world) == []
    await run(answers, update(8))
    assert await _rows(world) == [(CLIENT, 8)]
