"""Apply Alembic migrations (at start-up and by `python main.py migrate`)."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from sqlalchemy import text
from sqlalchemy.engine import Connection
from sqlalchemy.ext.asyncio import AsyncEngine

from config.settings import StartupError

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"
#: Any constant: serialises migrations when two processes start at once on PostgreSQL.
_PG_LOCK_ID = 0x4C6F747365


def alembic_config() -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    return config


def _upgrade(connection: Connection, revision: str) -> None:
    if connection.dialect.name == "postgresql":
        connection.execute(text("SELECT pg_advisory_xact_lock(:id)"), {"id": _PG_LOCK_ID})
    config = alembic_config()
    config.attributes["connection"] = connection
    command.upgrade(config, revision)


async def upgrade_database(engine: AsyncEngine, revision: str = "head") -> None:
    """Bring the database to `revision`: the first contact of every command with the
    database, so a database that cannot be used is named here, before anything runs."""
    try:
        async with engine.begin() as connection:
            await connection.run_sync(_upgrade, revision)
    except Exception as exc:  # noqa: BLE001 - named with the class only (messages may hold data)
        where = engine.url.render_as_string(hide_password=True)
        raise StartupError(f"the database {where} cannot be used ({type(exc).__name__})") from exc


def _current(connection: Connection) -> str | None:
    from alembic.migration import MigrationContext

    return MigrationContext.configure(connection).get_current_revision()


async def current_revision(engine: AsyncEngine) -> str | None:
    async with engine.connect() as connection:
        return await connection.run_sync(_current)
