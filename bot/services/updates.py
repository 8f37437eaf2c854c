"""Idempotency for Telegram updates: the same update_id is handled once."""

from __future__ import annotations

from datetime import timedelta

from bot.ports import Clock, UnitOfWorkFactory

UPDATE_MEMORY = timedelta(days=2)


async def claim_update(
    uow_factory: UnitOfWorkFactory, clock: Clock, *, bot_id: int, update_id: int
) -> bool:
    """True the first time an update is seen; False for a redelivery."""
    async with uow_factory() as uow:
        fresh = await uow.updates.claim(bot_id, update_id, clock.now())
        if fresh:
            await uow.commit()
        return fresh


async def forget_old_updates(uow_factory: UnitOfWorkFactory, clock: Clock) -> int:
    async with uow_factory() as uow:
        removed = await uow.updates.purge_older_than(clock.now() - UPDATE_MEMORY)
        await uow.commit()
        return removed
