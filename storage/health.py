"""Readiness of the database for GET /readyz (issue 21, item 3): reachable, and its
migrations at the head this code was written for."""

from __future__ import annotations

from functools import cache
from typing import TYPE_CHECKING

from alembic.script import ScriptDirectory
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from storage.migrate import _current, alembic_config

if TYPE_CHECKING:
    from redis.asyncio import Redis


@cache
def head_revision() -> str | None:
    return ScriptDirectory.from_config(alembic_config()).get_current_head()


def known_revisions() -> set[str]:
    """Every revision of the migration scripts (a restored backup must be at one)."""
    scripts = ScriptDirectory.from_config(alembic_config())
    return {script.revision for script in scripts.walk_revisions()}


async def database_ready(engine: AsyncEngine) -> str | None:
    """None when the database answers and is migrated to head; else a short reason."""
    try:
        async with engine.connect() as connection:
            await connection.execute(text("SELECT 1"))
            current = await connection.run_sync(_current)
    except Exception:  # noqa: BLE001 - no message: it may name the host and the user
        return "unreachable"
    if current != head_revision():
        return "migrations not at head"
    return None


async def redis_ready(redis: Redis) -> str | None:
    """None when Redis answers a PING; else a short reason (never the address)."""
    try:
        await redis.ping()
    except Exception:  # noqa: BLE001 - no message: it may name the host
        return "unreachable"
    return None
