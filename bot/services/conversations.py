"""Conversation state (where a half-finished flow waits), kept in the database."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from bot.ports import Clock, UnitOfWorkFactory


async def load_conversation(
    uow_factory: UnitOfWorkFactory, key: str
) -> tuple[str | None, dict[str, Any]]:
    async with uow_factory() as uow:
        return await uow.conversations.get(key)


async def save_conversations(
    uow_factory: UnitOfWorkFactory,
    clock: Clock,
    conversations: Mapping[str, tuple[str | None, dict[str, Any]]],
) -> None:
    """Write several keys' state and data in one transaction."""
    if not conversations:
        return
    async with uow_factory() as uow:
        for key, (state, data) in conversations.items():
            await uow.conversations.put(key, state, data, clock.now())
        await uow.commit()
