"""Over HTTP: a case manager looks up an offer and sends it to a client; the client then
erases their data, and the recent messages in their chat (the bot's and their own)
disappear."""

from __future__ import annotations

import json
import sqlite3

import pytest

from emulator.state import visible_text
from handlers import views
from tests.e2e import conftest as e2e
from tests.e2e.conftest import ROOT, BotProcess, button_data, tap, wait_for

pytestmark = pytest.mark.e2e

MANAGER, CLIENT = 640001, 640002


async def test_an_offer_is_sent_and_the_client_erases_everything(bot_process: BotProcess) -> None:
    emulator = bot_process.server.emulator
    dari = await e2e.dari_client_of_a_phone_case_manager(bot_process, MANAGER, CLIENT)
    await bot_process.cli("offers", "import", str(ROOT / "samples" / "offers_sample.csv"))

    last = emulator.chat(MANAGER)[-1].message_id
    await emulator.user_message(MANAGER, text="/offers Deutschkurs")
    results = await e2e.wait_for_message(bot_process.server, MANAGER, last, what="the results")
    card = button_data(results, "Deutsch")
    await emulator.press(MANAGER, results.message_id, card)
    shown = await wait_for(
        lambda: next(
            (m for m in emulator.chat(MANAGER) if "of:send" in json.dumps(m.reply_markup)), None
        ),
        what="the offer card",
    )
    await emulator.press(MANAGER, shown.message_id, button_data(shown, "📤"))
    chooser = await wait_for(
        lambda: next(
            (m for m in emulator.chat(MANAGER) if "of:to:" in json.dumps(m.reply_markup)), None
        ),
        what="the client chooser",
    )
    before = emulator.chat(CLIENT)[-1].message_id
    to = next(
        b["callback_data"]
        for row in chooser.reply_markup["inline_keyboard"]
        for b in row
        if b["callback_data"].startswith("of:to:")
    )
    await emulator.press(MANAGER, chooser.message_id, to)
    offer = await e2e.wait_for_message(
        bot_process.server, CLIENT, before, what="the offer at the client"
    )
    assert offer.visible is not None
    assert visible_text(dari._("📌 Your advisor sends you this offer:"), "HTML") in offer.visible

    # The client types their phone number into the chat (issue 18, item 11).
    typed = await emulator.user_message(CLIENT, text="+49 151 7654321")
    typed_id = typed["message"]["message_id"]
    # As a person would: read the answer to the number before opening /privacy (the relay
    # answers after its translation call, which may end after a quick next update began).
    await wait_for(
        lambda: any(m.from_bot and m.message_id > typed_id for m in emulator.chat(CLIENT)),
        what="the answer to the number",
    )
    ids_before = [m.message_id for m in emulator.chat(CLIENT)]
    await emulator.user_message(CLIENT, text="/privacy")
    await wait_for(lambda: emulator.chat(CLIENT)[-1].message_id > max(ids_before), what="privacy")
    await tap(bot_process, CLIENT, dari.p_("button", "🗑 Delete my data"))
    await tap(bot_process, CLIENT, dari.p_("button", "Yes, delete my data"))
    goodbye = visible_text(views.deleted(dari).text, "HTML")
    await wait_for(lambda: any(m.visible == goodbye for m in emulator.chat(CLIENT)), what="goodbye")
    # The offer and the other recent messages of the bot are gone from the chat, and so are
    # the client's own: the typed phone number, /privacy; no row keeps their chat.
    assert offer.message_id not in [m.message_id for m in emulator.chat(CLIENT)]
    deleted = {
        int(r["params"]["message_id"])
        for r in emulator.requests
        if r["method"] == "deleteMessage" and int(r["params"]["chat_id"]) == CLIENT
    }
    assert typed_id in deleted
    assert emulator.messages[(CLIENT, typed_id)].deleted
    own = [m for (chat, _), m in emulator.messages.items() if chat == CLIENT and not m.from_bot]
    assert own and all(m.deleted for m in own)
    with sqlite3.connect(bot_process.database_path) as connection:
        assert connection.execute("SELECT count(*) FROM clients").fetchone() == (0,)
        kept = "SELECT count(*) FROM bot_messages WHERE chat_id = ?"
        assert connection.execute(kept, (CLIENT,)).fetchone() == (0,)
