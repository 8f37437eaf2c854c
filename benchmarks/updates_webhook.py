"""`benchmarks/updates.py --processes N`: the bots in webhook mode, N processes of each
behind nginx (round-robin, deploy/nginx/lotse.conf as deploy/setup-local.sh renders it,
plain HTTP on 127.0.0.1), as in production. Lotse runs on PostgreSQL (a database of its
own, made and dropped here) and Redis (one database number, emptied before and after);
the echo bot (benchmarks/echo_bot.py --webhook) needs neither. The project's Bot API
emulator delivers the updates to nginx."""

from __future__ import annotations

import asyncio
import os
import re
import shutil
import socket
import subprocess
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

from sqlalchemy import text
from sqlalchemy.ext.asyncio import create_async_engine

ROOT = Path(__file__).resolve().parents[1]
SCRIPT = ROOT / "deploy" / "setup-local.sh"
DATABASE = "lotse_bench"
WEBHOOK_PATH = "/telegram/webhook"


def asyncpg_url(url: str) -> str:
    return re.sub(r"^postgres(ql)?(\+\w+)?://", "postgresql+asyncpg://", url)


async def fresh_database(admin_url: str) -> str:
    """DATABASE made anew on admin_url's cluster; its URL for the bot."""
    await drop_database(admin_url, create=True)
    parts = urlsplit(asyncpg_url(admin_url))
    return urlunsplit(parts._replace(path=f"/{DATABASE}"))


async def drop_database(admin_url: str, *, create: bool = False) -> None:
    engine = create_async_engine(asyncpg_url(admin_url), isolation_level="AUTOCOMMIT")
    try:
        async with engine.connect() as connection:
            await connection.execute(text(f"DROP DATABASE IF EXISTS {DATABASE} WITH (FORCE)"))
            if create:
                await connection.execute(text(f"CREATE DATABASE {DATABASE}"))
    finally:
        await engine.dispose()


async def empty_redis(url: str) -> None:
    from redis.asyncio import Redis

    redis = Redis.from_url(url)
    try:
        await redis.flushdb()
    finally:
        await redis.aclose()


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def _render_site(folder: Path, ports: list[int], listen: int) -> str:
    env = {
        **os.environ,
        "LOTSE_ETC": str(folder),
        "LOTSE_BOT_PORTS": " ".join(map(str, ports)),
        "LOTSE_HTTPS_PORT": str(listen),
        "LOTSE_HTTP_PORT": str(free_port()),
        "LOTSE_SERVER_NAME": "lotse.bench",
    }
    site = subprocess.run(
        ["bash", str(SCRIPT), "--render-nginx"], env=env, capture_output=True, text=True, check=True
    ).stdout
    site = site.replace("/var/log/nginx/lotse.access.log", str(folder / "access.log"))
    # Plain HTTP on the loopback: the emulator posts here without TLS.
    site = re.sub(r"listen (\S+) ssl http2;", r"listen \1;", site)
    return "\n".join(line for line in site.splitlines() if not line.strip().startswith("ssl_"))


def _nginx_config(folder: Path, ports: list[int], listen: int) -> list[str]:
    """The site and a main configuration in `folder`, checked; nginx's command line."""
    if shutil.which("nginx") is None:
        raise SystemExit("--processes needs nginx (apt install nginx)")
    (folder / "site.conf").write_text(_render_site(folder, ports, listen))
    (folder / "nginx.conf").write_text(
        f"pid {folder}/nginx.pid;\nerror_log {folder}/nginx-error.log;\n"
        f"worker_processes 1;\nevents {{}}\nhttp {{ include {folder}/site.conf; }}\n"
    )
    command = ["nginx", "-c", str(folder / "nginx.conf"), "-p", str(folder)]
    subprocess.run([*command, "-t", "-q"], check=True)
    return command


async def start_nginx(folder: Path, ports: list[int]) -> tuple[asyncio.subprocess.Process, int]:
    """nginx in front of `ports`; the process and the port it listens on."""
    listen = free_port()
    command = _nginx_config(folder, ports, listen)
    process = await asyncio.create_subprocess_exec(*command, "-g", "daemon off;")
    return process, listen


async def wait_listening(port: int) -> None:
    """Until something accepts connections on 127.0.0.1:`port` (at most a minute)."""
    async with asyncio.timeout(60):
        while True:
            try:
                _reader, writer = await asyncio.open_connection("127.0.0.1", port)
            except OSError:
                await asyncio.sleep(0.05)
                continue
            writer.close()
            await writer.wait_closed()
            return
