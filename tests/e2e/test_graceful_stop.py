"""SIGTERM mid-work (issue 21, item 4): the real process takes no new updates, finishes
the one under way, gives back the reminders it holds and exits 0 within 10 s.

Telegram is made slow in the emulator: a reminder's send hangs (so the process holds its
claim when the signal comes), any other message takes 2 s (so an update is in flight)."""

from __future__ import annotations

import asyncio
import os
import signal
import sqlite3
import time
from collections.abc import AsyncIterator
from contextlib import closing
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from bot.domain import LifeArea, Mode
from bot.i18n import Catalogs
from emulator import EmulatorServer
from tests.e2e import conftest as e2e
from tests.e2e.conftest import TOKEN, BotProcess, free_port, wait_for

pytestmark = pytest.mark.e2e

MANAGER, CLIENT, NEWCOMER = 640001, 640002, 640003


@pytest.fixture
async def bot_process(tmp_path: Path) -> AsyncIterator[BotProcess]:
    """As tests/e2e/conftest.py's, with quiet hours twelve hours away from now."""
    server = EmulatorServer()
    await server.start()
    far = datetime.now(ZoneInfo("Europe/Berlin")) + timedelta(hours=12)
    env = {k: v for k, v in os.environ.items() if k not in {"BOT_TOKEN", "DATABASE_URL"}}
    env.update(
        BOT_TOKEN=TOKEN,
        TELEGRAM_API_URL=server.base_url,
        DATABASE_URL=f"sqlite+aiosqlite:///{tmp_path / 'e2e.db'}",
        LOG_LEVEL="DEBUG",
        BOOKING_LEAD="1m",
        BOT_USERNAME="lotse_test_bot",
        PYTHONUNBUFFERED="1",
        WEB_PORT=str(free_port()),
        QUIET_HOURS=f"{far:%H:%M}-{far + timedelta(minutes=1):%H:%M}",
    )
    process = BotProcess(server, env, log_path=tmp_path / "bot.log")
    await process.start()
    yield process
    await process.stop()
    await server.stop()


def _statuses(process: BotProcess) -> list[str]:
    with closing(sqlite3.connect(process.database_path)) as connection:
        return [row[0] for row in connection.execute("SELECT status FROM reminders")]


async def test_sigterm_finishes_the_update_in_flight_and_gives_back_the_reminders(
    bot_process: BotProcess,
) -> None:
    process, emulator = bot_process, bot_process.server.emulator
    de = Catalogs().translator("de")
    await e2e.set_up_case_manager(process, MANAGER, "--mode", "phone")
    await e2e.join_as_client(process, CLIENT, de, language_code="de", language="Deutsch")
    await e2e.start_booking(process, CLIENT, de, LifeArea.HEALTH, Mode.PHONE)
    await emulator.user_message(CLIENT, kind="contact", phone_number="+4915112345678")
    await wait_for(
        lambda: "inline_keyboard" in (emulator.chat(CLIENT)[-1].reply_markup or {}),
        what="the day picker",
    )
    await e2e.pick_first_slot(process, CLIENT)
    await e2e.confirm_booking(process, CLIENT, de, de.p_("button", "No, thank you"))

    heading = de._("⏰ A friendly reminder of your appointment:")
    send_message = emulator.m_sendmessage
    started: list[int] = []

    async def slow_telegram(params: dict[str, Any]) -> Any:
        started.append(int(params["chat_id"]))
        if heading.split()[-1] in str(params.get("text")):
            await asyncio.sleep(12)  # a reminder: hangs past the grace (6 s)
        else:
            await asyncio.sleep(2)
        return await send_message(params)

    emulator.m_sendmessage = slow_telegram  # type: ignore[method-assign]
    with closing(sqlite3.connect(process.database_path)) as connection:
        connection.execute(
            "UPDATE reminders SET status='pending', due_at=datetime('now', '-1 second')"
        )
        connection.commit()
    await wait_for(lambda: "sending" in _statuses(process), timeout=25, what="a claimed reminder")
    await wait_for(lambda: CLIENT in started, what="the reminder's send")

    before = len(emulator.chat(NEWCOMER))
    await emulator.user_message(NEWCOMER, text="/start site-essen", language_code="de")
    await wait_for(lambda: NEWCOMER in started, what="the newcomer's answer under way")
    assert process.process is not None
    began = time.monotonic()
    process.process.send_signal(signal.SIGTERM)
    code = await asyncio.wait_for(process.process.wait(), 15)
    took = time.monotonic() - began

    assert code == 0 and took < 10, (code, took, process.log_text()[-3000:])
    assert len(emulator.chat(NEWCOMER)) == before + 1  # the update in flight was finished
    statuses = _statuses(process)
    assert "sending" not in statuses and "pending" in statuses  # given back, not held
    assert "reminder claims released" in process.log_text()
