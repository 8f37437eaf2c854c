"""Engine and sessions."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any, cast

from sqlalchemy import event
from sqlalchemy.engine import CursorResult, Result, make_url
from sqlalchemy.engine.interfaces import DBAPIConnection
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker
from sqlalchemy.ext.asyncio import create_async_engine as _create_async_engine
from sqlalchemy.pool import ConnectionPoolEntry

from storage.crypto import install_cipher
from storage.sqlite_inline import inline_connector


def create_engine(url: str, notes_keys: list[str] | None = None) -> AsyncEngine:
    """An async engine that never prints bound values (they may hold a client's text).

    `notes_keys` (newest first) encrypt case notes; without them notes cannot be read
    or written (storage.crypto.NotesKeyError)."""
    parsed = make_url(url)
    kwargs: dict[str, object] = {"hide_parameters": True}
    if parsed.get_backend_name() == "sqlite":
        database = parsed.database
        if database and database != ":memory:":
            owner_only(Path(database))
            # One connection: SQLite has one writer at a time, and a second connection
            # that wants to write waits in SQLite's busy handler, which sleeps (1 to
            # 100 ms a try). Here units of work queue for the connection instead, in
            # order, without sleeping (updates benchmark: p99 3.5 s -> 1.1 s).
            kwargs["pool_size"] = 1
            kwargs["max_overflow"] = 0
            kwargs["pool_timeout"] = 60
            # No aiosqlite thread (storage.sqlite_inline): half the CPU per update.
            kwargs["async_creator"] = inline_connector(database, timeout=30)
        else:
            kwargs["connect_args"] = {"timeout": 30}
        # A file on the local disk needs no ping before each checkout.
    else:
        kwargs["pool_pre_ping"] = True
    engine = _create_async_engine(url, **kwargs)
    if parsed.get_backend_name() == "sqlite":
        _sqlite_pragmas(engine)
    if notes_keys:
        install_cipher(engine, notes_keys)
    return engine


def owner_only(database: Path) -> None:
    """The SQLite file holds nicknames, phone numbers and Telegram ids: it is created
    readable by its owner only (0600), and an existing one (with its -wal and -shm files,
    which SQLite creates with the database's mode) is tightened to that."""
    database.parent.mkdir(parents=True, exist_ok=True)
    if not database.exists():
        os.close(os.open(database, os.O_WRONLY | os.O_CREAT, 0o600))
    for path in (database, Path(f"{database}-wal"), Path(f"{database}-shm")):
        if path.exists() and path.stat().st_mode & 0o077:
            path.chmod(0o600)


def _sqlite_pragmas(engine: AsyncEngine) -> None:
    @event.listens_for(engine.sync_engine, "connect")
    def _on_connect(dbapi_connection: DBAPIConnection, _record: ConnectionPoolEntry) -> None:
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA journal_mode=WAL")
        # With WAL, NORMAL syncs at checkpoints, not at every commit: a power cut may lose
        # the last transactions but never corrupts the file. Every update commits several
        # small transactions, and a sync each cost ~5 ms here.
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.execute("PRAGMA busy_timeout=30000")
        cursor.close()


def session_factory(engine: AsyncEngine) -> async_sessionmaker[AsyncSession]:
    return async_sessionmaker(engine, expire_on_commit=False, autoflush=False)


def rowcount(result: Result[Any]) -> int:
    """The rows an UPDATE or DELETE matched. Session.execute is typed to return a Result;
    for these statements it is a CursorResult, which has the rowcount."""
    return cast("CursorResult[Any]", result).rowcount
