"""SQLite for the async engine without a thread: aiosqlite's interface, run inline.

aiosqlite runs each call (cursor, execute, fetch, close, commit) on its own thread and
wakes the event loop for the answer: four thread round trips per statement. On a local
file one SQLite statement takes tens of microseconds, far less than a round trip, and
the round trips were half of the bot's CPU per update (benchmarks/updates.py: 10.3 ->
5.2 ms per update). Here the same calls run on the event loop's thread and return at
once. SQLAlchemy's aiosqlite dialect is kept (types, SQL, pooling); only the driver
connection changes, through create_async_engine's documented `async_creator`.

The cost: while SQLite waits for a lock held by another process (a `python main.py
worker`, a CLI command), the event loop waits too, at most `busy_timeout`. Within the
bot process there is one connection (storage.db), so it never waits for itself.
"""

from __future__ import annotations

import asyncio
import sqlite3
from collections.abc import Awaitable, Callable, Iterable, Sequence
from typing import Any


class InlineCursor:
    def __init__(self, cursor: sqlite3.Cursor) -> None:
        self._cursor = cursor

    @property
    def description(self) -> Any:
        return self._cursor.description

    @property
    def lastrowid(self) -> int | None:
        return self._cursor.lastrowid

    @property
    def rowcount(self) -> int:
        return self._cursor.rowcount

    async def execute(self, sql: str, parameters: Any = None) -> InlineCursor:
        if parameters is None:
            self._cursor.execute(sql)
        else:
            self._cursor.execute(sql, parameters)
        return self

    async def executemany(self, sql: str, parameters: Iterable[Any]) -> InlineCursor:
        self._cursor.executemany(sql, parameters)
        return self

    async def fetchall(self) -> list[Any]:
        return self._cursor.fetchall()

    async def fetchone(self) -> Any:
        return self._cursor.fetchone()

    async def fetchmany(self, size: int | None = None) -> list[Any]:
        return self._cursor.fetchmany(self._cursor.arraysize if size is None else size)

    async def close(self) -> None:
        self._cursor.close()


class _RunNow:
    """aiosqlite's job queue as SQLAlchemy uses it (to set the isolation level): the
    job runs at once and its future is answered."""

    def put_nowait(self, item: tuple[asyncio.Future[Any], Callable[[], Any]]) -> None:
        future, job = item
        try:
            future.set_result(job())
        except Exception as exc:  # noqa: BLE001 - handed to whoever awaits the future
            future.set_exception(exc)


class InlineConnection:
    """The part of aiosqlite.Connection that SQLAlchemy's aiosqlite dialect calls."""

    def __init__(self, connection: sqlite3.Connection) -> None:
        self._conn = connection
        self._tx = _RunNow()

    @property
    def isolation_level(self) -> str | None:
        return self._conn.isolation_level

    async def cursor(self) -> InlineCursor:
        return InlineCursor(self._conn.cursor())

    async def execute(self, sql: str, parameters: Sequence[Any] | None = None) -> InlineCursor:
        return await (await self.cursor()).execute(sql, parameters)

    async def create_function(self, *args: Any, **kwargs: Any) -> None:
        self._conn.create_function(*args, **kwargs)

    async def commit(self) -> None:
        self._conn.commit()

    async def rollback(self) -> None:
        self._conn.rollback()

    async def close(self) -> None:
        self._conn.close()

    def stop(self) -> None:
        """What the pool calls when it must drop a connection at once."""
        self._conn.close()


def inline_connector(path: str, timeout: float) -> Callable[[], Awaitable[InlineConnection]]:
    """An `async_creator` for create_async_engine: a connection to the SQLite file."""

    async def connect() -> InlineConnection:
        # check_same_thread off: the pool may close a connection from the thread that
        # shuts the engine down; it is only ever used from the event loop's thread.
        return InlineConnection(sqlite3.connect(path, timeout=timeout, check_same_thread=False))

    return connect
