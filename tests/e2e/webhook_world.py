"""The real process in webhook mode against the emulator (issue 21, item 1): the emulator
delivers the updates to the process's webhook itself (emulator/webhook.py), with the
secret it was given, again until it is taken, as Telegram does."""

from __future__ import annotations

import asyncio
import sys

from emulator.webhook import SECRET_HEADER, Webhook
from tests.e2e.conftest import ROOT, BotProcess, wait_for

__all__ = ["SECRET_HEADER", "WebhookProcess"]


class WebhookProcess(BotProcess):
    """`python main.py` with WEBHOOK_URL: ready once it has set its webhook."""

    async def start(self) -> None:
        assert self.log_path is not None
        log = self.log_path.open("ab")
        self.process = await asyncio.create_subprocess_exec(
            sys.executable, "main.py", cwd=ROOT, env=self.env, stdout=log, stderr=log
        )
        await wait_for(lambda: self.webhook is not None, timeout=30, what="setWebhook")

    @property
    def webhook(self) -> Webhook | None:
        """The webhook the emulator delivers to (set by the process)."""
        return self.server.emulator.webhook

    @property
    def url(self) -> str:
        return self.env["WEBHOOK_URL"]
