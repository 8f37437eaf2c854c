"""Over HTTP (issue 19): a Dari speaker who joined Essen (nobody has taken them on yet)
types a question straight into the chat, without "Message my advisor", and it reaches
Essen's case manager; a typed request ("I want an appointment") opens booking instead."""

from __future__ import annotations

import pytest

from emulator.state import visible_text
from handlers.client import booking_views as bv
from tests.e2e import conftest as e2e
from tests.e2e.conftest import BotProcess, wait_for, wait_for_message

pytestmark = pytest.mark.e2e

MANAGER, CLIENT = 650001, 650002
QUESTION = "سلام، یک نامه از جاب سنتر گرفتم، کمک میخواهم"


async def test_typed_words_reach_the_advisor_and_a_request_opens_booking(
    bot_process: BotProcess,
) -> None:
    emulator = bot_process.server.emulator
    dari = await e2e.dari_client_of_a_phone_case_manager(bot_process, MANAGER, CLIENT)

    before = emulator.chat(MANAGER)[-1].message_id
    await emulator.user_message(CLIENT, text=QUESTION)
    relayed = await wait_for_message(bot_process.server, MANAGER, before, what="the question")
    assert relayed.visible is not None and QUESTION in relayed.visible
    sent = visible_text(
        dari._(
            "✅ Sent to the advisors in your town. One of them will answer you here. "
            "You can write more at any time."
        ),
        "HTML",
    )
    await wait_for(
        lambda: any((m.visible or "").startswith(sent) for m in emulator.chat(CLIENT)),
        what="the acknowledgement",
    )

    last = emulator.chat(CLIENT)[-1].message_id
    staff_last = emulator.chat(MANAGER)[-1].message_id
    await emulator.user_message(CLIENT, text="میخواهم وقت بگیرم")  # I want to get an appointment
    shown = await wait_for_message(bot_process.server, CLIENT, last, what="the booking")
    assert shown.visible == visible_text(bv.topic_picker(dari).text, "HTML")
    assert emulator.chat(MANAGER)[-1].message_id == staff_last  # not sent to the advisor
