"""The demo as a new user starts it: `python main.py` without a token, nothing else."""

from __future__ import annotations

import asyncio
import json
import os
import re
import socket
import sys
import urllib.request
from pathlib import Path
from typing import Any

import aiohttp
import pytest

from tests.e2e.conftest import wait_for

pytestmark = pytest.mark.e2e

ROOT = Path(__file__).resolve().parents[2]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _get(url: str) -> bytes:
    with urllib.request.urlopen(url, timeout=5) as response:  # noqa: S310 - 127.0.0.1 only
        return response.read()


def _post(url: str, body: dict[str, Any]) -> None:
    request = urllib.request.Request(
        url, json.dumps(body).encode(), headers={"Content-Type": "application/json"}
    )
    with urllib.request.urlopen(request, timeout=5):  # noqa: S310
        pass


async def start_demo(tmp_path: Path) -> tuple[asyncio.subprocess.Process, str]:
    port = free_port()
    env = {k: v for k, v in os.environ.items() if k not in {"BOT_TOKEN", "DATABASE_URL"}}
    # The console is served too (WEB_PORT): on a free port, beside other tests' processes.
    env.update(DEMO_PORT=str(port), WEB_PORT=str(free_port()), PYTHONUNBUFFERED="1")
    log = (tmp_path / "demo.log").open("ab")
    process = await asyncio.create_subprocess_exec(
        sys.executable, str(ROOT / "main.py"), cwd=tmp_path, env=env, stdout=log, stderr=log
    )
    base = f"http://127.0.0.1:{port}"

    def up() -> bool:
        try:
            return b"getUpdates" in _get(f"{base}/_emulator/requests")
        except OSError:
            return False

    await wait_for(lambda: up(), timeout=40, what="the demo to start")
    return process, base


async def test_without_a_token_the_demo_runs_with_its_own_database(tmp_path: Path) -> None:
    # The README's first step: .env.example copied to .env (it once set DATABASE_URL,
    # which the demo refuses; issue 18, item 14).
    (tmp_path / ".env").write_text((ROOT / ".env.example").read_text(encoding="utf-8"))
    process, base = await start_demo(tmp_path)
    try:
        page = (await asyncio.to_thread(_get, base + "/")).decode()
        assert "DEMO" in page and "nothing leaves this machine" in page
        assert (tmp_path / "data" / "demo" / "lotse-demo.db").exists()
        await asyncio.to_thread(
            _post,
            base + "/_emulator/message",
            {"user_id": 7001, "text": "/start", "language_code": "fa"},
        )

        def chat(user: int) -> list[dict[str, Any]]:
            return json.loads(_get(f"{base}/_emulator/chat/{user}?all=1"))

        picker = await wait_for(lambda: [m for m in chat(7001) if m["from_bot"]], what="the picker")
        assert "✓ دری" in json.dumps(picker[0]["reply_markup"], ensure_ascii=False)
        # The sample case manager sees sample offers.
        await asyncio.to_thread(
            _post, base + "/_emulator/message", {"user_id": 9001, "text": "/offers Deutschkurs"}
        )
        found = await wait_for(
            lambda: [m for m in chat(9001) if m["from_bot"] and m["reply_markup"]], what="offers"
        )
        cards = [
            b
            for row in found[-1]["reply_markup"]["inline_keyboard"]
            for b in row
            if b["callback_data"].startswith("of:card:")
        ]
        assert cards and any("Deutsch" in b["text"] for b in cards)
        # The sample staff have their own command list (/today, /note ...) from the start.
        commands = json.loads(await asyncio.to_thread(_get, base + "/_emulator/commands"))
        staff_list = [c["command"] for c in commands.get("chat:9001|", [])]
        assert "today" in staff_list and "note" in staff_list
    finally:
        process.terminate()
        await asyncio.wait_for(process.wait(), 20)


async def test_the_demo_prints_a_console_link_logged_in_as_its_coordinator(
    tmp_path: Path,
) -> None:
    """Issue 20, item 6: the demo's output has a one-time link into the console as the
    demo coordinator, and the demo page's console link makes a new one each time."""
    process, base = await start_demo(tmp_path)
    try:
        printed = re.compile(
            r"Lotse console, logged in as the demo coordinator: "
            r"(http://127\.0\.0\.1:(\d+))/console/login/([A-Za-z0-9_-]+)"
        )

        def the_link() -> re.Match[str] | None:
            return printed.search((tmp_path / "demo.log").read_text(errors="replace"))

        match = await wait_for(the_link, what="the console link in the demo's output")
        console, token = match.group(1), match.group(3)
        jar = aiohttp.CookieJar(unsafe=True)
        async with aiohttp.ClientSession(cookie_jar=jar) as browser:

            async def log_in(form_url: str) -> str:
                async with browser.get(form_url) as form:
                    assert form.status == 200, await form.text()
                    found = re.search(r'name="token" value="([^"]+)"', await form.text())
                    assert found is not None
                async with browser.post(
                    console + "/console/login", data={"token": found.group(1)}
                ) as home:
                    assert str(home.url) == console + "/console/", await home.text()
                    return await home.text()

            await wait_for(lambda: _console_up(console), timeout=40, what="the console")
            home = await log_in(f"{console}/console/login/{token}")
            assert "Hallo, Clara (Demo)" in home and 'href="/console/site"' in home
            async with browser.get(console + "/console/site") as site:
                assert "Essen (Demo)" in await site.text()
            # Used once: the printed link is spent; the demo page's link makes a new one.
            async with browser.post(console + "/console/login", data={"token": token}) as again:
                assert again.status == 410
            async with browser.get(base + "/", allow_redirects=False) as page:
                assert 'href="/console"' in await page.text()
            async with browser.get(base + "/console", allow_redirects=False) as redirect:
                assert redirect.status == 303
                location = redirect.headers["Location"]
            assert location.startswith(console + "/console/login/") and token not in location
            jar.clear()
            assert "Hallo, Clara (Demo)" in await log_in(location)
    finally:
        process.terminate()
        await asyncio.wait_for(process.wait(), 20)


def _console_up(console: str) -> bool:
    try:
        _get(console + "/console/logged-out")
        return True
    except OSError:
        return False
