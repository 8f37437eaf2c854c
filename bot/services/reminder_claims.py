"""Whose reminder claims are whose: each process marks its claim tokens, so that a
stopping process can give back what it still holds (issue 21, item 4)."""

from __future__ import annotations

import uuid

from bot.ports import UnitOfWorkFactory


def new_owner() -> str:
    """A process's mark in its claim tokens (8 hex digits), so that it can give back all
    it holds when it stops (`release_claims`)."""
    return uuid.uuid4().hex[:8]


def claim_token(owner: str) -> str:
    """36 characters (the column's width): the owner's mark, a dash, 27 random hex."""
    return f"{owner}-{uuid.uuid4().hex[:27]}"


async def release_claims(uow_factory: UnitOfWorkFactory, owner: str) -> int:
    """A stopping process gives back every reminder it still holds, so another process
    sends them at once instead of after the lease. A row whose send was cut short may go
    out twice, as after a crash; waiting for its lease would repeat it all the same."""
    async with uow_factory() as uow:
        released = await uow.reminders.release_owner(owner)
        await uow.commit()
        return released
