"""Storage: SQLAlchemy models, repositories, unit of work and migrations.

Implements the ports of `bot.ports` and returns `bot.domain` objects.
"""

from storage.db import create_engine, session_factory
from storage.migrate import upgrade_database
from storage.uow import SqlUnitOfWork, make_uow_factory

__all__ = [
    "SqlUnitOfWork",
    "create_engine",
    "make_uow_factory",
    "session_factory",
    "upgrade_database",
]
