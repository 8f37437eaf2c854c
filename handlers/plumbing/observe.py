"""The outermost of our update middlewares (issue 21, items 3 and 4): it reports each
update's type, outcome and handling time to the metrics port, and counts the updates in
flight, so that a graceful stop waits for them (`drain`)."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable
from contextlib import suppress
from typing import Any

from aiogram import BaseMiddleware
from aiogram.dispatcher.event.bases import UNHANDLED
from aiogram.types import TelegramObject, Update

from bot.ports import NO_METRICS, Metrics


class ObserveUpdates(BaseMiddleware):
    def __init__(self, metrics: Metrics = NO_METRICS) -> None:
        self._metrics = metrics
        self.in_flight = 0
        self._idle = asyncio.Event()
        self._idle.set()

    async def __call__(
        self,
        handler: Callable[[TelegramObject, dict[str, Any]], Awaitable[Any]],
        event: TelegramObject,
        data: dict[str, Any],
    ) -> Any:
        kind = event.event_type if isinstance(event, Update) else type(event).__name__
        self.in_flight += 1
        self._idle.clear()
        started = time.perf_counter()
        outcome = "error"
        try:
            result = await handler(event, data)
            outcome = "unhandled" if result is UNHANDLED else "handled"
            return result
        finally:
            self._metrics.update_handled(kind, outcome, time.perf_counter() - started)
            self.in_flight -= 1
            if not self.in_flight:
                self._idle.set()

    async def drain(self, grace: float) -> bool:
        """Wait up to `grace` seconds for the updates in flight; True when none is left."""
        with suppress(TimeoutError):
            await asyncio.wait_for(self._idle.wait(), grace)
        return not self.in_flight
