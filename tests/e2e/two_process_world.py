"""The production set-up of issue 21, for real on 127.0.0.1, made the way the README's
"Running in production" says: `deploy/setup-local.sh`, every step of its `--list` in
order, as root (packages, the `lotse` account, the code and its virtual environment,
PostgreSQL's role and database `lotse`, Redis, the env file, migrations, a self-signed
certificate, the nginx site in Debian's nginx, the processes, the check). Folders of its
own (LOTSE_PREFIX, LOTSE_ETC, LOTSE_STATE under one temporary folder), free ports, the
project's Bot API emulator as TELEGRAM_API_URL; the emulator trusts the self-signed
certificate (as Telegram does when it is uploaded) and delivers the updates to nginx over
TLS. Two bot processes in webhook mode behind nginx (round-robin), one worker. Between
the `env` and `migrate` steps the test adds its settings to the env file, as an operator
edits it. Afterwards everything is stopped and dropped again (the database, the role,
Redis db 0, the nginx site; the `lotse` account stays)."""

from __future__ import annotations

import asyncio
import os
import shutil
import signal
import subprocess
import tempfile
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

import aiohttp
import pytest
from prometheus_client.parser import text_string_to_metric_families
from redis.asyncio import Redis

from emulator import EmulatorServer
from tests.e2e.conftest import ROOT, TOKEN, BotProcess, free_port, wait_for
from tests.e2e.test_deploy_recipe import SCRIPT, _needs

#: 200 reminders take 20 s, longer than a tick (15 s): both processes that tick take part.
SEND_RATE = 10
REMINDER_BATCH = 10
#: The database and role the recipe makes (dropped again afterwards).
DATABASE = "lotse"


def _required(name: str) -> str:
    value = os.environ.get(name)
    if not value:
        if os.environ.get("CI"):
            pytest.fail(f"{name} is not set: .ci/run sets it")
        pytest.skip(f"{name} is not set (outside CI only)")
    return value


def _needs_root() -> None:
    if os.geteuid() != 0:
        if os.environ.get("CI"):
            pytest.fail("the production recipe runs as root: run .ci/run as root")
        pytest.skip("the production recipe runs as root (outside CI only)")


def _quiet_hours_elsewhere() -> str:
    """One quiet minute twelve hours away: reminders may go out now."""
    at = datetime.now(ZoneInfo("Europe/Berlin")) + timedelta(hours=12)
    return f"{at:%H}:00-{at:%H}:01"


def _read_env(path: Path) -> dict[str, str]:
    pairs = (line.split("=", 1) for line in path.read_text().splitlines() if "=" in line)
    return {key.strip(): value.strip() for key, value in pairs if not key.startswith("#")}


@dataclass
class Site:
    server: EmulatorServer
    env: dict[str, str]
    bots: list[BotProcess]
    ports: list[int]
    worker_port: int
    state: Path

    @property
    def database_url(self) -> str:
        return self.env["DATABASE_URL"]

    async def handled(self, index: int) -> float:
        """Updates handled by bot process `index` (its /metrics, lotse_updates_total)."""
        return await _metric(self.ports[index], "lotse_updates_total")

    async def reminders_sent(self, port: int) -> float:
        """Reminders sent by the process on `port` (its /metrics)."""
        return await _metric(port, "lotse_reminders_total", event="sent")

    def kill(self, index: int) -> None:
        """SIGKILL bot process `index` (its process group, as the recipe started it)."""
        pid = int((self.state / "run" / f"bot-{self.ports[index]}.pid").read_text())
        os.killpg(pid, signal.SIGKILL)


async def _metric(port: int, name: str, **labels: str) -> float:
    async with (
        aiohttp.ClientSession() as http,
        http.get(f"http://127.0.0.1:{port}/metrics") as answer,
    ):
        assert answer.status == 200
        text = await answer.text()
    return sum(
        sample.value
        for family in text_string_to_metric_families(text)
        for sample in family.samples
        if sample.name == name and labels.items() <= sample.labels.items()
    )


async def _ready(port: int) -> bool:
    try:
        async with (
            aiohttp.ClientSession() as http,
            http.get(f"http://127.0.0.1:{port}/readyz") as answer,
        ):
            return answer.status == 200
    except aiohttp.ClientError:
        return False


async def _recipe(env: dict[str, str], *args: str, log: Path) -> None:
    """`bash deploy/setup-local.sh ARGS`, its output kept in `log`."""
    with log.open("ab") as out:
        process = await asyncio.create_subprocess_exec(
            "bash", str(SCRIPT), *args, cwd=ROOT, env=env, stdout=out, stderr=out
        )
        code = await process.wait()
    if code != 0:
        tail = _tail(log)
        raise AssertionError(f"setup-local.sh {' '.join(args)} failed ({code}):\n{tail}")


def _tail(log: Path) -> str:
    return log.read_text(errors="replace")[-3000:]


def _new_base() -> Path:
    base = Path(tempfile.mkdtemp(prefix="lotse-prod-e2e-"))
    base.chmod(0o755)  # the `lotse` account reads the code and its state under it
    return base


def _steps() -> list[str]:
    listed = subprocess.run(
        ["bash", str(SCRIPT), "--list"], capture_output=True, text=True, check=True
    ).stdout.split()
    assert listed[0] == "packages" and listed[-1] == "check", listed
    return listed


def _nginx_site_gone(was_running: bool) -> None:
    """The recipe's site out of Debian's nginx again; nginx as it was before."""
    Path("/etc/nginx/sites-enabled/lotse").unlink(missing_ok=True)
    if was_running:
        subprocess.run(["nginx", "-s", "reload"], check=False)
    elif _nginx_running():
        subprocess.run(["nginx", "-s", "quit"], check=False)


def _psql(sql: str) -> None:
    port = subprocess.run(
        ["bash", "-c", "pg_lsclusters -h | awk '$2==\"main\" {print $3; exit}'"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    subprocess.run(
        ["su", "postgres", "-c", f'psql -q -p {port} -c "{sql}"'], check=True, capture_output=True
    )


def _drop_database() -> None:
    _psql(f"DROP DATABASE IF EXISTS {DATABASE} WITH (FORCE)")
    _psql("DROP ROLE IF EXISTS lotse")


def _nginx_running() -> bool:
    pid = Path("/run/nginx.pid")
    return pid.exists() and subprocess.run(["kill", "-0", pid.read_text().strip()]).returncode == 0


@pytest.fixture
async def site() -> AsyncIterator[Site]:
    _needs_root()
    for program in ("nginx", "runuser", "pg_lsclusters", "openssl", "curl"):
        _needs(program)
    redis_port = urlsplit(_required("TEST_REDIS_URL")).port or 6379
    base = _new_base()
    prefix, etc, state = base / "opt", base / "etc", base / "state"
    nginx_was_running = _nginx_running()
    _drop_database()
    redis = Redis(port=redis_port, db=0)
    await redis.flushdb()
    server = EmulatorServer()
    await server.start()
    ports, worker_port, https_port = [free_port(), free_port()], free_port(), free_port()
    recipe_env = {
        **{k: v for k, v in os.environ.items() if not k.startswith(("LOTSE_", "BOT_"))},
        "BOT_TOKEN": TOKEN,
        "LOTSE_SERVER_NAME": "localhost",
        "LOTSE_BOT_PORTS": " ".join(map(str, ports)),
        "LOTSE_WORKER_PORT": str(worker_port),
        "LOTSE_HTTPS_PORT": str(https_port),
        "LOTSE_HTTP_PORT": str(free_port()),
        "LOTSE_REDIS_PORT": str(redis_port),
        "LOTSE_SYSTEMD": "no",
        "LOTSE_PREFIX": str(prefix),
        "LOTSE_ETC": str(etc),
        "LOTSE_STATE": str(state),
        "LOTSE_NGINX_SITE": str(base / "nginx-site.conf"),
        "TELEGRAM_API_URL": server.base_url,
    }
    log = base / "recipe.log"
    try:
        for step in _steps():
            await _recipe(recipe_env, "--step", step, log=log)
            if step == "env":
                # What an operator would edit in /etc/lotse/lotse.env for this test.
                with (etc / "lotse.env").open("a") as env_file:
                    env_file.write(
                        f"SEND_RATE={SEND_RATE}\nREMINDER_BATCH={REMINDER_BATCH}\n"
                        f"QUIET_HOURS={_quiet_hours_elsewhere()}\nBOOKING_LEAD=1m\n"
                        "BOT_USERNAME=lotse_test_bot\n"
                    )
            if step == "tls":
                # Telegram trusts a self-signed certificate uploaded with setWebhook;
                # the emulator is told it here.
                server.emulator.webhook_ca = str(etc / "tls" / "fullchain.pem")
        env = {**os.environ, **_read_env(etc / "lotse.env")}
        env.pop("WEB_PORT", None)
        bot = BotProcess(server, env)
        site = Site(server, env, [bot, bot], ports, worker_port, state)

        def webhook_set() -> bool:
            return sum(r["method"] == "setWebhook" for r in server.emulator.requests) >= 2

        await wait_for(webhook_set, timeout=60, what="both bot processes to set the webhook")
        for port in [*ports, worker_port]:
            for _ in range(300):
                if await _ready(port):
                    break
                await asyncio.sleep(0.1)
            else:
                raise AssertionError(f"the process on {port} is not ready")
        yield site
    finally:
        await _recipe(recipe_env, "--stop", log=log)
        _nginx_site_gone(nginx_was_running)
        await server.stop()
        await redis.flushdb()
        await redis.aclose()
        _drop_database()
        shutil.rmtree(base, ignore_errors=True)
