"""Conversation state (where a half-finished flow waits), kept in the database."""

from __future__ import annotations

from typing import Any

from bot.ports import Clock, UnitOfWorkFactory


async def load_conversation(
    uow_factory: UnitOfWorkFactory, key: str
) -> tuple[str | None, dict[str, Any]]:
    async with uow_factory() as uow:
        return await uow.conversations.get(key)


async def save_conversation_state(
    uow_factory: UnitOfWorkFactory, clock: Clock, key: str, state: str | None
) -> None:
    async with uow_factory() as uow:
        await uow.conversations.set_state(key, state, clock.now())
        await uow.commit()


async def save_conversation_data(
    uow_factory: UnitOfWorkFactory, clock: Clock, key: str, data: dict[str, Any]
) -> None:
    async with uow_factory() as uow:
        await uow.conversations.set_data(key, data, clock.now())
        await uow.commit()
