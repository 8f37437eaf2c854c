"""The SQLite database and its WAL files are readable by their owner only."""

from __future__ import annotations

import stat
from pathlib import Path

from storage import create_engine
from storage.migrate import upgrade_database


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


async def test_a_new_database_and_its_wal_files_are_created_0600(tmp_path: Path) -> None:
    database = tmp_path / "data" / "lotse.db"
    engine = create_engine(f"sqlite+aiosqlite:///{database}")
    try:
        await upgrade_database(engine)  # writes: the -wal and -shm files appear
        files = [database, Path(f"{database}-wal"), Path(f"{database}-shm")]
        assert all(f.exists() for f in files)
        assert {f.name: _mode(f) for f in files} == {f.name: 0o600 for f in files}
    finally:
        await engine.dispose()


async def test_an_existing_database_readable_by_others_is_tightened(tmp_path: Path) -> None:
    database = tmp_path / "lotse.db"
    database.touch(mode=0o644)
    database.chmod(0o644)
    engine = create_engine(f"sqlite+aiosqlite:///{database}")
    try:
        assert _mode(database) == 0o600
    finally:
        await engine.dispose()
