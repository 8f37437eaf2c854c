"""/healthz, /readyz and /metrics on the console's server (issue 21, item 3): no login,
none of the console's middlewares, and readiness naming what is not ready."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import aiohttp
import pytest
from aiohttp.test_utils import TestServer
from redis.asyncio import Redis
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.i18n import Catalogs
from bot.ports import UnitOfWorkFactory
from storage import create_engine, upgrade_database
from storage.health import database_ready, redis_ready
from storage.redis_client import connect_redis
from tests.e2e.conftest import free_port
from tests.fakes import FakeClock
from tests.web.conftest import console_settings
from web import build_console_app
from web.metrics import PrometheusMetrics
from web.ops import Ops, ReadyCheck, add_ops_routes


async def _server(
    uow_factory: UnitOfWorkFactory,
    catalogs: Catalogs,
    clock: FakeClock,
    checks: dict[str, ReadyCheck],
) -> TestServer:
    app = build_console_app(
        uow_factory=uow_factory, catalogs=catalogs, clock=clock, settings=console_settings()
    )
    add_ops_routes(
        app, Ops(PrometheusMetrics(), checks=checks, uow_factory=uow_factory, clock=clock)
    )
    server = TestServer(app, host="127.0.0.1")
    await server.start_server()
    return server


@pytest.fixture
async def http() -> AsyncIterator[aiohttp.ClientSession]:
    # A browser's stale session cookie: the open paths never look at it.
    async with aiohttp.ClientSession(cookies={"lotse_console": "stale"}) as session:
        yield session


async def test_health_and_readiness_without_login(
    uow_factory: UnitOfWorkFactory,
    catalogs: Catalogs,
    clock: FakeClock,
    engine: AsyncEngine,
    http: aiohttp.ClientSession,
) -> None:
    server = await _server(
        uow_factory, catalogs, clock, {"database": lambda: database_ready(engine)}
    )
    try:
        async with http.get(server.make_url("/healthz"), allow_redirects=False) as response:
            assert response.status == 200
            assert await response.json() == {"status": "ok", "service": "lotse"}
        async with http.get(server.make_url("/readyz"), allow_redirects=False) as response:
            assert response.status == 200
            assert await response.json() == {"status": "ready", "checked": ["database"]}
        async with http.get(server.make_url("/metrics"), allow_redirects=False) as response:
            assert response.status == 200
            assert "lotse_reminders_total" in await response.text()
        # Anything else is still the console's, with its 404 page.
        async with http.get(server.make_url("/metricsx"), allow_redirects=False) as response:
            assert response.status == 404 and "text/html" in response.headers["Content-Type"]
    finally:
        await server.close()


async def test_readyz_names_a_database_behind_its_migrations_and_a_failing_check(
    uow_factory: UnitOfWorkFactory,
    catalogs: Catalogs,
    clock: FakeClock,
    http: aiohttp.ClientSession,
    tmp_path: Path,
) -> None:
    fresh = create_engine(f"sqlite+aiosqlite:///{tmp_path / 'fresh.db'}")

    async def redis() -> str | None:
        raise ConnectionRefusedError("127.0.0.1:6379 secret-password")

    checks: dict[str, ReadyCheck] = {"database": lambda: database_ready(fresh), "redis": redis}
    server = await _server(uow_factory, catalogs, clock, checks)
    try:
        async with http.get(server.make_url("/readyz")) as response:
            assert response.status == 503
            body = await response.json()
        assert body == {
            "status": "unready",
            "failed": {
                "database": "migrations not at head",
                "redis": "error (ConnectionRefusedError)",  # the class, never the message
            },
        }
        await upgrade_database(fresh)
        del checks["redis"]
        async with http.get(server.make_url("/readyz")) as response:
            assert response.status == 200
    finally:
        await server.close()
        await fresh.dispose()


async def test_readyz_asks_the_real_redis_and_a_redis_gone_is_unready(
    uow_factory: UnitOfWorkFactory,
    catalogs: Catalogs,
    clock: FakeClock,
    http: aiohttp.ClientSession,
    engine: AsyncEngine,
    redis: Redis,
) -> None:
    # A port nothing listens on stands for a Redis that went away.
    gone = connect_redis(f"redis://127.0.0.1:{free_port()}/0")
    checks: dict[str, ReadyCheck] = {
        "database": lambda: database_ready(engine),
        "redis": lambda: redis_ready(redis),
    }
    server = await _server(uow_factory, catalogs, clock, checks)
    try:
        async with http.get(server.make_url("/readyz")) as response:
            assert response.status == 200
        checks["redis"] = lambda: redis_ready(gone)
        async with http.get(server.make_url("/readyz")) as response:
            assert response.status == 503
            assert (await response.json())["failed"] == {"redis": "unreachable"}
    finally:
        await server.close()
        await gone.aclose()
