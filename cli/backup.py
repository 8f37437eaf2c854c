"""`python main.py backup FILE` and `restore FILE` (issue 21, item 5).

SQLite: SQLite's online backup API copies a consistent snapshot while the bot and the
worker keep writing; the copy is readable by its owner only (0600). PostgreSQL: pg_dump
does that job; the command prints how and exits 1.

Restore refuses while Lotse answers on WEB_PORT (stop the bot, the web process and the
worker first), checks that FILE is a Lotse database at a migration this code knows and
that its case notes open with the notes key there is, brings it to the current
migration, keeps a copy of the database it replaces, and writes it over the database
through the same backup API (so SQLite's WAL files stay consistent).

The notes key is never in a backup: without it the notes in a backup cannot be read.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import sqlite3
import sys
import urllib.request
from contextlib import closing
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy.engine import make_url

from config import Settings
from config.keys import _notes_stored, key_file_for

EXIT_OK, EXIT_FAILURE, EXIT_USAGE = 0, 1, 2


class BackupError(Exception):
    """One line for stderr; `code` the exit code."""

    def __init__(self, message: str, code: int = EXIT_FAILURE) -> None:
        super().__init__(message)
        self.code = code


def run_backup(settings: Settings, args: argparse.Namespace) -> int:
    try:
        url = make_url(settings.DATABASE_URL)
        if url.get_backend_name() != "sqlite" or not url.database or url.database == ":memory:":
            raise BackupError(_postgres_help(settings))
        database = Path(url.database).resolve()
        if args.command == "backup":
            print(backup(database, Path(args.file), key_note=_key_note(settings)))
        else:
            print(restore(settings, database, Path(args.file)))
    except BackupError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return exc.code
    return EXIT_OK


def _postgres_help(settings: Settings) -> str:
    url = make_url(settings.DATABASE_URL)
    user = f"{url.username}@" if url.username else ""
    port = f":{url.port}" if url.port else ""
    address = f"postgresql://{user}{url.host or ''}{port}/{url.database or ''}"  # no password
    return (
        "backup and restore copy SQLite databases; for PostgreSQL use pg_dump, e.g. "
        f"pg_dump --format=custom --file=lotse.dump '{address}' "
        "(the password from PGPASSWORD or ~/.pgpass) and pg_restore --clean --dbname=... "
        "lotse.dump to put it back; keep NOTES_KEY separately (see the README)"
    )


def _key_note(settings: Settings) -> str:
    where = "NOTES_KEY" if settings.NOTES_KEY else str(key_file_for(settings.DATABASE_URL))
    return (
        f"The notes key is not in the backup: without it the case notes in it cannot be "
        f"read. Keep a copy of {where} in a separate safe place."
    )


def _create_private(path: Path) -> None:
    """A new, empty file readable by its owner only; refuses to overwrite."""
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
    except FileExistsError:
        raise BackupError(f"{path} exists already: name a new file", EXIT_USAGE) from None


def _copy(source: Path, target: Path, *, source_readonly: bool = True) -> None:
    """SQLite's online backup API: a consistent snapshot even while others write."""
    uri = f"file:{source}?mode=ro" if source_readonly else f"file:{source}"
    with closing(sqlite3.connect(uri, uri=True, timeout=30)) as src:
        with closing(sqlite3.connect(target, timeout=30)) as dst:
            src.backup(dst)
            dst.execute("PRAGMA journal_mode=DELETE")  # one self-contained file


def _revision(path: Path) -> str | None:
    try:
        with closing(sqlite3.connect(f"file:{path}?mode=ro", uri=True)) as connection:
            tables = {name for (name,) in connection.execute("SELECT name FROM sqlite_master")}
            if not {"alembic_version", "clients", "staff", "sites"} <= tables:
                return None
            row = connection.execute("SELECT version_num FROM alembic_version").fetchone()
    except sqlite3.DatabaseError:
        return None
    return row[0] if row else None


def backup(database: Path, target: Path, *, key_note: str) -> str:
    if not database.exists():
        raise BackupError(f"there is no database at {database}")
    revision = _revision(database)
    if revision is None:
        raise BackupError(f"{database} is not a Lotse database")
    _create_private(target)
    try:
        _copy(database, target)
    except sqlite3.Error as exc:
        target.unlink(missing_ok=True)
        raise BackupError(f"the backup failed ({type(exc).__name__})") from None
    size = target.stat().st_size
    return f"Backup written to {target} ({size} bytes, migration {revision}). {key_note}"


def _lotse_answers(settings: Settings) -> bool:
    try:
        with urllib.request.urlopen(  # noqa: S310 - our own 127.0.0.1 port
            f"http://127.0.0.1:{settings.WEB_PORT}/healthz", timeout=2
        ) as response:
            return b"lotse" in response.read(200)
    except OSError:
        return False


def _keys(settings: Settings) -> list[str]:
    """The notes keys there are, without writing a new key file (config.keys would)."""
    if settings.NOTES_KEY:
        return [k.strip() for k in settings.NOTES_KEY.split(",") if k.strip()]
    path = key_file_for(settings.DATABASE_URL)
    if path is not None and path.exists():
        return [path.read_text(encoding="ascii").strip()]
    return []


async def _prepare(path: Path, keys: list[str]) -> None:
    """Bring the copy to the current migration and check that its notes open."""
    from storage import create_engine, upgrade_database
    from storage.crypto import NotesKeyError, check_key

    engine = create_engine(f"sqlite+aiosqlite:///{path}", notes_keys=keys or None)
    try:
        await upgrade_database(engine)
        if keys:
            try:
                await check_key(engine)
            except NotesKeyError:
                raise BackupError(
                    "the case notes in this backup do not open with the notes key there is: "
                    "set NOTES_KEY (or put back notes.key) as it was when the backup was made"
                ) from None
    finally:
        await engine.dispose()


def restore(settings: Settings, database: Path, source: Path) -> str:
    if not source.is_file():
        raise BackupError(f"there is no file {source}", EXIT_USAGE)
    from storage.health import known_revisions

    revision = _revision(source)
    if revision is None:
        raise BackupError(f"{source} is not a Lotse database", EXIT_USAGE)
    if revision not in known_revisions():
        raise BackupError(
            f"{source} is at migration {revision}, which this version of Lotse does not know "
            "(made by a newer version?)",
            EXIT_USAGE,
        )
    if _lotse_answers(settings):
        raise BackupError(
            f"Lotse is running (it answers on 127.0.0.1:{settings.WEB_PORT}): stop the bot, "
            "the web process and the worker first"
        )
    keys = _keys(settings)
    if not keys and _notes_stored(source):
        where = key_file_for(settings.DATABASE_URL)
        raise BackupError(
            f"this backup holds encrypted case notes, and there is no notes key: set NOTES_KEY "
            f"or put back {where} from the time of the backup"
        )
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    staging = database.with_name(f"{database.name}.restoring-{stamp}")
    _create_private(staging)
    try:
        _copy(source, staging)
        asyncio.run(_prepare(staging, keys))
        kept = None
        if database.exists() and database.stat().st_size:
            kept = database.with_name(f"{database.name}.before-restore-{stamp}")
            _create_private(kept)
            _copy(database, kept, source_readonly=False)
        elif not database.exists():
            _create_private(database)
        with closing(sqlite3.connect(staging)) as src, closing(sqlite3.connect(database)) as dst:
            src.backup(dst)
    except sqlite3.Error as exc:
        raise BackupError(f"the restore failed ({type(exc).__name__})") from None
    finally:
        staging.unlink(missing_ok=True)
    replaced = f"; the database it replaced is kept in {kept}" if kept else ""
    return f"Restored {source} into {database} (migration {revision}){replaced}."
