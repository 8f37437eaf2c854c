"""The web console's repository: login links, sessions and uploads awaiting their import
(issue 20); `storage/console_repositories.py` implements it."""

from __future__ import annotations

from datetime import datetime
from typing import Protocol

from bot.domain import ConsoleSession


class ConsoleRepository(Protocol):
    """Login links and sessions of the web console, each stored only as a hash (a
    SHA-256 hex digest) of its secret."""

    async def add_link(
        self, digest: str, staff_id: int, expires_at: datetime, at: datetime
    ) -> None: ...
    async def use_link(self, digest: str, at: datetime) -> int | None:
        """Mark an unused link that has not expired used, and return its staff id; None for
        an unknown, used or expired link (and for the loser of two uses at once)."""
        ...

    async def add_session(self, digest: str, staff_id: int, at: datetime) -> None: ...
    async def session(self, digest: str) -> ConsoleSession | None: ...
    async def touch_session(self, digest: str, at: datetime) -> None: ...
    async def end_session(self, digest: str) -> bool: ...
    async def end_sessions_of(self, staff_id: int) -> int:
        """End every session of a staff member; how many there were."""
        ...

    async def open_sessions(self, seen_since: datetime) -> int:
        """How many sessions were used since then (the metrics' open sessions)."""
        ...

    async def purge(self, *, links_before: datetime, sessions_before: datetime) -> int:
        """Forget links that expired and sessions idle since these times."""
        ...

    async def add_upload(
        self, digest: str, session_digest: str, name: str, data: bytes, at: datetime
    ) -> None:
        """Keep an uploaded file (an offers import awaiting its confirmation)."""
        ...

    async def upload(self, digest: str, session_digest: str) -> tuple[str, bytes] | None:
        """(name, data) of an upload of this session; None when unknown or another's."""
        ...

    async def drop_uploads(self, *, digest: str | None = None, before: datetime) -> None:
        """Forget the upload `digest` and every upload made before `before`."""
        ...
