"""Alembic environment: runs on the connection handed in by storage.migrate."""

from __future__ import annotations

from alembic import context

import storage.announcement_models  # noqa: F401 - registers the announcements' tables
import storage.console_models  # noqa: F401 - registers the console tables
import storage.later_models  # noqa: F401 - registers the outbox of answers sent later
import storage.note_models  # noqa: F401 - registers the notes tables
import storage.referral_models  # noqa: F401 - registers the referral tables
import storage.relay_models  # noqa: F401 - registers the relay table
import storage.waitlist_models  # noqa: F401 - registers the waiting list's tables
from storage.models import Base

target_metadata = Base.metadata


def run_migrations() -> None:
    connection = context.config.attributes.get("connection")
    if connection is None:
        raise RuntimeError("run migrations through `python main.py migrate`")
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=True,  # SQLite alters tables by copying them
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


run_migrations()
