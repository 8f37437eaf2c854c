"""Conversation state (where a half-finished flow waits), kept in the database."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from bot.ports import Clock, UnitOfWork, UnitOfWorkFactory
from bot.services.updates import Write


async def load_conversation(
    uow_factory: UnitOfWorkFactory, key: str
) -> tuple[str | None, dict[str, Any]]:
    async with uow_factory() as uow:
        return await uow.conversations.get(key)


def conversation_writes(
    clock: Clock, conversations: Mapping[str, tuple[str | None, dict[str, Any]]]
) -> Write:
    """Several keys' state and data, as one write (see write_together)."""

    async def write(uow: UnitOfWork) -> None:
        for key, (state, data) in conversations.items():
            await uow.conversations.put(key, state, data, clock.now())

    return write
