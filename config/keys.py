"""Where the notes key comes from: NOTES_KEY, else (SQLite only) a local key file.

PostgreSQL is the production database: it never runs without an explicit key, so
notes cannot end up encrypted with a key that lives only on one machine's disk.
For SQLite (a single machine, the demo) a key file is written next to the
database with 0600 permissions, once, and reused after. A database that already holds
notes never gets a new key: without its file, start-up stops and names the file.
"""

from __future__ import annotations

import base64
import os
import sqlite3
from contextlib import closing
from pathlib import Path

from sqlalchemy.engine import make_url

from config.settings import ConfigError, Settings

KEY_FILE_NAME = "notes.key"


def new_key() -> str:
    """A fresh Fernet key (32 random bytes, url-safe base64)."""
    return base64.urlsafe_b64encode(os.urandom(32)).decode("ascii")


def key_file_for(database_url: str) -> Path | None:
    """The key file beside a file SQLite database; None for PostgreSQL or :memory:."""
    url = make_url(database_url)
    if url.get_backend_name() != "sqlite" or not url.database or url.database == ":memory:":
        return None
    return Path(url.database).resolve().parent / KEY_FILE_NAME


def _read_or_create(path: Path) -> str:
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        # O_EXCL: two processes starting together never write two different keys.
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        key = path.read_text(encoding="ascii").strip()
        if not key:
            raise ConfigError(f"NOTES_KEY: the key file {path} is empty") from None
        return key
    key = new_key()
    with os.fdopen(fd, "w", encoding="ascii") as handle:
        handle.write(key + "\n")
    return key


def _notes_stored(database: Path) -> bool:
    """True when the SQLite file already holds case notes (read-only look; a file that
    is not a Lotse database, or has no notes table yet, holds none)."""
    if not database.exists():
        return False
    try:
        with closing(sqlite3.connect(f"file:{database}?mode=ro", uri=True)) as connection:
            return connection.execute("SELECT 1 FROM notes LIMIT 1").fetchone() is not None
    except sqlite3.Error:
        return False


def notes_keys(settings: Settings) -> list[str]:
    """The keys, newest first. Raises ConfigError (one line) when none may be used."""
    if settings.NOTES_KEY:
        return [k.strip() for k in settings.NOTES_KEY.split(",") if k.strip()]
    url = make_url(settings.DATABASE_URL)
    if url.get_backend_name() == "postgresql":
        raise ConfigError(
            "NOTES_KEY: required with PostgreSQL (case notes are encrypted); "
            "make one with: python main.py notes new-key"
        )
    path = key_file_for(settings.DATABASE_URL)
    if path is None:  # an in-memory database lives as long as its key
        return [new_key()]
    database = Path(url.database or "").resolve()
    if not path.exists() and _notes_stored(database):
        # A new key could not read them: never write one silently over lost notes.
        raise ConfigError(
            f"NOTES_KEY: the key file {path} is missing, but {database} holds encrypted "
            "case notes; put the file back (from a backup) or set NOTES_KEY to that key"
        )
    return [_read_or_create(path)]
