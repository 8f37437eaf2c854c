"""Columns and constraints that the migrations in `versions/` spell again and again.

Every table has an integer `id`, UTC timestamps, a named primary key and foreign keys to
`<table>.id` named after the naming convention of storage.models
(`pk_<table>`, `fk_<table>_<column>_<referred table>`). The helpers write these once.

Each call returns new objects (a column or constraint belongs to one table). What they
return must never change: migrations that have run must keep producing the same DDL, on
SQLite and on PostgreSQL. A new shape gets a new helper, not a change to these.
"""

from __future__ import annotations

from typing import Any, Literal

import sqlalchemy as sa
from alembic import op

import storage.types

OnDelete = Literal["CASCADE", "RESTRICT", "SET NULL"]


def id_column() -> sa.Column[Any]:
    """The surrogate key every table with a numeric id starts with."""
    return sa.Column("id", sa.Integer(), nullable=False)


def utc_column(name: str, *, nullable: bool = False) -> sa.Column[Any]:
    """A moment in time, stored in UTC (storage.types.UTCDateTime)."""
    return sa.Column(name, storage.types.UTCDateTime(), nullable=nullable)


def primary_key(table: str, column: str = "id") -> sa.PrimaryKeyConstraint:
    """The primary key of `table`, named `pk_<table>`."""
    return sa.PrimaryKeyConstraint(column, name=f"pk_{table}")


def foreign_key(
    table: str, column: str, referred: str, ondelete: OnDelete
) -> sa.ForeignKeyConstraint:
    """`table.column` refers to `referred.id`, named `fk_<table>_<column>_<referred>`."""
    return sa.ForeignKeyConstraint(
        [column], [f"{referred}.id"], name=f"fk_{table}_{column}_{referred}", ondelete=ondelete
    )


def create_table_with_id(table: str, *items: sa.schema.SchemaItem) -> sa.Table | None:
    """`op.create_table` for a table keyed by an integer `id`: the `id` column comes first
    and the primary key `pk_<table>` is added (SQLAlchemy writes the primary key before the
    other constraints wherever it is listed, so the DDL is that of the spelled-out table)."""
    return op.create_table(table, id_column(), *items, primary_key(table))
