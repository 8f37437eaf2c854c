"""The real process in webhook mode against the emulator (issue 21, item 1).

Until the emulator delivers by webhook itself (issue 21, item 2, another branch), the
test plays Telegram's delivery: it takes the emulator's pending updates and POSTs each
to the webhook with the secret header, again until it gets a 200, as Telegram does."""

from __future__ import annotations

import asyncio
import contextlib
import sys
from collections.abc import AsyncIterator
from typing import Any

import aiohttp

from emulator import EmulatorServer
from emulator.state import Emulator
from tests.e2e.conftest import ROOT, BotProcess, wait_for

SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"


class WebhookProcess(BotProcess):
    """`python main.py` with WEBHOOK_URL: ready once it has called setWebhook."""

    webhook: dict[str, Any] | None = None

    async def start(self) -> None:
        assert self.log_path is not None
        log = self.log_path.open("ab")
        self.process = await asyncio.create_subprocess_exec(
            sys.executable, "main.py", cwd=ROOT, env=self.env, stdout=log, stderr=log
        )
        await wait_for(lambda: self.webhook is not None, timeout=30, what="setWebhook")

    @property
    def url(self) -> str:
        return self.env["WEBHOOK_URL"]


def fake_set_webhook(server: EmulatorServer, process: WebhookProcess) -> None:
    """setWebhook on an emulator that has none yet: remember its parameters."""

    async def set_webhook(params: dict[str, Any]) -> bool:
        process.webhook = params
        return True

    if not hasattr(Emulator, "m_setwebhook"):
        server.emulator.m_setwebhook = set_webhook  # type: ignore[attr-defined]


@contextlib.asynccontextmanager
async def delivering(process: WebhookProcess) -> AsyncIterator[None]:
    """Telegram's side: POST each pending update to the webhook until it is taken."""
    emulator = process.server.emulator

    async def pump(http: aiohttp.ClientSession) -> None:
        offset = 0
        while True:
            updates = await emulator.m_getupdates({"offset": offset, "timeout": 1})
            for update in updates:
                assert process.webhook is not None
                headers = {SECRET_HEADER: process.webhook["secret_token"]}
                while True:
                    try:
                        async with http.post(process.url, json=update, headers=headers) as response:
                            if response.status == 200:
                                break
                    except aiohttp.ClientError:
                        pass
                    await asyncio.sleep(0.2)
                offset = update["update_id"] + 1

    async with aiohttp.ClientSession() as http:
        task = asyncio.create_task(pump(http))
        try:
            yield
        finally:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task
