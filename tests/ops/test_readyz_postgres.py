"""/readyz on PostgreSQL (issue 21, item 3): unready while the database is stopped, ready
again when it is back. A throw-away cluster of Debian's PostgreSQL on a free port in a
temporary folder (never the shared cluster on 5432), as the postgres user."""

from __future__ import annotations

import asyncio
import os
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from pathlib import Path

import aiohttp
import pytest
from aiohttp.test_utils import TestServer

from bot.i18n import Catalogs
from storage import create_engine, make_uow_factory, session_factory, upgrade_database
from storage.health import database_ready
from tests.e2e.conftest import free_port
from tests.fakes import FakeClock
from tests.web.conftest import console_settings
from web import build_console_app
from web.metrics import PrometheusMetrics
from web.ops import Ops, ReadyCheck, add_ops_routes

INITDB = sorted(Path("/usr/lib/postgresql").glob("*/bin/initdb"))


def _as_postgres(*command: str) -> None:
    subprocess.run(["runuser", "-u", "postgres", "--", *command], check=True, capture_output=True)


class Cluster:
    def __init__(self, bin_dir: Path, folder: Path, port: int) -> None:
        self.bin, self.folder, self.port = bin_dir, folder, port
        self.data = folder / "data"

    def start(self) -> None:
        options = f"-p {self.port} -k {self.folder} -c listen_addresses=127.0.0.1 -c fsync=off"
        _as_postgres(
            str(self.bin / "pg_ctl"), "-D", str(self.data), "-o", options,
            "-l", str(self.folder / "log"), "-w", "start",
        )  # fmt: skip

    def stop(self, mode: str = "fast") -> None:
        _as_postgres(str(self.bin / "pg_ctl"), "-D", str(self.data), "-m", mode, "-w", "stop")


@pytest.fixture
def cluster() -> Iterator[Cluster]:
    if not INITDB:
        if os.environ.get("CI") == "true":
            pytest.fail("PostgreSQL's initdb is missing (apt-get install postgresql)")
        pytest.skip("PostgreSQL is not installed")
    if os.geteuid() != 0:
        if os.environ.get("CI") == "true":
            pytest.fail("starting a cluster as the postgres user needs root (.ci/run has it)")
        pytest.skip("starting a cluster as the postgres user needs root")
    folder = Path(tempfile.mkdtemp(prefix="lotse-pg-"))
    shutil.chown(folder, "postgres", "postgres")
    bin_dir = INITDB[-1].parent
    _as_postgres(
        str(bin_dir / "initdb"), "-D", str(folder / "data"), "-A", "trust", "-U", "postgres",
        "--no-sync",
    )  # fmt: skip
    cluster = Cluster(bin_dir, folder, free_port())
    cluster.start()
    try:
        yield cluster
    finally:
        try:
            cluster.stop("immediate")
        except subprocess.CalledProcessError:
            pass  # stopped already
        shutil.rmtree(folder, ignore_errors=True)


async def _ready(http: aiohttp.ClientSession, server: TestServer) -> tuple[int, dict[str, object]]:
    async with http.get(server.make_url("/readyz")) as response:
        return response.status, await response.json()


async def test_readyz_follows_postgresql_going_away_and_coming_back(
    cluster: Cluster, catalogs: Catalogs, clock: FakeClock
) -> None:
    url = f"postgresql+asyncpg://postgres@127.0.0.1:{cluster.port}/postgres"
    engine = create_engine(url, notes_keys=[])
    await upgrade_database(engine)
    uow_factory = make_uow_factory(session_factory(engine), clock)
    app = build_console_app(
        uow_factory=uow_factory, catalogs=catalogs, clock=clock, settings=console_settings()
    )
    checks: dict[str, ReadyCheck] = {"database": lambda: database_ready(engine)}
    add_ops_routes(app, Ops(PrometheusMetrics(), checks=checks))
    server = TestServer(app, host="127.0.0.1")
    await server.start_server()
    try:
        async with aiohttp.ClientSession() as http:
            assert await _ready(http, server) == (200, {"status": "ready", "checked": ["database"]})
            await asyncio.to_thread(cluster.stop)
            status, body = await _ready(http, server)
            assert (status, body) == (
                503,
                {"status": "unready", "failed": {"database": "unreachable"}},
            )
            async with http.get(server.make_url("/healthz")) as response:
                assert response.status == 200  # alive all the same
            await asyncio.to_thread(cluster.start)
            for _ in range(75):  # PostgreSQL back: the pool's pre-ping reconnects
                status = (await _ready(http, server))[0]
                if status == 200:
                    break
                await asyncio.sleep(0.2)
            assert status == 200
    finally:
        await server.close()
        await engine.dispose()
