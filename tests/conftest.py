"""Shared fixtures: a migrated database (SQLite, or PostgreSQL with TEST_DATABASE_URL)."""

from __future__ import annotations

import os
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.i18n import Catalogs
from bot.ports import UnitOfWorkFactory
from config.keys import new_key
from config.settings import normalize_database_url
from storage import create_engine, make_uow_factory, session_factory, upgrade_database
from tests.fakes import FakeClock

PG_URL = os.environ.get("TEST_DATABASE_URL")
#: One key for the test session; tests of rotation and wrong keys make their own.
NOTES_KEY = new_key()


@pytest.fixture
def database_url(tmp_path: Path) -> str:
    if PG_URL:
        return normalize_database_url(PG_URL)
    return f"sqlite+aiosqlite:///{tmp_path / 'lotse.db'}"


async def _reset_postgres(engine: AsyncEngine) -> None:
    async with engine.begin() as connection:
        await connection.execute(text("DROP SCHEMA public CASCADE"))
        await connection.execute(text("CREATE SCHEMA public"))


@pytest.fixture
async def engine(database_url: str) -> AsyncIterator[AsyncEngine]:
    engine = create_engine(database_url, notes_keys=[NOTES_KEY])
    if engine.dialect.name == "postgresql":
        await _reset_postgres(engine)
    await upgrade_database(engine)
    yield engine
    await engine.dispose()


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def uow_factory(engine: AsyncEngine, clock: FakeClock) -> UnitOfWorkFactory:
    return make_uow_factory(session_factory(engine), clock)


@pytest.fixture(scope="session")
def catalogs() -> Catalogs:
    return Catalogs(default_locale="de")
