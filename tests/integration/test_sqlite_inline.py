"""SQLite through storage.sqlite_inline: no driver thread, and SQLAlchemy behaves as with
aiosqlite (transactions, many rows at once, errors)."""

from __future__ import annotations

import threading
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from sqlalchemy import Column, Integer, MetaData, String, Table, insert, select, text
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncEngine

from storage import create_engine
from storage.sqlite_inline import InlineConnection

METADATA = MetaData()
THINGS = Table(
    "things",
    METADATA,
    Column("id", Integer, primary_key=True),
    Column("name", String(20), unique=True),
)


@pytest.fixture
async def engine(tmp_path: Path) -> AsyncIterator[AsyncEngine]:
    engine = create_engine(f"sqlite+aiosqlite:///{tmp_path / 'inline.db'}")
    async with engine.begin() as connection:
        await connection.run_sync(METADATA.create_all)
    yield engine
    await engine.dispose()


async def test_no_driver_thread(engine: AsyncEngine) -> None:
    before = threading.active_count()
    async with engine.connect() as connection:
        raw = await connection.get_raw_connection()
        assert isinstance(raw.driver_connection, InlineConnection)
        assert (await connection.execute(text("PRAGMA journal_mode"))).scalar() == "wal"
        assert (await connection.execute(text("PRAGMA foreign_keys"))).scalar() == 1
    assert threading.active_count() == before


async def test_commit_rollback_and_many_rows(engine: AsyncEngine) -> None:
    async with engine.begin() as connection:
        await connection.execute(insert(THINGS), [{"name": f"n{i}"} for i in range(50)])
    async with engine.connect() as connection:
        await connection.execute(insert(THINGS).values(name="not kept"))
        await connection.rollback()
    async with engine.connect() as connection:
        names = (await connection.execute(select(THINGS.c.name))).scalars().all()
        result = await connection.execute(insert(THINGS).values(name="kept"))
        assert result.inserted_primary_key is not None
        await connection.commit()
    assert len(names) == 50 and "not kept" not in names


async def test_errors_come_through_and_the_connection_stays_usable(engine: AsyncEngine) -> None:
    async with engine.begin() as connection:
        await connection.execute(insert(THINGS).values(name="twice"))
    with pytest.raises(IntegrityError):
        async with engine.begin() as connection:
            await connection.execute(insert(THINGS).values(name="twice"))
    async with engine.connect() as connection:
        count = (await connection.execute(text("SELECT count(*) FROM things"))).scalar()
    assert count == 1
