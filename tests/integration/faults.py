"""What the fault-injection tests need: real `python main.py worker` processes against
the emulator, and ways to take the database away (a TCP proxy in front of PostgreSQL
that refuses connections; SQLite's exclusive lock held by another process)."""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import sqlite3
import sys
import time
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy.engine import make_url

from emulator import EmulatorServer

ROOT = Path(__file__).resolve().parents[2]


class RefusingProxy:
    """127.0.0.1:port -> the database. `cut()` drops every connection and refuses new
    ones (ECONNREFUSED, as a database that is down); `restore()` listens again."""

    def __init__(self, host: str, port: int) -> None:
        self._target = (host, port)
        self._server: asyncio.Server | None = None
        self._links: set[asyncio.StreamWriter] = set()
        self.port = 0

    async def start(self) -> None:
        self._server = await asyncio.start_server(
            self._accept, "127.0.0.1", self.port, reuse_address=True
        )
        self.port = self._server.sockets[0].getsockname()[1]

    async def _accept(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            up_reader, up_writer = await asyncio.open_connection(*self._target)
        except OSError:
            writer.transport.abort()
            return
        self._links |= {writer, up_writer}
        await asyncio.gather(
            self._pipe(reader, up_writer), self._pipe(up_reader, writer), return_exceptions=True
        )
        self._links -= {writer, up_writer}

    @staticmethod
    async def _pipe(source: asyncio.StreamReader, sink: asyncio.StreamWriter) -> None:
        try:
            while data := await source.read(65536):
                sink.write(data)
                await sink.drain()
        finally:
            sink.transport.abort()

    async def cut(self) -> None:
        assert self._server is not None
        self._server.close()
        for writer in list(self._links):
            writer.transport.abort()
        self._server = None

    async def restore(self) -> None:
        await self.start()

    async def stop(self) -> None:
        if self._server is not None:
            await self.cut()


@contextlib.contextmanager
def sqlite_locked(path: Path) -> Iterator[None]:
    """Another process's exclusive lock on the SQLite file: no one else writes meanwhile."""
    connection = sqlite3.connect(path, timeout=30, isolation_level=None)
    try:
        connection.execute("BEGIN EXCLUSIVE")
        yield
    finally:
        connection.execute("ROLLBACK")
        connection.close()


def proxied(database_url: str, port: int) -> str:
    """The same database, reached through the proxy on 127.0.0.1:port."""
    url = make_url(database_url).set(host="127.0.0.1", port=port)
    return url.render_as_string(hide_password=False)


@dataclass
class Workers:
    """`python main.py worker` processes sending the reminders to the emulator."""

    server: EmulatorServer
    env: dict[str, str]
    folder: Path
    processes: list[asyncio.subprocess.Process] = field(default_factory=list)

    async def start(self, count: int) -> None:
        for n in range(count):
            log = (self.folder / f"worker{n}.log").open("ab")
            self.processes.append(
                await asyncio.create_subprocess_exec(
                    sys.executable,
                    str(ROOT / "main.py"),
                    "worker",
                    cwd=self.folder,
                    env=self.env,
                    stdout=log,
                    stderr=log,
                )
            )

    def log(self, n: int) -> list[dict[str, object]]:
        path = self.folder / f"worker{n}.log"
        entries = []
        for line in path.read_text(errors="replace").splitlines():
            with contextlib.suppress(ValueError):
                entries.append(json.loads(line))
        return entries

    def claimed(self, n: int) -> int:
        """How many reminders worker n has claimed so far (its log says)."""
        return sum(
            int(str(e.get("count", 0))) for e in self.log(n) if e.get("msg") == "reminders claimed"
        )

    def delivered(self) -> Counter[int]:
        """Reminder messages per client chat (the clients are Telegram ids >= 10,000)."""
        return Counter(
            m.chat_id
            for m in self.server.emulator.messages.values()
            if m.from_bot and m.chat_id >= 10_000
        )

    async def wait_delivered(self, count: int, timeout: float) -> float:
        """Seconds until `count` distinct clients got their reminder (or AssertionError)."""
        started = time.monotonic()
        while len(self.delivered()) < count:
            if time.monotonic() - started > timeout:
                raise AssertionError(
                    f"{len(self.delivered())} of {count} delivered after {timeout:.0f} s"
                )
            await asyncio.sleep(0.1)
        return time.monotonic() - started

    async def stop(self) -> None:
        for process in self.processes:
            if process.returncode is None:
                process.terminate()
        for process in self.processes:
            try:
                await asyncio.wait_for(process.wait(), 15)
            except TimeoutError:
                process.kill()
                await process.wait()


def worker_env(api_url: str, database_url: str, notes_key: str, rate: float) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "BOT_TOKEN"}}
    env.update(
        BOT_TOKEN="123:faults",
        TELEGRAM_API_URL=api_url,
        DATABASE_URL=database_url,
        NOTES_KEY=notes_key,
        SEND_RATE=str(rate),
        QUIET_HOURS="03:00-03:01",
        LOG_LEVEL="INFO",
        PYTHONUNBUFFERED="1",
    )
    return env
