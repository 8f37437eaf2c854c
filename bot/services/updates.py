"""Idempotency for Telegram updates: the same update_id is handled once."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from datetime import timedelta

from bot.domain import Client, Staff
from bot.ports import Clock, UnitOfWork, UnitOfWorkFactory

#: A write that waits for the end of an update (see write_together).
Write = Callable[[UnitOfWork], Awaitable[None]]

UPDATE_MEMORY = timedelta(days=2)
#: Activity is written at most this often (CLIENT_INACTIVE_RETENTION counts in days).
TOUCH_EVERY = timedelta(days=1)


@dataclass(frozen=True)
class UpdateContext:
    """Who writes: their client record and active staff record (either may be None)."""

    fresh: bool
    client: Client | None = None
    staff: Staff | None = None


async def begin_update(
    uow_factory: UnitOfWorkFactory,
    clock: Clock,
    *,
    bot_id: int,
    update_id: int,
    telegram_user_id: int | None,
) -> UpdateContext:
    """Everything an update needs before its handler, in one transaction: claim the
    update_id (a redelivery comes back with fresh=False), read the client and the active
    staff record, mark a client who writes again as reachable and note their activity."""
    now = clock.now()
    async with uow_factory() as uow:
        if not await uow.updates.claim(bot_id, update_id, now):
            return UpdateContext(fresh=False)
        client = staff = None
        if telegram_user_id is not None:
            client, staff = await uow.clients.with_staff_record(telegram_user_id)
            if staff is not None and not staff.active:
                staff = None
        if client is not None and client.id is not None:
            client_id = client.id
            if client.unreachable_at is not None:
                # They write again, so they have unblocked the bot.
                client.unreachable_at = None
                client = await uow.clients.update(client)
            if client.last_seen_at is None or client.last_seen_at < now - TOUCH_EVERY:
                await uow.privacy.touch(client_id, now)
                client.last_seen_at = now
        await uow.commit()
        return UpdateContext(fresh=True, client=client, staff=staff)


async def forget_old_updates(uow_factory: UnitOfWorkFactory, clock: Clock) -> int:
    async with uow_factory() as uow:
        removed = await uow.updates.purge_older_than(clock.now() - UPDATE_MEMORY)
        await uow.commit()
        return removed


async def write_together(uow_factory: UnitOfWorkFactory, writes: Sequence[Write]) -> None:
    """The writes an update left for its end (its conversation state, the ids of the
    messages it sent), in one transaction: one commit per update instead of one each."""
    if not writes:
        return
    async with uow_factory() as uow:
        for write in writes:
            await write(uow)
        await uow.commit()
