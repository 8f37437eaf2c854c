"""Writes that wait for the end of the update: one short transaction instead of several.

While a handler runs, the FSM storage and the sent-message recorder only note what to
write and `defer` their flush; FlushAfterUpdate runs each deferred flush once when the
update is done (also after an error). Outside an update (the scheduler, the CLI)
`defer` says no and they write at once.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from contextvars import ContextVar
from typing import Any

from aiogram import BaseMiddleware
from aiogram.types import TelegramObject

log = logging.getLogger("lotse.updates")

Flush = Callable[[], Awaitable[None]]

_deferred: ContextVar[list[Flush] | None] = ContextVar("lotse_deferred", default=None)


def defer(flush: Flush) -> bool:
    """Run `flush` when the current update ends; False outside an update (flush now)."""
    pending = _deferred.get()
    if pending is None:
        return False
    if flush not in pending:
        pending.append(flush)
    return True


class FlushAfterUpdate(BaseMiddleware):
    async def __call__(
        self,
        handler: Callable[[TelegramObject, dict[str, Any]], Awaitable[Any]],
        event: TelegramObject,
        data: dict[str, Any],
    ) -> Any:
        pending: list[Flush] = []
        token = _deferred.set(pending)
        try:
            return await handler(event, data)
        finally:
            _deferred.reset(token)
            for flush in pending:
                try:
                    await flush()
                except Exception as exc:  # noqa: BLE001 - kept for the next flush
                    log.warning("deferred write failed", extra={"error": type(exc).__name__})
