"""Over HTTP: a case manager writes a note about a new client; the typed message is
deleted from the chat, only ciphertext is stored, and shown notes are protected."""

from __future__ import annotations

import sqlite3
import stat

import pytest

from bot.domain import LifeArea
from bot.i18n import Catalogs
from handlers import labels
from tests.e2e import conftest as e2e
from tests.e2e.conftest import BotProcess, inline_keyboard, tap, wait_for

pytestmark = pytest.mark.e2e

MANAGER, CLIENT = 620001, 620002
NOTE = "Erstgespräch: sucht Ausbildung als Elektroniker, Schulzeugnis fehlt noch"


async def test_a_note_leaves_the_chat_and_is_stored_encrypted(bot_process: BotProcess) -> None:
    emulator = bot_process.server.emulator
    await e2e.dari_client_of_a_phone_case_manager(bot_process, MANAGER, CLIENT)
    de = Catalogs().translator("de")

    last = emulator.chat(MANAGER)[-1].message_id
    sent = await emulator.user_message(MANAGER, text="/note")
    picker = await e2e.wait_for_message(
        bot_process.server, MANAGER, sent["message"]["message_id"], what="the client picker"
    )
    # The new client came by the site link: nobody's yet, offered all the same.
    label = inline_keyboard(picker)[0][0]["text"]
    assert label == de._("Client no. {number}", number=1) and picker.message_id > last
    await tap(bot_process, MANAGER, label)
    await tap(bot_process, MANAGER, labels.life_area(de, LifeArea.TRAINING))
    await tap(bot_process, MANAGER, de.p_("button", "✍️ Next: type the note"))
    typed = await emulator.user_message(MANAGER, text=NOTE)
    typed_id = typed["message"]["message_id"]
    await wait_for(
        lambda: emulator.messages[(MANAGER, typed_id)].deleted,
        what="the typed note to be deleted",
    )
    assert all(NOTE not in (m.visible or "") for m in emulator.chat(MANAGER))

    database = bot_process.database_path
    with sqlite3.connect(database) as connection:
        (body,) = connection.execute("SELECT body FROM notes").fetchone()
    assert "Elektroniker" not in body and body.startswith("gAAAAA")
    key_file = database.parent / "notes.key"
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600

    await tap(bot_process, MANAGER, de.p_("button", "🗒 Notes of this client"))
    shown = await wait_for(
        lambda: next(
            (m for m in emulator.chat(MANAGER) if "Elektroniker" in (m.visible or "")), None
        ),
        what="the note shown",
    )
    assert shown.protect_content
    assert NOTE not in bot_process.log_text()
