"""Over HTTP: the real `python main.py` serves the web console beside polling; a case
manager sends /console in Telegram (the emulator) and the link logs them in, once."""

from __future__ import annotations

import re

import aiohttp
import pytest

from tests.e2e import conftest as e2e
from tests.e2e.conftest import BotProcess

pytestmark = pytest.mark.e2e

MANAGER = 640001


async def test_the_bots_console_link_logs_in_once(bot_process: BotProcess) -> None:
    server = bot_process.server
    await e2e.set_up_case_manager(bot_process, MANAGER, "--mode", "phone")
    base = f"http://127.0.0.1:{bot_process.env['WEB_PORT']}"
    sent = await server.emulator.user_message(MANAGER, text="/console")
    reply = await e2e.wait_for_message(
        server, MANAGER, sent["message"]["message_id"], what="the console link"
    )
    match = re.search(rf"{re.escape(base)}/console/login/([\w-]+)", reply.visible or "")
    assert match is not None, reply.visible
    async with aiohttp.ClientSession(cookie_jar=aiohttp.CookieJar(unsafe=True)) as browser:
        async with browser.get(match.group(0)) as form:
            assert form.status == 200
        async with browser.post(base + "/console/login", data={"token": match.group(1)}) as home:
            assert home.status == 200 and str(home.url) == base + "/console/"
        async with browser.get(base + "/console/week") as week:
            assert week.status == 200
    async with aiohttp.ClientSession() as stranger:
        async with stranger.post(base + "/console/login", data={"token": match.group(1)}) as again:
            assert again.status == 410
    # The login token never reaches the process's log.
    assert match.group(1) not in bot_process.log_text()
