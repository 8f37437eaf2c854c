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
    KeyboardButton,
    Message,
    ReplyKeyboardMarkup,
    ReplyKeyboardRemove,
    ReplyParameters,
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


# ----- issue 18: what the demo page draws ---------------------------------------------------
async def test_a_reply_keyboard_is_kept_and_its_contact_button_shares_the_own_number(
    server: EmulatorServer, bot: Bot
) -> None:
    emulator = server.emulator
    user = emulator.user(7, first_name="Nilab")
    user.phone_number = "+4917612345678"
    keyboard = ReplyKeyboardMarkup(
        keyboard=[
            [KeyboardButton(text="📞 Share my phone number", request_contact=True)],
            [KeyboardButton(text="✖️ Stop")],
        ],
        one_time_keyboard=True,
        input_field_placeholder="+49 …",
    )
    sent = await bot.send_message(7, "Your number?", reply_markup=keyboard)
    await bot.send_message(7, "(a message without a keyboard keeps it)")
    shown = emulator.screen(7)["keyboard"]
    assert shown == {
        "message_id": sent.message_id,
        "rows": [
            [{"text": "📞 Share my phone number", "request_contact": True}],
            [{"text": "✖️ Stop"}],
        ],
        "hidden": False,
        "one_time": True,
        "placeholder": "+49 …",
    }
    async with aiohttp.ClientSession() as http:
        tap = {"user_id": 7, "row": 0, "column": 0}
        async with http.post(f"{server.base_url}/_emulator/keyboard", json=tap) as response:
            assert response.status == 200
    [update] = await bot.get_updates(timeout=1)
    message = update.message
    assert message is not None and message.contact is not None and message.from_user is not None
    assert message.contact.phone_number == "+4917612345678"
    assert message.contact.user_id == message.from_user.id == 7
    assert message.contact.first_name == "Nilab"
    # One-time: folded away after the tap (the page shows its icon), opened again on demand.
    assert emulator.reply_keyboard(7) == {**shown, "hidden": True}
    emulator.show_reply_keyboard(7)
    await emulator.tap_reply_button(7, 1, 0)
    [update] = await bot.get_updates(offset=update.update_id + 1, timeout=1)
    assert update.message is not None and update.message.text == "✖️ Stop"
    # ReplyKeyboardRemove takes it away; then there is nothing to tap.
    await bot.send_message(7, "Stopped.", reply_markup=ReplyKeyboardRemove())
    assert emulator.screen(7)["keyboard"] is None
    async with aiohttp.ClientSession() as http:
        tap = {"user_id": 7, "row": 0, "column": 0}
        async with http.post(f"{server.base_url}/_emulator/keyboard", json=tap) as response:
            assert response.status == 400


async def test_the_answer_to_a_tap_is_there_for_the_page(server: EmulatorServer, bot: Bot) -> None:
    emulator = server.emulator
    emulator.user(9)
    sent = await bot.send_message(9, "pick", reply_markup=_keyboard("offer:send"))
    update = await emulator.press(9, sent.message_id, "offer:send")
    callback_id = update["callback_query"]["id"]
    url = f"{server.base_url}/_emulator/callback_answer/{callback_id}"
    async with aiohttp.ClientSession() as http:
        async with http.get(url) as response:
            assert await response.json() == {"answered": False}
        await bot.answer_callback_query(callback_id, text="✓ Sent to Ahmad K.", show_alert=True)
        async with http.get(url) as response:
            assert await response.json() == {
                "answered": True,
                "text": "✓ Sent to Ahmad K.",
                "show_alert": True,
            }


async def test_entities_links_and_replies(server: EmulatorServer, bot: Bot) -> None:
    emulator = server.emulator
    emulator.user(7)
    sent = await bot.send_message(
        7,
        '<b>Kurs</b> <a href="https://example.org/?a=1&amp;b=2">Karte</a>\n'
        "📞 \u2068+49 201 2194350\u2069 · www.beispiel.de. · /privacy",
        parse_mode="HTML",
    )
    entities = [(e.type, e.extract_from(sent.text or "")) for e in sent.entities or []]
    assert entities == [
        ("bold", "Kurs"),
        ("text_link", "Karte"),
        ("phone_number", "+49 201 2194350"),
        ("url", "www.beispiel.de"),
        ("bot_command", "/privacy"),
    ]
    assert sent.entities is not None and sent.entities[1].url == "https://example.org/?a=1&b=2"
    # The user replies to it (Telegram's reply); the bot sees which message, the page too.
    update = await emulator.user_message(7, text="Danke", reply_to=sent.message_id)
    assert update["message"]["reply_to_message"]["message_id"] == sent.message_id
    [view] = [m for m in emulator.screen(7)["messages"] if not m["from_bot"]]
    assert view["reply_to"] == {
        "message_id": sent.message_id,
        "from_bot": True,
        "text": (sent.text or "")[:80],
        "deleted": False,
    }
    assert emulator.screen(7)["messages"][0]["entities"][1]["type"] == "text_link"
    # A reply of the bot (reply_parameters) carries the message it answers.
    answer = await bot.send_message(
        7, "Gern.", reply_parameters=ReplyParameters(message_id=update["message"]["message_id"])
    )
    assert answer.reply_to_message is not None and answer.reply_to_message.text == "Danke"


async def test_url_buttons_take_only_web_and_telegram_addresses(
    server: EmulatorServer, bot: Bot
) -> None:
    server.emulator.user(7)
    bad = InlineKeyboardMarkup(
        inline_keyboard=[[InlineKeyboardButton(text="x", url="javascript:alert(1)")]]
    )
    with pytest.raises(TelegramBadRequest, match="BUTTON_URL_INVALID"):
        await bot.send_message(7, "x", reply_markup=bad)


async def test_the_demo_page_serves_only_its_files_under_a_strict_policy() -> None:
    server = EmulatorServer(demo_page=True)
    await server.start()
    try:
        async with aiohttp.ClientSession() as http:
            async with http.get(server.base_url + "/") as response:
                policy = response.headers["Content-Security-Policy"]
                page = await response.text()
            assert "script-src 'self'" in policy and "'unsafe-inline'" not in policy
            assert 'rel="icon"' in page and "<script>" not in page  # no inline script
            for name, kind in (("demo.js", "text/javascript"), ("favicon.svg", "image/svg+xml")):
                async with http.get(f"{server.base_url}/static/{name}") as response:
                    assert response.status == 200 and response.content_type == kind
            async with http.get(server.base_url + "/favicon.ico") as response:
                assert response.status == 200 and b"<svg" in await response.read()
            for name in ("demo.html", "..%2Fstate.py", "state.py"):
                async with http.get(f"{server.base_url}/static/{name}") as response:
                    assert response.status == 404
    finally:
        await server.stop()
