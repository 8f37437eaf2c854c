"""Shared fixtures: a migrated database (SQLite, or PostgreSQL with TEST_DATABASE_URL), and
Redis for the tests of several processes (TEST_REDIS_URL)."""

from __future__ import annotations

import os
from collections.abc import AsyncIterator, Callable
from pathlib import Path

import pytest
from redis import Redis as SyncRedis
from redis.asyncio import Redis
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.i18n import Catalogs
from bot.ports import UnitOfWorkFactory
from config.keys import new_key
from config.settings import normalize_database_url
from storage import create_engine, make_uow_factory, session_factory, upgrade_database
from storage.redis_client import connect_redis
from tests.fakes import FakeClock

PG_URL = os.environ.get("TEST_DATABASE_URL")
#: A Redis database the tests may empty (.ci/run: redis://127.0.0.1:6379/15).
REDIS_URL = os.environ.get("TEST_REDIS_URL")
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


@pytest.fixture
def redis_url() -> str:
    """TEST_REDIS_URL, emptied. Skipped on a developer's machine without it; under CI
    (CI=true, .ci/run starts Redis) a missing Redis fails the test instead."""
    if not REDIS_URL:
        if os.environ.get("CI"):
            pytest.fail("TEST_REDIS_URL is not set: .ci/run starts Redis and sets it")
        pytest.skip("TEST_REDIS_URL is not set (outside CI only)")
    with SyncRedis.from_url(REDIS_URL) as client:
        client.flushdb()
    return REDIS_URL


@pytest.fixture
async def redis_clients(redis_url: str) -> AsyncIterator[Callable[[], Redis]]:
    """Makes Redis clients of TEST_REDIS_URL (one per simulated process); all closed after
    the test."""
    made: list[Redis] = []

    def make() -> Redis:
        made.append(connect_redis(redis_url))
        return made[-1]

    yield make
    for client in made:
        await client.aclose()


@pytest.fixture
async def redis(redis_clients: Callable[[], Redis]) -> Redis:
    return redis_clients()
