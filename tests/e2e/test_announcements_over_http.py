"""One announcement planned in the chat and sent at its time, over HTTP (issue 23, item
1): the real `python main.py` against the Bot API emulator, with a LibreTranslate stub on
127.0.0.1 as the machine translator. A coordinator types the time (the next minute but
one); nothing goes out before it; then each client gets it once in their language
(Arabic: labelled as machine translation with the original below; Dari, which the
provider lacks: the original with a note), and the coordinator the figures."""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from aiohttp import web

from bot.i18n import Catalogs
from emulator.state import visible_text
from tests.e2e.conftest import (
    BotProcess,
    free_port,
    join_as_client,
    tap,
    wait_for,
    wait_for_message,
)

COORDINATOR, ARABIC, DARI = 9100, 9101, 9102
TEXT = "Das Büro ist am Freitag geschlossen."
BERLIN = ZoneInfo("Europe/Berlin")


@pytest.fixture
async def libre() -> AsyncIterator[tuple[str, list[str]]]:
    """A LibreTranslate stand-in: "[target] text"; the targets asked, in order."""
    asked: list[str] = []

    async def translate(request: web.Request) -> web.Response:
        # deep-translator sends its fields in the query string.
        target, text = request.query["target"], request.query["q"]
        asked.append(target)
        return web.json_response({"translatedText": f"[{target}] {text}"})

    app = web.Application()
    app.router.add_post("/translate", translate)
    runner = web.AppRunner(app)
    await runner.setup()
    port = free_port()
    await web.TCPSite(runner, "127.0.0.1", port).start()
    yield f"http://127.0.0.1:{port}/", asked
    await runner.cleanup()


def _quiet_hours_away_from_now() -> str:
    """Quiet hours that do not touch the next hour (the test passes at any time of day)."""
    start = datetime.now(BERLIN) + timedelta(hours=6)
    end = start + timedelta(hours=1)
    return f"{start:%H}:00-{end:%H}:00"


async def test_a_planned_announcement_goes_out_at_its_time(
    bot_process: BotProcess, libre: tuple[str, list[str]]
) -> None:
    url, asked = libre
    bot_process.env.update(
        QUIET_HOURS=_quiet_hours_away_from_now(),
        TRANSLATOR="libre",
        TRANSLATOR_URL=url,
        TRANSLATOR_API_KEY="stub",
    )
    await bot_process.restart()
    emulator, catalogs = bot_process.server.emulator, Catalogs()
    de, arabic, dari = (catalogs.translator(x) for x in ("de", "ar", "fa_AF"))

    await bot_process.cli("site", "add", "essen", "--name", "Essen")
    invite = await bot_process.cli("staff", "invite", "--site", "essen", "--role", "coordinator")
    payload = invite.split("?start=")[1].split()[0]
    await emulator.user_message(COORDINATOR, text=f"/start {payload}", language_code="de")
    await wait_for_message(bot_process.server, COORDINATOR, 0, what="the staff welcome")
    await join_as_client(bot_process, ARABIC, arabic, language_code="ar", language="العربية")
    await join_as_client(bot_process, DARI, dari, language_code="fa", language="دری")
    before = {user: len(emulator.chat(user)) for user in (ARABIC, DARI)}

    # The staff welcome shows the menu.
    await tap(bot_process, COORDINATOR, de.p_("button", "📣 Announcements"))
    await tap(bot_process, COORDINATOR, de.p_("button", "✍️ New announcement"))
    last = emulator.chat(COORDINATOR)[-1].message_id
    await emulator.user_message(COORDINATOR, text=TEXT, language_code="de")
    await wait_for_message(bot_process.server, COORDINATOR, last, what="the filters")
    await tap(bot_process, COORDINATOR, de.p_("button", "👀 Preview"))
    await tap(bot_process, COORDINATOR, de.p_("button", "🗓 Type a date and time"))
    at = (datetime.now(BERLIN) + timedelta(minutes=2)).replace(second=0, microsecond=0)
    last = emulator.chat(COORDINATOR)[-1].message_id
    await emulator.user_message(COORDINATOR, text=f"{at:%d.%m.} {at:%H:%M}", language_code="de")
    await wait_for_message(bot_process.server, COORDINATOR, last, what="the confirmation")
    await tap(bot_process, COORDINATOR, de.p_("button", "✅ Confirm"))

    head = {
        ARABIC: visible_text(arabic._("Announcement from your advice centre:"), "HTML"),
        DARI: visible_text(dari._("Announcement from your advice centre:"), "HTML"),
    }

    def announced(user: int) -> list[str]:
        return [
            m.visible or ""
            for m in emulator.chat(user)[before[user] :]
            if head[user] in (m.visible or "")
        ]

    # Nothing before its time.
    while time.time() < at.timestamp() - 1:
        assert not announced(ARABIC) and not announced(DARI)
        await asyncio.sleep(0.5)
    await wait_for(lambda: announced(ARABIC) and announced(DARI), timeout=60, what="the sends")
    assert time.time() >= at.timestamp()
    (to_arabic,) = announced(ARABIC)
    assert f"[ar] {TEXT}" in to_arabic
    machine = arabic._("This is a machine translation. The original:")
    assert visible_text(machine, "HTML") in to_arabic
    assert to_arabic.rstrip().endswith(TEXT)
    # deep-translator's LibreTranslate knows no Dari: the original, with a note.
    (to_dari,) = announced(DARI)
    assert TEXT in to_dari
    note = dari._("(This announcement could not be translated into your language.)")
    assert visible_text(note, "HTML") in to_dari
    assert asked == ["ar"]  # once per language, however many clients
    told = visible_text(de._("Your announcement went out."), "HTML")
    await wait_for(
        lambda: any(told in (m.visible or "") for m in emulator.chat(COORDINATOR)),
        what="the figures for the coordinator",
    )
    assert TEXT not in bot_process.log_text()  # announcement texts never in the log
