"""What every repository does with rows: map them to domain objects, add one that must be
unique, update or delete the rows a condition matches and say how many.

Kept small and plain so that each repository still reads as the SQL it runs.
"""

from __future__ import annotations

from dataclasses import fields
from typing import Any, TypeVar

from sqlalchemy import ColumnElement, delete, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from bot.ports import DuplicateError
from storage.db import rowcount

T = TypeVar("T")


#: The init fields of each domain class from_row has built, looked up once.
_FIELD_NAMES: dict[type, tuple[str, ...]] = {}


def _field_names(cls: type) -> tuple[str, ...]:
    names = _FIELD_NAMES.get(cls)
    if names is None:
        names = _FIELD_NAMES[cls] = tuple(f.name for f in fields(cls) if f.init)
    return names


def from_row(cls: type[T], row: Any, **converted: Any) -> T:
    """A domain dataclass from a row (ORM object, Core row or namespace) whose columns bear
    the fields' names: each field is read as stored, except those in `converted`, which the
    caller gives in their domain form (enums from their values, lists from joined text)."""
    values = {name: getattr(row, name) for name in _field_names(cls) if name not in converted}
    return cls(**values, **converted)


async def add_unique(session: AsyncSession, row: object, what: str) -> None:
    """Add `row` and flush at once, so that a unique key it breaks raises here, as
    DuplicateError(`what`), and not at some later statement."""
    session.add(row)
    try:
        await session.flush()
    except IntegrityError as exc:
        raise DuplicateError(what) from exc


async def update_rows(
    session: AsyncSession, entity: Any, *where: ColumnElement[bool], **values: Any
) -> int:
    """UPDATE `entity` SET `values` WHERE all of `where`: how many rows matched. With a
    condition on the old value (`used_at IS NULL`, `status = 'booked'`) it tells whether
    this caller, and no concurrent one, made the change."""
    result = await session.execute(update(entity).where(*where).values(**values))
    return int(rowcount(result) or 0)


async def delete_rows(session: AsyncSession, entity: Any, *where: ColumnElement[bool]) -> int:
    """DELETE FROM `entity` WHERE all of `where`: how many rows went."""
    result = await session.execute(delete(entity).where(*where))
    return int(rowcount(result) or 0)
