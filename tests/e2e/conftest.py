"""Start the real `python main.py` process against the Bot API emulator on 127.0.0.1."""

from __future__ import annotations

import asyncio
import os
import socket
import sys
import time
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from bot.domain import LifeArea, Mode
from bot.i18n import Catalogs, Translator
from emulator import EmulatorServer
from emulator.state import StoredMessage, visible_text
from handlers import labels

ROOT = Path(__file__).resolve().parents[2]
TOKEN = "777000:E2E-test-token"


@dataclass
class BotProcess:
    server: EmulatorServer
    env: dict[str, str]
    process: asyncio.subprocess.Process | None = None
    log_path: Path | None = None

    async def start(self) -> None:
        assert self.log_path is not None
        log = self.log_path.open("ab")
        self.process = await asyncio.create_subprocess_exec(
            sys.executable, "main.py", cwd=ROOT, env=self.env, stdout=log, stderr=log
        )
        # Ready once it has asked the emulator for updates.
        await wait_for(
            lambda: any(r["method"] == "getUpdates" for r in self.requests_since_start()),
            timeout=30,
            what="the bot to poll",
        )

    def requests_since_start(self) -> list[dict[str, Any]]:
        return self.server.emulator.requests[self._mark :]

    _mark: int = 0

    async def stop(self) -> None:
        if self.process is not None and self.process.returncode is None:
            self.process.terminate()
            try:
                await asyncio.wait_for(self.process.wait(), 15)
            except TimeoutError:
                self.process.kill()
                await self.process.wait()
        self.process = None

    async def restart(self) -> None:
        await self.stop()
        self._mark = len(self.server.emulator.requests)
        await self.start()

    async def cli(self, *args: str) -> str:
        """Run `python main.py ARGS` on the same database, as a coordinator would."""
        process = await asyncio.create_subprocess_exec(
            sys.executable,
            "main.py",
            *args,
            cwd=ROOT,
            env=self.env,
            stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.PIPE,
        )
        out, err = await process.communicate()
        assert process.returncode == 0, err.decode()
        return out.decode()

    @property
    def database_path(self) -> Path:
        """The SQLite file the bot process writes to."""
        return Path(self.env["DATABASE_URL"].split("///", 1)[1])

    def log_text(self) -> str:
        assert self.log_path is not None
        return self.log_path.read_text(encoding="utf-8", errors="replace")


def free_port() -> int:
    """A port nobody listens on now (for the console of a bot process under test)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


async def wait_for(
    condition: Callable[[], Any], *, timeout: float = 15, what: str = "condition"
) -> Any:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        result = condition()
        if result:
            return result
        await asyncio.sleep(0.05)
    raise AssertionError(f"timed out waiting for {what}")


async def wait_for_message(
    server: EmulatorServer,
    chat_id: int,
    after: int,
    *,
    timeout: float = 15,
    what: str = "a message",
) -> StoredMessage:
    def newest() -> StoredMessage | None:
        messages = [m for m in server.emulator.chat(chat_id) if m.message_id > after]
        return messages[-1] if messages else None

    return await wait_for(newest, timeout=timeout, what=what)


@pytest.fixture
async def bot_process(tmp_path: Path) -> AsyncIterator[BotProcess]:
    server = EmulatorServer()
    await server.start()
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"BOT_TOKEN", "DATABASE_URL", "TELEGRAM_API_URL"}
    }
    env.update(
        BOT_TOKEN=TOKEN,
        TELEGRAM_API_URL=server.base_url,
        DATABASE_URL=f"sqlite+aiosqlite:///{tmp_path / 'e2e.db'}",
        LOG_LEVEL="DEBUG",
        BOOKING_LEAD="1m",
        BOT_USERNAME="lotse_test_bot",
        PYTHONUNBUFFERED="1",
        WEB_PORT=str(free_port()),
    )
    process = BotProcess(server, env, log_path=tmp_path / "bot.log")
    await process.start()
    yield process
    await process.stop()
    await server.stop()


def inline_keyboard(message: StoredMessage) -> list[list[dict[str, Any]]]:
    """The rows of the message's inline keyboard (it must have one)."""
    assert message.reply_markup is not None, f"no keyboard on message {message.message_id}"
    keyboard: list[list[dict[str, Any]]] = message.reply_markup["inline_keyboard"]
    return keyboard


def button_data(message: StoredMessage, label_part: str) -> str:
    for row in (message.reply_markup or {}).get("inline_keyboard", []):
        for button in row:
            if label_part in button["text"]:
                return button["callback_data"]
    raise AssertionError(f"no button {label_part!r} in {message.reply_markup}")


async def tap(process: BotProcess, user: int, label_part: str) -> None:
    emulator = process.server.emulator
    latest = next(
        m
        for m in reversed(emulator.chat(user))
        if m.reply_markup and "inline_keyboard" in m.reply_markup
    )

    def state() -> tuple[int, int]:
        messages = emulator.chat(user)
        return (messages[-1].message_id, sum(m.edits for m in messages))

    before = state()
    await emulator.press(user, latest.message_id, button_data(latest, label_part))
    # Answered, and the screen changed (edited or a new message).
    await wait_for(lambda: state() != before, what=f"the screen after {label_part!r}")


DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


async def set_up_case_manager(process: BotProcess, manager: int, *hours: str) -> None:
    """As a coordinator would: a site, a staff link opened in Telegram, and weekly hours
    all day today and the next two days (so tests pass at any hour of any day)."""
    await process.cli("site", "add", "essen", "--name", "Essen")
    invite = await process.cli("staff", "invite", "--site", "essen", "--role", "thm")
    payload = invite.split("?start=")[1].split()[0]
    await process.server.emulator.user_message(
        manager, text=f"/start {payload}", language_code="de"
    )
    await wait_for_message(process.server, manager, 0, what="the staff welcome")
    today = datetime.now(ZoneInfo("Europe/Berlin"))
    for day in (today, today + timedelta(days=1), today + timedelta(days=2)):
        await process.cli(
            "staff",
            "hours",
            str(manager),
            "--day",
            DAYS[day.weekday()],
            "--from",
            "00:00",
            "--to",
            "23:59",
            "--slot",
            "30",
            *hours,
        )


async def join_as_client(
    process: BotProcess, user: int, t: Translator, *, language_code: str, language: str
) -> None:
    """A client opens Essen's site link, picks `language` (its button) and agrees."""
    await process.server.emulator.user_message(
        user, text="/start site-essen", language_code=language_code
    )
    await wait_for_message(process.server, user, 0, what="the picker")
    await tap(process, user, language)
    await tap(process, user, t.p_("button", "✅ I agree"))


async def dari_client_of_a_phone_case_manager(
    process: BotProcess, manager: int, client: int
) -> Translator:
    """A case manager who meets by phone (set_up_case_manager) and a client who joined Essen
    in Dari; the Dari translator."""
    await set_up_case_manager(process, manager, "--mode", "phone")
    dari = Catalogs().translator("fa_AF")
    await join_as_client(process, client, dari, language_code="fa", language="دری")
    return dari


async def start_booking(
    process: BotProcess, user: int, t: Translator, area: LifeArea, mode: Mode
) -> None:
    """From the client's menu: book, with this life area and this way of meeting."""
    await tap(process, user, t.p_("button", "📅 Book an appointment"))
    await tap(process, user, labels.life_area(t, area))
    await tap(process, user, labels.mode(t, mode))


async def pick_first_slot(process: BotProcess, user: int) -> str:
    """Tap the first day offered, then its first time; the time's label (HH:MM)."""
    emulator = process.server.emulator
    first_day = inline_keyboard(emulator.chat(user)[-1])[0][0]["text"]
    await tap(process, user, first_day)
    first_time: str = inline_keyboard(emulator.chat(user)[-1])[0][0]["text"]
    await tap(process, user, first_time)
    return first_time


async def confirm_booking(process: BotProcess, user: int, t: Translator, interpreter: str) -> None:
    """Answer the interpreter question (its button), book, and wait for the confirmation."""
    emulator = process.server.emulator
    await tap(process, user, interpreter)
    await tap(process, user, t.p_("button", "✅ Book this appointment"))
    booked = visible_text(t._("✅ Your appointment is booked."), "HTML")
    await wait_for(
        lambda: any((m.visible or "").startswith(booked) for m in emulator.chat(user)),
        what="the booking confirmation",
    )
