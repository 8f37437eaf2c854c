"""aiogram FSM storage backed by our database, so a restart keeps a half-done flow."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from aiogram.fsm.state import State
from aiogram.fsm.storage.base import BaseStorage, StateType, StorageKey

from bot.ports import Clock, UnitOfWorkFactory
from bot.services.conversations import (
    load_conversation,
    save_conversation_data,
    save_conversation_state,
)


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


class DatabaseStorage(BaseStorage):
    def __init__(self, uow_factory: UnitOfWorkFactory, clock: Clock) -> None:
        self._uow_factory = uow_factory
        self._clock = clock

    async def set_state(self, key: StorageKey, state: StateType = None) -> None:
        value = state.state if isinstance(state, State) else state
        await save_conversation_state(
            self._uow_factory, self._clock, storage_key_string(key), value
        )

    async def get_state(self, key: StorageKey) -> str | None:
        state, _ = await load_conversation(self._uow_factory, storage_key_string(key))
        return state

    async def set_data(self, key: StorageKey, data: Mapping[str, Any]) -> None:
        await save_conversation_data(
            self._uow_factory, self._clock, storage_key_string(key), dict(data)
        )

    async def get_data(self, key: StorageKey) -> dict[str, Any]:
        _, data = await load_conversation(self._uow_factory, storage_key_string(key))
        return data

    async def close(self) -> None:
        return None
