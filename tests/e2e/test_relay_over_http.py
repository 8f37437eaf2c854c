"""Over HTTP: a Dari speaker writes to their advisor (translation off here: no internet),
the case manager answers with a Telegram reply, and a voice message is copied on."""

from __future__ import annotations

import pytest

from bot.i18n import Catalogs
from emulator.state import visible_text
from handlers import relay_views as rv
from tests.e2e import conftest as e2e
from tests.e2e.conftest import BotProcess, tap, wait_for, wait_for_message

pytestmark = pytest.mark.e2e

MANAGER, CLIENT = 630001, 630002
QUESTION = "سلام 👋 آیا فردا وقت دارید؟"


async def test_a_message_and_its_answer_and_a_voice_message(bot_process: BotProcess) -> None:
    emulator = bot_process.server.emulator
    dari = await e2e.dari_client_of_a_phone_case_manager(bot_process, MANAGER, CLIENT)
    de = Catalogs().translator("de")
    await tap(bot_process, CLIENT, dari.p_("button", "✉️ Message my advisor"))

    before = emulator.chat(MANAGER)[-1].message_id
    await emulator.user_message(CLIENT, text=QUESTION)
    relayed = await wait_for_message(bot_process.server, MANAGER, before, what="the relayed text")
    assert relayed.visible is not None
    assert QUESTION in relayed.visible
    assert (
        visible_text(de._("⚠️ Not translated: translation is switched off."), "HTML")
        in relayed.visible
    )
    ack = await wait_for(
        lambda: next(
            (m for m in emulator.chat(CLIENT) if (m.visible or "").startswith("✅")), None
        ),
        what="the acknowledgement",
    )
    # Nobody has taken this client on yet: it went to Essen's case managers, and says so.
    team = dari._(
        "✅ Sent to the advisors in your town. One of them will answer you here. "
        "You can write more at any time."
    )
    assert ack.visible.startswith(visible_text(team, "HTML"))

    last = emulator.chat(CLIENT)[-1].message_id
    await emulator.user_message(MANAGER, text="Ja, um 10 Uhr.", reply_to=relayed.message_id)
    answer = await wait_for_message(bot_process.server, CLIENT, last, what="the answer")
    assert answer.visible is not None
    assert "Ja, um 10 Uhr." in answer.visible
    assert (
        visible_text(dari._("(This answer could not be translated into your language.)"), "HTML")
        in answer.visible
    )

    # Back in the menu, a voice message is offered to be sent on.
    await tap(bot_process, CLIENT, dari.p_("button", "⬅️ Back to the menu"))
    last = emulator.chat(CLIENT)[-1].message_id
    await emulator.user_message(CLIENT, kind="voice")
    offer = await wait_for_message(bot_process.server, CLIENT, last, what="the offer to send it")
    assert offer.visible == visible_text(rv.offer_to_send(dari, 0).text, "HTML")
    before = emulator.chat(MANAGER)[-1].message_id
    await tap(bot_process, CLIENT, dari.p_("button", "✉️ Send it to my advisor"))
    await wait_for(
        lambda: any(m.kind == "voice" for m in emulator.chat(MANAGER) if m.message_id > before),
        what="the voice message copied to the case manager",
    )
    assert QUESTION not in bot_process.log_text()
