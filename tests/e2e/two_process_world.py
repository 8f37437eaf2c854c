"""The production set-up of issue 21, for real on 127.0.0.1: PostgreSQL (a database of
its own on the cluster of TEST_PG_ADMIN_URL), Redis (a database number of its own on
TEST_REDIS_URL's server), nginx with deploy/nginx/lotse.conf as setup-local.sh renders
it (plain HTTP: the emulator does not take a self-signed certificate), two
`python main.py` in webhook mode behind it and one `python main.py worker`, all against
the project's Bot API emulator, which delivers the updates to nginx."""

from __future__ import annotations

import asyncio
import base64
import os
import re
import secrets
import signal
import subprocess
import sys
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit
from zoneinfo import ZoneInfo

import aiohttp
import pytest
from prometheus_client.parser import text_string_to_metric_families
from redis.asyncio import Redis
from sqlalchemy import text
from sqlalchemy.ext.asyncio import create_async_engine

from emulator import EmulatorServer
from tests.e2e.conftest import ROOT, TOKEN, BotProcess, free_port, wait_for
from tests.e2e.test_deploy_recipe import SCRIPT, _needs

DATABASE = "lotse_prod_e2e"
#: Not the suite's db 15 (tests/conftest.py empties it): this test's keys alone.
REDIS_DB = 13
SEND_RATE = 20


def _required(name: str) -> str:
    value = os.environ.get(name)
    if not value:
        if os.environ.get("CI"):
            pytest.fail(f"{name} is not set: .ci/run sets it")
        pytest.skip(f"{name} is not set (outside CI only)")
    return value


def _own_redis(url: str) -> str:
    parts = urlsplit(url)
    return urlunsplit(parts._replace(path=f"/{REDIS_DB}"))


def _asyncpg(url: str) -> str:
    return re.sub(r"^postgres(ql)?(\+\w+)?://", "postgresql+asyncpg://", url)


def _quiet_hours_elsewhere() -> str:
    """One quiet minute twelve hours away: reminders may go out now."""
    at = datetime.now(ZoneInfo("Europe/Berlin")) + timedelta(hours=12)
    return f"{at:%H}:00-{at:%H}:01"


def _plain_http(site: str) -> str:
    site = re.sub(r"listen (\S+) ssl http2;", r"listen \1;", site)
    return "\n".join(line for line in site.splitlines() if not line.strip().startswith("ssl_"))


@dataclass
class Site:
    server: EmulatorServer
    env: dict[str, str]
    bots: list[BotProcess]
    worker: BotProcess
    ports: list[int]
    nginx_port: int
    tmp: Path
    started: list[asyncio.subprocess.Process] = field(default_factory=list)

    @property
    def database_url(self) -> str:
        return self.env["DATABASE_URL"]

    async def handled(self, index: int) -> float:
        """Updates handled by bot process `index` (its /metrics, lotse_updates_total)."""
        async with (
            aiohttp.ClientSession() as http,
            http.get(f"http://127.0.0.1:{self.ports[index]}/metrics") as answer,
        ):
            text = await answer.text()
        return sum(
            sample.value
            for family in text_string_to_metric_families(text)
            for sample in family.samples
            if sample.name == "lotse_updates_total"
        )

    def kill(self, index: int) -> None:
        process = self.bots[index].process
        assert process is not None and process.returncode is None
        process.send_signal(signal.SIGKILL)


def _render_nginx(tmp: Path, ports: list[int], listen: int) -> list[str]:
    env = {
        **os.environ,
        "LOTSE_ETC": str(tmp),
        "LOTSE_BOT_PORTS": " ".join(map(str, ports)),
        "LOTSE_HTTPS_PORT": str(listen),
        "LOTSE_HTTP_PORT": str(free_port()),
        "LOTSE_SERVER_NAME": "lotse.test",
    }
    site = subprocess.run(
        ["bash", str(SCRIPT), "--render-nginx"], env=env, capture_output=True, text=True, check=True
    ).stdout
    site = _plain_http(site.replace("/var/log/nginx/lotse.access.log", str(tmp / "access.log")))
    (tmp / "site.conf").write_text(site)
    (tmp / "nginx.conf").write_text(
        f"pid {tmp}/nginx.pid;\nerror_log {tmp}/error.log;\n"
        f"events {{}}\nhttp {{ include {tmp}/site.conf; }}\n"
    )
    nginx = ["nginx", "-c", str(tmp / "nginx.conf"), "-p", str(tmp)]
    subprocess.run([*nginx, "-t", "-q"], check=True)
    return nginx


async def _database(admin_url: str, *, drop_only: bool = False) -> None:
    engine = create_async_engine(_asyncpg(admin_url), isolation_level="AUTOCOMMIT")
    try:
        async with engine.connect() as connection:
            await connection.execute(text(f"DROP DATABASE IF EXISTS {DATABASE} WITH (FORCE)"))
            if not drop_only:
                await connection.execute(text(f"CREATE DATABASE {DATABASE}"))
    finally:
        await engine.dispose()


async def _start(site: Site, process: BotProcess, *args: str) -> None:
    assert process.log_path is not None
    log = process.log_path.open("ab")
    process.process = await asyncio.create_subprocess_exec(
        sys.executable, "main.py", *args, cwd=ROOT, env=process.env, stdout=log, stderr=log
    )
    site.started.append(process.process)


def _webhooks_set(server: EmulatorServer) -> int:
    return sum(r["method"] == "setWebhook" for r in server.emulator.requests)


async def _ready(port: int) -> bool:
    try:
        async with (
            aiohttp.ClientSession() as http,
            http.get(f"http://127.0.0.1:{port}/readyz") as answer,
        ):
            return answer.status == 200
    except aiohttp.ClientError:
        return False


@pytest.fixture
async def site(tmp_path: Path) -> AsyncIterator[Site]:
    admin_url = _required("TEST_PG_ADMIN_URL")
    redis_url = _own_redis(_required("TEST_REDIS_URL"))
    _needs("nginx")
    await _database(admin_url)
    redis = Redis.from_url(redis_url)
    await redis.flushdb()
    parts = urlsplit(_asyncpg(admin_url))
    server = EmulatorServer()
    await server.start()
    ports, nginx_port = [free_port(), free_port()], free_port()
    env = {k: v for k, v in os.environ.items() if k not in {"BOT_TOKEN", "DATABASE_URL"}}
    env.update(
        BOT_TOKEN=TOKEN,
        TELEGRAM_API_URL=server.base_url,
        DATABASE_URL=urlunsplit(parts._replace(path=f"/{DATABASE}")),
        REDIS_URL=redis_url,
        NOTES_KEY=base64.urlsafe_b64encode(os.urandom(32)).decode(),
        WEBHOOK_URL=f"http://127.0.0.1:{nginx_port}/telegram/webhook",
        WEBHOOK_SECRET=secrets.token_hex(32),
        SEND_RATE=str(SEND_RATE),
        QUIET_HOURS=_quiet_hours_elsewhere(),
        BOOKING_LEAD="1m",
        BOT_USERNAME="lotse_test_bot",
        LOG_LEVEL="INFO",
        PYTHONUNBUFFERED="1",
    )
    bots = [
        BotProcess(server, {**env, "WEB_PORT": str(port)}, log_path=tmp_path / f"bot{n}.log")
        for n, port in enumerate(ports)
    ]
    worker = BotProcess(
        server, {**env, "WEB_PORT": str(free_port())}, log_path=tmp_path / "worker.log"
    )
    site = Site(server, env, bots, worker, ports, nginx_port, tmp_path)
    nginx = _render_nginx(tmp_path, ports, nginx_port)
    balancer = await asyncio.create_subprocess_exec(*nginx, "-g", "daemon off;")
    try:
        await worker.cli("migrate")  # once, before the processes share the database
        for bot in bots:
            before = _webhooks_set(server)
            await _start(site, bot)

            def webhook_set(before: int = before) -> bool:
                return _webhooks_set(server) > before

            await wait_for(webhook_set, timeout=30, what="a bot process to set the webhook")
        for port in ports:
            for _ in range(200):
                if await _ready(port):
                    break
                await asyncio.sleep(0.1)
            else:
                raise AssertionError(f"bot process on {port} not ready")
        await _start(site, worker, "worker")
        yield site
    finally:
        for process in site.started:
            if process.returncode is None:
                process.terminate()
                try:
                    await asyncio.wait_for(process.wait(), 15)
                except TimeoutError:
                    process.kill()
                    await process.wait()
        balancer.terminate()
        await balancer.wait()
        await server.stop()
        await redis.flushdb()
        await redis.aclose()
        await _database(admin_url, drop_only=True)
