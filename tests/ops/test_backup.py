"""`python main.py backup FILE` / `restore FILE` (issue 21, item 5): a consistent copy
while a writer is busy, 0600, restored with its notes readable with the key; the replaced
database kept; wrong files, wrong keys and PostgreSQL refused with one clear line."""

from __future__ import annotations

import asyncio
import logging
import sqlite3
import threading
from collections.abc import Iterator
from contextlib import closing
from pathlib import Path

import pytest

from bot.domain import LifeArea
from bot.services import notes
from config.keys import new_key
from main import main
from storage import create_engine, make_uow_factory, session_factory, upgrade_database
from tests.e2e.conftest import free_port
from tests.fakes import FakeClock
from tests.helpers import id_of
from tests.unit.service_setup import add_client, add_staff

SECRET = "Klient berichtet von Schlafproblemen"


@pytest.fixture(autouse=True)
def _logging_kept() -> Iterator[None]:
    """main() sets up logging onto this test's captured stderr: put the root logger back,
    or later tests log into a closed stream."""
    root = logging.getLogger()
    saved = (root.handlers[:], root.level)
    yield
    root.handlers[:], root.level = saved


async def _live_database(path: Path, key: str) -> None:
    clock = FakeClock()
    engine = create_engine(f"sqlite+aiosqlite:///{path}", notes_keys=[key])
    await upgrade_database(engine)
    factory = make_uow_factory(session_factory(engine), clock)
    anna = await add_staff(factory, clock, telegram_user_id=700)
    ahmad = await add_client(factory, clock, telegram_user_id=701, site_id=anna.site_id)
    await notes.write_note(
        factory, clock, staff=anna, client_id=id_of(ahmad), body=SECRET, life_areas=[LifeArea.WORK]
    )
    await engine.dispose()


async def _note_bodies(path: Path, key: str) -> list[str]:
    clock = FakeClock()
    engine = create_engine(f"sqlite+aiosqlite:///{path}", notes_keys=[key])
    try:
        async with make_uow_factory(session_factory(engine), clock)() as uow:
            client = await uow.clients.by_telegram_id(701)
            assert client is not None
            found, _ = await uow.notes.for_client(id_of(client), 10, 0)
            return [note.body for note in found]
    finally:
        await engine.dispose()


def _count(path: Path) -> int:
    with closing(sqlite3.connect(path)) as connection:
        return int(connection.execute("SELECT count(*) FROM processed_updates").fetchone()[0])


def _use(monkeypatch: pytest.MonkeyPatch, database: Path, key: str) -> None:
    monkeypatch.setenv("DATABASE_URL", f"sqlite+aiosqlite:///{database}")
    monkeypatch.setenv("NOTES_KEY", key)
    monkeypatch.setenv("WEB_PORT", str(free_port()))  # nothing answers: Lotse is not running


async def test_backup_while_writing_and_restore_with_the_key(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    key = new_key()
    live = tmp_path / "live" / "lotse.db"
    await _live_database(live, key)
    _use(monkeypatch, live, key)

    stop = threading.Event()

    def writer() -> None:  # another process's writes, as the bot makes them while it runs
        with closing(sqlite3.connect(live, timeout=30, isolation_level=None)) as connection:
            connection.execute("PRAGMA journal_mode=WAL")
            update_id = 0
            while not stop.is_set():
                update_id += 1
                connection.execute(
                    "INSERT INTO processed_updates (bot_id, update_id, received_at) "
                    "VALUES (1, ?, '2026-01-01 00:00:00.000000')",
                    (update_id,),
                )

    thread = threading.Thread(target=writer)
    thread.start()
    try:
        await asyncio.sleep(0.2)
        copy = tmp_path / "backups" / "lotse-backup.db"
        assert await asyncio.to_thread(main, ["backup", str(copy)]) == 0
        await asyncio.sleep(0.1)
    finally:
        stop.set()
        thread.join()
    out = capsys.readouterr().out
    assert "Backup written" in out and "NOTES_KEY" in out and "cannot be" in out
    assert copy.stat().st_mode & 0o777 == 0o600
    with closing(sqlite3.connect(copy)) as connection:
        assert connection.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    backed_up = _count(copy)
    assert 0 < backed_up < _count(live)  # a snapshot taken while the writer went on

    # Never over an existing file.
    assert main(["backup", str(copy)]) == 2
    assert "exists already" in capsys.readouterr().err

    # Restore over another database: it is kept, and the notes open with the key.
    target = tmp_path / "restored" / "lotse.db"
    other_key = new_key()
    await _live_database(target, key)
    _use(monkeypatch, target, other_key)
    assert await asyncio.to_thread(main, ["restore", str(copy)]) == 1  # the wrong key
    assert "do not open with the notes key" in capsys.readouterr().err
    assert _count(target) == 0  # untouched

    _use(monkeypatch, target, key)
    assert await asyncio.to_thread(main, ["restore", str(copy)]) == 0
    assert "kept in" in capsys.readouterr().out
    assert _count(target) == backed_up
    assert await _note_bodies(target, key) == [SECRET]
    kept = list(target.parent.glob("lotse.db.before-restore-*"))
    assert len(kept) == 1 and kept[0].stat().st_mode & 0o777 == 0o600
    assert _count(kept[0]) == 0
    assert not list(target.parent.glob("*.restoring-*"))


async def test_restore_refuses_what_is_not_a_lotse_database(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    _use(monkeypatch, tmp_path / "lotse.db", new_key())
    stranger = tmp_path / "other.db"
    with closing(sqlite3.connect(stranger)) as connection:
        connection.execute("CREATE TABLE t (x)")
    assert main(["restore", str(stranger)]) == 2
    assert "is not a Lotse database" in capsys.readouterr().err
    assert main(["restore", str(tmp_path / "missing.db")]) == 2


def test_postgresql_is_pointed_to_pg_dump(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("DATABASE_URL", "postgresql://lotse:s3cret@db.example:5432/lotse")
    monkeypatch.setenv("NOTES_KEY", new_key())
    assert main(["backup", "x.dump"]) == 1
    err = capsys.readouterr().err
    assert "pg_dump" in err and "postgresql://lotse@db.example:5432/lotse" in err
    assert "s3cret" not in err
