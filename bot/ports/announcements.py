"""Announcements' repository and sender (issue 23); `storage/announcement_repositories.py`
implements the repository, handlers/plumbing/notifier.py the sender."""

from __future__ import annotations

from datetime import datetime
from typing import Protocol

from bot.announcements import (
    Announcement,
    AnnouncementMessage,
    Audience,
    DeliveryFigures,
    DeliveryJob,
    DeliveryStatus,
)
from bot.domain import Client, Staff
from bot.ports.notifier import SendResult


class AnnouncementRepository(Protocol):
    async def add(self, announcement: Announcement, at: datetime) -> Announcement: ...
    async def get(self, announcement_id: int) -> Announcement | None:
        """With its human translations."""
        ...

    async def of_site(
        self, site_id: int, *, author_id: int | None, limit: int
    ) -> list[Announcement]:
        """The latest first; only the author's when `author_id` is given."""
        ...

    async def set_text(
        self, announcement_id: int, locale: str, text: str, *, author_id: int | None, machine: bool
    ) -> None:
        """A translation for one language (human: replaces a machine one, never the reverse)."""
        ...

    async def machine_text(self, announcement_id: int, locale: str) -> str | None: ...
    async def cancel(self, announcement_id: int) -> bool:
        """Only before it starts sending (draft or scheduled)."""
        ...

    async def recipients(self, audience: Audience, now: datetime) -> list[Client]:
        """Consented clients of the audience who have not said "no announcements"."""
        ...

    async def start_due(self, now: datetime, limit: int) -> list[int]:
        """Scheduled announcements that are due become `sending` (one taker each)."""
        ...

    async def add_deliveries(
        self, announcement_id: int, client_ids: list[int], at: datetime
    ) -> int:
        """The outbox: one pending row per client (a second call adds nobody twice)."""
        ...

    async def claim_due(
        self, now: datetime, lease_until: datetime, token: str, limit: int
    ) -> list[int]: ...
    async def jobs(self, delivery_ids: list[int], token: str) -> list[DeliveryJob]: ...
    async def finish(
        self,
        delivery_id: int,
        token: str,
        status: DeliveryStatus,
        at: datetime,
        *,
        due_at: datetime | None = None,
    ) -> bool: ...
    async def renew(self, token: str, lease_until: datetime) -> int: ...
    async def release(self, token: str, delivery_ids: list[int]) -> int: ...
    async def release_owner(self, owner: str) -> int: ...
    async def finish_done(self, now: datetime) -> list[int]:
        """Announcements being sent with nothing left pending or sending become `done`."""
        ...

    async def figures(self, announcement_ids: list[int]) -> dict[int, DeliveryFigures]: ...
    async def opt_out(self, client_id: int, at: datetime | None) -> None:
        """The client's "no announcements" (at), or announcements again (None)."""
        ...


class AnnouncementSender(Protocol):
    """Implemented by the Telegram adapter, through the rate-limited sender."""

    async def send_announcement(
        self, job: DeliveryJob, message: AnnouncementMessage
    ) -> SendResult: ...
    async def tell_announcement_done(
        self, staff: Staff, announcement: Announcement, figures: DeliveryFigures
    ) -> None: ...
