"""aiogram FSM storage backed by our database, so a restart keeps a half-done flow.

Reads are served from a small in-process cache (aiogram asks for the state at every
update, and handlers ask again for state and data): an entry lives `ttl` and the cache
holds at most `size` keys. Writes made while an update is handled are written when it
ends, with the update's other writes (handlers.plumbing.deferred); outside an update at
once.

One bot process per token handles updates (Telegram refuses a second long poll), so
the cache sees every change. Only an erasure from another process (the CLI, a worker)
is seen late, after `ttl` at most; an erasure in this process clears the state through
the handler's FSMContext.
"""

from __future__ import annotations

import copy
import json
import time
from collections import OrderedDict
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from aiogram.fsm.state import State
from aiogram.fsm.storage.base import BaseStorage, StateType, StorageKey

from bot.ports import Clock, UnitOfWorkFactory
from bot.services.conversations import conversation_writes, load_conversation
from bot.services.updates import write_together
from handlers.plumbing.deferred import Pending, defer


def storage_key_string(key: StorageKey) -> str:
    # The user id is third: storage.repositories reads it back to erase a user's state.
    return ":".join(
        str(part)
        for part in (
            key.bot_id,
            key.chat_id,
            key.user_id,
            key.thread_id or "",
            key.business_connection_id or "",
            key.destiny,
        )
    )


@dataclass
class _Entry:
    state: str | None
    data: dict[str, Any] = field(default_factory=dict)
    loaded: float = 0.0


class DatabaseStorage(BaseStorage):
    def __init__(
        self,
        uow_factory: UnitOfWorkFactory,
        clock: Clock,
        *,
        ttl: float = 300.0,
        size: int = 10_000,
    ) -> None:
        self._uow_factory = uow_factory
        self._clock = clock
        self._ttl = ttl
        self._size = size
        self._cache: OrderedDict[str, _Entry] = OrderedDict()
        self._dirty: set[str] = set()

    async def _entry(self, text: str) -> _Entry:
        entry = self._cache.get(text)
        now = time.monotonic()
        if entry is not None and (text in self._dirty or now - entry.loaded < self._ttl):
            self._cache.move_to_end(text)
            return entry
        state, data = await load_conversation(self._uow_factory, text)
        entry = self._cache.get(text)  # another task may have written meanwhile
        if entry is None or text not in self._dirty:
            entry = _Entry(state, data, now)
            self._cache[text] = entry
        self._cache.move_to_end(text)
        while len(self._cache) > self._size:
            oldest = next(iter(self._cache))
            if oldest in self._dirty:
                break  # written at the end of its update, then it may go
            del self._cache[oldest]
        return entry

    async def _changed(self, text: str) -> None:
        self._dirty.add(text)
        if not defer(self):
            await self.flush()

    async def set_state(self, key: StorageKey, state: StateType = None) -> None:
        text = storage_key_string(key)
        entry = await self._entry(text)
        entry.state = state.state if isinstance(state, State) else state
        await self._changed(text)

    async def get_state(self, key: StorageKey) -> str | None:
        return (await self._entry(storage_key_string(key))).state

    async def set_data(self, key: StorageKey, data: Mapping[str, Any]) -> None:
        text = storage_key_string(key)
        entry = await self._entry(text)
        # As the database will give it back (JSON), so cached and stored data agree.
        entry.data = json.loads(json.dumps(dict(data)))
        await self._changed(text)

    async def get_data(self, key: StorageKey) -> dict[str, Any]:
        return copy.deepcopy((await self._entry(storage_key_string(key))).data)

    def take(self) -> Pending | None:
        """Every changed key, as one write; on failure they are changed again."""
        if not self._dirty:
            return None
        keys = list(self._dirty)
        self._dirty.clear()
        batch = {k: (self._cache[k].state, self._cache[k].data) for k in keys}
        return Pending(conversation_writes(self._clock, batch), lambda: self._dirty.update(keys))

    async def flush(self) -> None:
        """Write every changed key now, in one transaction (outside an update)."""
        pending = self.take()
        if pending is None:
            return
        try:
            await write_together(self._uow_factory, [pending.write])
        except BaseException:
            pending.on_failure()
            raise

    async def close(self) -> None:
        await self.flush()
