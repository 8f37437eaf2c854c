"""The Bot API emulator answers like Telegram, limits included, through aiogram's HTTP client."""

from __future__ import annotations

import asyncio

import aiohttp
import pytest
from aiogram import Bot
from aiogram.exceptions import TelegramBadRequest, TelegramForbiddenError, TelegramRetryAfter
from aiogram.types import (
    BotCommand,
    BotCommandScopeChat,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    Message,
)

from emulator import Emulator, EmulatorServer


@pytest.fixture
def emulator() -> Emulator:
    return Emulator(rate_limit_per_second=5)


def _keyboard(data: str) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        inline_keyboard=[[InlineKeyboardButton(text="x", callback_data=data)]]
    )


async def test_get_me_and_send_message(server: EmulatorServer, bot: Bot) -> None:
    me = await bot.get_me()
    assert me.id == 123 and me.is_bot
    server.emulator.user(7, language_code="fa")
    message = await bot.send_message(
        7, "<b>سلام</b> &amp; hi", parse_mode="HTML", reply_markup=_keyboard("a:1")
    )
    assert message.text == "سلام & hi"
    assert message.chat.id == 7 and message.message_id == 1
    markup = server.emulator.chat(7)[0].reply_markup
    assert markup is not None and markup["inline_keyboard"][0][0]["callback_data"] == "a:1"


async def test_limits(server: EmulatorServer, bot: Bot) -> None:
    server.emulator.user(7)
    await bot.send_message(7, "ب" * 4096)
    with pytest.raises(TelegramBadRequest, match="too long"):
        await bot.send_message(7, "ب" * 4097)
    with pytest.raises(TelegramBadRequest, match="BUTTON_DATA_INVALID"):
        await bot.send_message(7, "x", reply_markup=_keyboard("é" * 33))  # 66 bytes
    with pytest.raises(TelegramBadRequest, match="parse entities"):
        await bot.send_message(7, "<b>open", parse_mode="HTML")
    with pytest.raises(TelegramBadRequest, match="chat not found"):
        await bot.send_message(8, "nobody")


async def test_rate_limit_answers_429_with_retry_after(server: EmulatorServer, bot: Bot) -> None:
    server.emulator.user(7)
    with pytest.raises(TelegramRetryAfter) as info:
        for _ in range(10):
            await bot.send_message(7, "x")
    assert info.value.retry_after == 1


async def test_blocked_user_is_403(server: EmulatorServer, bot: Bot) -> None:
    server.emulator.block(7)
    with pytest.raises(TelegramForbiddenError):
        await bot.send_message(7, "x")


async def test_edit_delete_and_not_modified(server: EmulatorServer, bot: Bot) -> None:
    server.emulator.user(7)
    sent = await bot.send_message(7, "one", reply_markup=_keyboard("a"))
    edited = await bot.edit_message_text("two", chat_id=7, message_id=sent.message_id)
    assert isinstance(edited, Message) and edited.text == "two"
    with pytest.raises(TelegramBadRequest, match="not modified"):
        await bot.edit_message_text("two", chat_id=7, message_id=sent.message_id)
    await bot.edit_message_reply_markup(
        chat_id=7, message_id=sent.message_id, reply_markup=_keyboard("b")
    )
    assert await bot.delete_message(7, sent.message_id) is True
    with pytest.raises(TelegramBadRequest):
        await bot.delete_message(7, sent.message_id)
    assert server.emulator.chat(7) == []


async def test_long_polling_and_callback_answers(server: EmulatorServer, bot: Bot) -> None:
    emulator = server.emulator
    waiting = asyncio.create_task(bot.get_updates(timeout=5))
    await asyncio.sleep(0.2)
    assert not waiting.done()
    await emulator.user_message(9, text="/start abc", language_code="ps")
    updates = await asyncio.wait_for(waiting, 3)
    message = updates[0].message
    assert message is not None and message.from_user is not None and message.entities
    assert message.text == "/start abc"
    assert message.from_user.language_code == "ps"
    assert message.entities[0].type == "bot_command"
    # Confirming by offset drops them.
    assert await bot.get_updates(offset=updates[-1].update_id + 1, timeout=0) == []

    sent = await bot.send_message(9, "pick", reply_markup=_keyboard("lang:ps"))
    await emulator.press(9, sent.message_id, "lang:ps")
    [update] = await bot.get_updates(offset=updates[-1].update_id + 1, timeout=1)
    query = update.callback_query
    assert query is not None and query.message is not None
    assert query.data == "lang:ps" and query.message.message_id == sent.message_id
    assert await bot.answer_callback_query(query.id, text="ok") is True
    with pytest.raises(TelegramBadRequest, match="query"):
        await bot.answer_callback_query(query.id)  # answered twice
    with pytest.raises(TelegramBadRequest, match="query"):
        await bot.answer_callback_query("999")  # never issued


async def test_commands_per_scope_and_language(server: EmulatorServer, bot: Bot) -> None:
    server.emulator.user(7)
    await bot.set_my_commands(
        [BotCommand(command="start", description="Start")], language_code="fa"
    )
    await bot.set_my_commands(
        [BotCommand(command="help", description="مرسته")], scope=BotCommandScopeChat(chat_id=7)
    )
    assert server.emulator.commands["default|fa"][0]["command"] == "start"
    assert server.emulator.commands["chat:7|"][0]["description"] == "مرسته"
    with pytest.raises(TelegramBadRequest):
        await bot.set_my_commands([BotCommand(command="Bad Command", description="x")])


async def test_unknown_method_and_control_api(server: EmulatorServer, bot_url: str) -> None:
    async with aiohttp.ClientSession() as http:
        async with http.post(f"{bot_url}/launchRockets") as response:
            assert response.status == 404
            assert (await response.json())["ok"] is False
        async with http.post(
            f"{server.base_url}/_emulator/message", json={"user_id": 5, "kind": "voice"}
        ) as response:
            assert "voice" in (await response.json())["message"]
        async with http.get(f"{server.base_url}/_emulator/chat/5") as response:
            assert await response.json() == []


async def test_inline_queries_and_answers(server: EmulatorServer, bot: Bot) -> None:
    from aiogram.types import InlineQueryResultArticle, InputTextMessageContent

    update = await server.emulator.inline_query(7, "Deutschkurs")
    [received] = await bot.get_updates(timeout=1)
    assert received.inline_query is not None
    assert received.inline_query.query == "Deutschkurs"
    query_id = update["inline_query"]["id"]
    result = InlineQueryResultArticle(
        id="1", title="Deutschkurs", input_message_content=InputTextMessageContent(message_text="x")
    )
    assert await bot.answer_inline_query(query_id, [result], cache_time=0) is True
    assert server.emulator.inline_answers[query_id][0]["title"] == "Deutschkurs"
    with pytest.raises(TelegramBadRequest):
        await bot.answer_inline_query(query_id, [result])
