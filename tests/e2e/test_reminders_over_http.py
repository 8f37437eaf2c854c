"""Over HTTP: a reminder fires from the scheduler of the real processes, exactly once,
with the bot and a `python main.py worker` on one database.

Working hours are set around now (today and the next two days, all day) so the test
passes at any hour; the booked appointment's reminder is then made due now in the
database, which is the schedule.
"""

from __future__ import annotations

import asyncio
import sys
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import update

from bot.domain import LifeArea, Mode
from bot.i18n import Catalogs
from emulator.state import StoredMessage, visible_text
from storage import create_engine
from storage.models import ReminderRow
from tests.e2e import conftest as e2e
from tests.e2e.conftest import ROOT, BotProcess, wait_for

pytestmark = pytest.mark.e2e

MANAGER, CLIENT = 620001, 620002


async def test_a_reminder_fires_once_with_bot_and_worker(bot_process: BotProcess) -> None:
    emulator = bot_process.server.emulator
    ps = Catalogs().translator("ps")
    zone = ZoneInfo("Europe/Berlin")
    worker = await asyncio.create_subprocess_exec(
        sys.executable,
        "main.py",
        "worker",
        cwd=ROOT,
        env=bot_process.env,
        stdout=asyncio.subprocess.DEVNULL,
        stderr=asyncio.subprocess.DEVNULL,
    )
    try:
        await e2e.set_up_case_manager(bot_process, MANAGER, "--mode", "phone")
        await e2e.join_as_client(bot_process, CLIENT, ps, language_code="ps", language="پښتو")
        await e2e.start_booking(bot_process, CLIENT, ps, LifeArea.HEALTH, Mode.PHONE)
        await emulator.user_message(CLIENT, kind="contact", phone_number="+4915112345678")
        await wait_for(
            lambda: "inline_keyboard" in (emulator.chat(CLIENT)[-1].reply_markup or {}),
            what="the day picker",
        )
        await e2e.pick_first_slot(bot_process, CLIENT)
        await e2e.confirm_booking(bot_process, CLIENT, ps, ps.p_("button", "No, thank you"))

        # The database is the schedule: make the reminders due now (quiet hours permitting).
        engine = create_engine(bot_process.env["DATABASE_URL"])
        async with engine.begin() as connection:
            await connection.execute(
                update(ReminderRow).values(
                    status="pending", due_at=datetime.now(UTC) - timedelta(seconds=1)
                )
            )
        await engine.dispose()
        heading = visible_text(ps._("⏰ A friendly reminder of your appointment:"), "HTML")

        def reminders() -> list[StoredMessage]:
            return [m for m in emulator.chat(CLIENT) if (m.visible or "").startswith(heading)]

        quiet = 21 <= datetime.now(zone).hour or datetime.now(zone).hour < 8
        if quiet:
            await asyncio.sleep(20)
            assert reminders() == []  # quiet hours win: never at night
        else:
            await wait_for(reminders, timeout=40, what="the reminder from the scheduler")
            await asyncio.sleep(16)  # one more tick of both dispatchers
            assert len(reminders()) == 2  # the 24 h and the 2 h row, each once
            assert ps.p_("button", "✅ I will come") in str(reminders()[0].reply_markup)
    finally:
        worker.terminate()
        await worker.wait()
    # The worker never polled: only one process asks for updates.
    assert worker.returncode is not None
