"""Writes that wait for the end of the update: one short transaction instead of several.

While a handler runs, the FSM storage and the sent-message recorder only note what to
write and `defer` themselves; when the update is done (also after an error),
FlushAfterUpdate takes what each has pending and writes it all in one transaction
(bot.services.updates.write_together). Outside an update (the scheduler, the CLI)
`defer` says no and they write at once.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import Any, Protocol

from aiogram import BaseMiddleware
from aiogram.types import TelegramObject

from bot.ports import UnitOfWorkFactory
from bot.services.updates import Write, write_together

log = logging.getLogger("lotse.updates")


def _nothing() -> None:
    return None


@dataclass(frozen=True)
class Pending:
    """What a writer has to write, and what to do when the write fails."""

    write: Write
    on_failure: Callable[[], None] = field(default=_nothing)


class DeferredWriter(Protocol):
    def take(self) -> Pending | None:
        """Hand over what waits to be written (None: nothing)."""
        ...


_deferred: ContextVar[list[DeferredWriter] | None] = ContextVar("lotse_deferred", default=None)
#: Chats whose messages this update must not remember (an erased client's goodbye).
_unrecorded: ContextVar[set[int] | None] = ContextVar("lotse_unrecorded", default=None)


def do_not_record(chat_id: int) -> None:
    """Nothing the bot sends to `chat_id` in this update is remembered (its id would
    outlive an erasure by 48 hours)."""
    unrecorded = _unrecorded.get()
    if unrecorded is not None:
        unrecorded.add(chat_id)


def recorded(chat_id: int) -> bool:
    """False for a chat do_not_record() named in this update."""
    unrecorded = _unrecorded.get()
    return unrecorded is None or chat_id not in unrecorded


def defer(writer: DeferredWriter) -> bool:
    """Take `writer`'s pending writes when the current update ends; False outside an
    update (then the writer writes at once)."""
    pending = _deferred.get()
    if pending is None:
        return False
    if writer not in pending:
        pending.append(writer)
    return True


class FlushAfterUpdate(BaseMiddleware):
    def __init__(self, uow_factory: UnitOfWorkFactory) -> None:
        self._uow_factory = uow_factory

    async def __call__(
        self,
        handler: Callable[[TelegramObject, dict[str, Any]], Awaitable[Any]],
        event: TelegramObject,
        data: dict[str, Any],
    ) -> Any:
        writers: list[DeferredWriter] = []
        token = _deferred.set(writers)
        unrecorded = _unrecorded.set(set())
        try:
            return await handler(event, data)
        finally:
            _deferred.reset(token)
            pending = [p for p in (w.take() for w in writers) if p is not None]
            _unrecorded.reset(unrecorded)
            try:
                await write_together(self._uow_factory, [p.write for p in pending])
            except Exception as exc:  # noqa: BLE001 - kept for the next write where it can be
                log.warning("deferred write failed", extra={"error": type(exc).__name__})
                for each in pending:
                    each.on_failure()
