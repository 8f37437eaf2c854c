"""The demo as a new user starts it: `python main.py` without a token, nothing else."""

from __future__ import annotations

import asyncio
import json
import os
import socket
import sys
import urllib.request
from pathlib import Path
from typing import Any

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
    env.update(DEMO_PORT=str(port), PYTHONUNBUFFERED="1")
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
