"""Over HTTP (issue 22): a case manager sends an offer to a Dari client; the real
process's scheduler asks the client once "Did you go?" when the follow-up is due (the
database is the schedule: the test makes it due now), and the client's answer is stored
and reaches the case manager's client entry."""

from __future__ import annotations

import asyncio
import json
import sqlite3
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import update

from emulator.state import StoredMessage, visible_text
from storage import create_engine
from storage.referral_models import ReferralRow
from tests.e2e import conftest as e2e
from tests.e2e.conftest import ROOT, BotProcess, button_data, tap, wait_for

pytestmark = pytest.mark.e2e

MANAGER, CLIENT = 650001, 650002


async def _send_an_offer(bot_process: BotProcess) -> None:
    """/offers Deutschkurs -> the first card -> send -> the client."""
    emulator = bot_process.server.emulator
    last = emulator.chat(MANAGER)[-1].message_id
    await emulator.user_message(MANAGER, text="/offers Deutschkurs")
    results = await e2e.wait_for_message(bot_process.server, MANAGER, last, what="the results")
    await emulator.press(MANAGER, results.message_id, button_data(results, "Deutsch"))
    card = await wait_for(
        lambda: next(
            (m for m in emulator.chat(MANAGER) if "of:send" in json.dumps(m.reply_markup)), None
        ),
        what="the offer card",
    )
    await emulator.press(MANAGER, card.message_id, button_data(card, "📤"))
    chooser = await wait_for(
        lambda: next(
            (m for m in emulator.chat(MANAGER) if "of:to:" in json.dumps(m.reply_markup)), None
        ),
        what="the client chooser",
    )
    before = emulator.chat(CLIENT)[-1].message_id
    await emulator.press(MANAGER, chooser.message_id, button_data(chooser, "1"))
    await e2e.wait_for_message(bot_process.server, CLIENT, before, what="the offer")


async def test_the_follow_up_question_is_asked_once_and_answered(
    bot_process: BotProcess,
) -> None:
    emulator = bot_process.server.emulator
    dari = await e2e.dari_client_of_a_phone_case_manager(bot_process, MANAGER, CLIENT)
    await bot_process.cli("offers", "import", str(ROOT / "samples" / "offers_sample.csv"))
    await _send_an_offer(bot_process)
    with sqlite3.connect(bot_process.database_path) as db:
        (status,) = db.execute("SELECT status FROM referrals").fetchone()
    assert status == "pending"  # due in 14 days

    engine = create_engine(bot_process.env["DATABASE_URL"])
    async with engine.begin() as connection:
        await connection.execute(
            update(ReferralRow).values(due_at=datetime.now(UTC) - timedelta(seconds=1))
        )
    await engine.dispose()
    asked = "آیا به آنجا رفتید؟"  # "Did you go there?" in Dari

    def questions() -> list[StoredMessage]:
        return [m for m in emulator.chat(CLIENT) if asked in (m.visible or "")]

    hour = datetime.now(ZoneInfo("Europe/Berlin")).hour
    if hour >= 21 or hour < 8:
        await asyncio.sleep(20)
        assert questions() == []  # quiet hours win: never at night
        return
    await wait_for(questions, timeout=40, what="the question from the scheduler")
    await asyncio.sleep(16)  # one more tick: still one question
    assert len(questions()) == 1
    await tap(bot_process, CLIENT, dari.p_("button", "🚫 I did not go"))
    await tap(bot_process, CLIENT, dari.p_("button", "📍 Too far away"))
    thanks = visible_text(dari._("Thank you! Your advisor will see your answer."), "HTML")
    await wait_for(lambda: (emulator.chat(CLIENT)[-1].visible or "") == thanks, what="thanks")
    with sqlite3.connect(bot_process.database_path) as db:
        row = db.execute("SELECT status, answer, reason FROM referrals").fetchone()
    assert row == ("asked", "not_went", "far")
    # The case manager's agenda shows the answer (in German, their language).
    last = emulator.chat(MANAGER)[-1].message_id
    await emulator.user_message(MANAGER, text="/today")
    agenda = await e2e.wait_for_message(bot_process.server, MANAGER, last, what="the agenda")
    assert "📬" in (agenda.visible or "") and "nicht hingegangen" in (agenda.visible or "")
    assert "Zu weit weg" in (agenda.visible or "")
