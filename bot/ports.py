"""Ports: what the core needs from the outside, as Protocols.

`storage/` implements the repositories and the unit of work; tests may use fakes.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from types import TracebackType
from typing import Any, Protocol

from bot.domain import Client, Site, Staff


class Clock(Protocol):
    def now(self) -> datetime:
        """Aware UTC now."""
        ...


class SystemClock:
    def now(self) -> datetime:
        return datetime.now(UTC)


class ClientRepository(Protocol):
    async def by_telegram_id(self, telegram_user_id: int) -> Client | None: ...
    async def add(self, client: Client) -> Client: ...
    async def update(self, client: Client) -> Client: ...
    async def delete(self, client_id: int) -> None: ...


class SiteRepository(Protocol):
    async def by_slug(self, slug: str) -> Site | None: ...
    async def add(self, site: Site) -> Site: ...
    async def list(self) -> list[Site]: ...


class StaffRepository(Protocol):
    async def by_telegram_id(self, telegram_user_id: int) -> Staff | None: ...
    async def add(self, staff: Staff) -> Staff: ...


class ProcessedUpdateRepository(Protocol):
    async def claim(self, bot_id: int, update_id: int, at: datetime) -> bool:
        """Record an update; False when it was recorded before (a duplicate)."""
        ...

    async def purge_older_than(self, before: datetime) -> int: ...


class ConversationStateRepository(Protocol):
    """Where a half-finished flow waits (aiogram's FSM, kept in the database)."""

    async def get(self, key: str) -> tuple[str | None, dict[str, Any]]: ...
    async def set_state(self, key: str, state: str | None, at: datetime) -> None: ...
    async def set_data(self, key: str, data: dict[str, Any], at: datetime) -> None: ...
    async def delete_for_user(self, telegram_user_id: int) -> None: ...


class UnitOfWork(Protocol):
    clients: ClientRepository
    sites: SiteRepository
    staff: StaffRepository
    updates: ProcessedUpdateRepository
    conversations: ConversationStateRepository

    async def __aenter__(self) -> UnitOfWork: ...
    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None: ...
    async def commit(self) -> None: ...
    async def rollback(self) -> None: ...


UnitOfWorkFactory = Callable[[], UnitOfWork]


class DuplicateError(Exception):
    """Raised by repositories when a unique key already exists."""
