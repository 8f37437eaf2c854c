"""Small helpers shared by the suites."""

from __future__ import annotations

from typing import Protocol


class _Stored(Protocol):
    @property
    def id(self) -> int | None: ...


def id_of(entity: _Stored) -> int:
    """The id of a stored entity: the domain types allow None only before the first save."""
    assert entity.id is not None, f"{entity!r} has not been stored"
    return entity.id
