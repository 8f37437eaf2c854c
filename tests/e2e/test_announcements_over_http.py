"""One announcement planned in the chat and sent at its time, over HTTP (issue 23, item
1): the real `python main.py` against the Bot API emulator, with a LibreTranslate stub on
127.0.0.1 as the machine translator. A coordinator types the time (the next minute but
one); nothing goes out before it; then each client gets it once in their language
(Arabic: labelled as machine translation with the original below; Dari, which the
provider lacks: the original with a note), and the coordinator the figures."""

from __future__ import annotations

import asyncio
import re
import time
from collections import Counter
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import aiohttp
import pytest
from aiohttp import web
from sqlalchemy import insert, select

from bot.i18n import Catalogs
from emulator.state import visible_text
from storage import create_engine
from storage.models import ClientRow, SiteRow
from tests.e2e.conftest import (
    BotProcess,
    free_port,
    join_as_client,
    tap,
    wait_for,
    wait_for_message,
)

pytestmark = pytest.mark.e2e

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


async def _coordinator_with_libre(process: BotProcess, libre_url: str, **env: str) -> None:
    """The process again with quiet hours away from now and the LibreTranslate stub; the
    site Essen and its coordinator, who opened their invite link."""
    process.env.update(
        QUIET_HOURS=_quiet_hours_away_from_now(),
        TRANSLATOR="libre",
        TRANSLATOR_URL=libre_url,
        TRANSLATOR_API_KEY="stub",
        **env,
    )
    await process.restart()
    await process.cli("site", "add", "essen", "--name", "Essen")
    invite = await process.cli("staff", "invite", "--site", "essen", "--role", "coordinator")
    payload = invite.split("?start=")[1].split()[0]
    await process.server.emulator.user_message(
        COORDINATOR, text=f"/start {payload}", language_code="de"
    )
    await wait_for_message(process.server, COORDINATOR, 0, what="the staff welcome")


async def test_a_planned_announcement_goes_out_at_its_time(
    bot_process: BotProcess, libre: tuple[str, list[str]]
) -> None:
    url, asked = libre
    await _coordinator_with_libre(bot_process, url)
    emulator, catalogs = bot_process.server.emulator, Catalogs()
    de, arabic, dari = (catalogs.translator(x) for x in ("de", "ar", "fa_AF"))
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


# ----- 300 clients in 13 languages, a restart half-way ---------------------------------

MANY, FIRST, SEND_RATE = 300, 660000, 20
THIRTEEN = ("de", "en", "fr", "ar", "fa_AF", "ps", "fa", "ckb", "ku", "tr", "sq", "sr", "mk")
HUMAN = {"fa_AF": "دفتر روز جمعه بسته است.", "ps": "دفتر د جمعې په ورځ تړلی دی."}


async def _seed_clients(process: BotProcess) -> None:
    """MANY consented clients of Essen in the 13 languages, straight into the database."""
    now = datetime.now(UTC)
    engine = create_engine(process.env["DATABASE_URL"])
    try:
        async with engine.begin() as connection:
            site_id = (
                await connection.execute(select(SiteRow.id).where(SiteRow.slug == "essen"))
            ).scalar_one()
            await connection.execute(
                insert(ClientRow),
                [
                    {
                        "telegram_user_id": FIRST + i,
                        "chat_id": FIRST + i,
                        "locale": THIRTEEN[i % len(THIRTEEN)],
                        "consent_version": "e2e",
                        "consented_at": now,
                        "site_id": site_id,
                        "created_at": now,
                    }
                    for i in range(MANY)
                ],
            )
    finally:
        await engine.dispose()
    for user in range(FIRST, FIRST + MANY):
        process.server.emulator.user(user)


async def _console(process: BotProcess) -> tuple[aiohttp.ClientSession, str]:
    """The coordinator signed in to the console over HTTP (a login link from the CLI)."""
    base = f"http://127.0.0.1:{process.env['WEB_PORT']}"
    link = await process.cli("console", "link", str(COORDINATOR))
    found = re.search(r"/console/login/([\w-]+)", link)
    assert found is not None, link
    token = found.group(1)
    browser = aiohttp.ClientSession(cookie_jar=aiohttp.CookieJar(unsafe=True))
    async with browser.post(base + "/console/login", data={"token": token}) as home:
        assert home.status == 200
    return browser, base


async def test_three_hundred_clients_once_each_across_a_restart(
    bot_process: BotProcess, libre: tuple[str, list[str]]
) -> None:
    url, asked = libre
    await _coordinator_with_libre(bot_process, url, SEND_RATE=str(SEND_RATE))
    await _seed_clients(bot_process)
    emulator = bot_process.server.emulator

    browser, base = await _console(bot_process)
    async with browser:
        async with browser.get(base + "/console/announcements") as listing:
            csrf = re.search(r'name="csrf" value="([0-9a-f]*)"', await listing.text())
        assert csrf is not None
        form = {"csrf": csrf.group(1), "text": TEXT, "source": "de", "when": ""}
        form |= {f"text_{code}": text for code, text in HUMAN.items()}
        async with browser.post(base + "/console/announcements/new", data=form) as made:
            assert made.status == 200 and "/console/announcements/1" in str(made.url)

    def sends() -> list[dict[str, Any]]:
        return [
            r
            for r in emulator.requests
            if r["method"] == "sendMessage" and FIRST <= int(r["params"]["chat_id"]) < FIRST + MANY
        ]

    # Half-way, the process is stopped (SIGTERM) and started again.
    await wait_for(lambda: len(sends()) >= MANY // 3, timeout=60, what="the first sends")
    await bot_process.restart()
    assert len(sends()) < MANY
    await wait_for(lambda: len(sends()) >= MANY, timeout=90, what="all the sends")
    await asyncio.sleep(3)  # nothing comes after
    counted = Counter(int(r["params"]["chat_id"]) for r in sends())
    assert len(counted) == MANY and set(counted.values()) == {1}
    sent_at = sorted(float(r["at"]) for r in sends())
    busiest = max(
        sum(1 for later in sent_at[i:] if later - first < 1.0) for i, first in enumerate(sent_at)
    )
    assert busiest <= SEND_RATE + 1
    # People's texts where given; machine translation (once per language, kept across the
    # restart) where the provider has the language; else the original with a note.
    catalogs = Catalogs()
    for i in range(MANY):
        locale = THIRTEEN[i % len(THIRTEEN)]
        (message,) = [m.visible or "" for m in emulator.chat(FIRST + i)]
        if locale in HUMAN:
            assert HUMAN[locale] in message and TEXT not in message
        elif locale in ("en", "fr", "ar", "tr"):
            machine = catalogs.translator(locale)._("This is a machine translation. The original:")
            assert f"[{locale}] {TEXT}" in message and visible_text(machine, "HTML") in message
        else:
            assert TEXT in message
    assert sorted(Counter(asked).values()) == [1, 1, 1, 1]
