"""The waiting list's repository (issue 22); `storage/waitlist_repositories.py` implements
it."""

from __future__ import annotations

from datetime import date, datetime
from typing import Protocol

from bot.domain import FreedTimes, WaitOffer, WaitOfferJob, WaitOfferStatus, Wish


class WaitlistRepository(Protocol):
    """The waiting list: clients' wishes, the times that came free (a domain event written
    in the transaction that freed them), and the offers sent from them (claimed with a
    lease like reminders)."""

    async def add_wish(self, wish: Wish, at: datetime) -> Wish: ...
    async def get_wish(self, wish_id: int) -> Wish | None: ...
    async def wishes_of(self, client_id: int) -> list[Wish]:
        """The client's waiting wishes, oldest first."""
        ...

    async def waiting(self, site_id: int) -> list[Wish]:
        """Waiting wishes of a site's clients in the order they were made."""
        ...

    async def end_wish(self, wish_id: int, status: str, at: datetime) -> bool:
        """A waiting wish ends (fulfilled, cancelled, expired); False if it was not waiting."""
        ...

    async def record_freed(self, freed: FreedTimes) -> None: ...
    async def take_freed(self, limit: int) -> list[FreedTimes]:
        """Remove and return recorded freed times, oldest first (one taker per row)."""
        ...

    async def add_offer(
        self,
        wish_id: int,
        staff_id: int,
        starts_at: datetime,
        ends_at: datetime,
        *,
        due_at: datetime,
        expires_at: datetime,
        at: datetime,
    ) -> bool:
        """False when this wish was offered this time before."""
        ...

    async def offers_since(self, client_id: int, since: datetime) -> int:
        """How many offers the client was made (or is about to be) since `since`."""
        ...

    async def get_offer(self, offer_id: int) -> WaitOffer | None: ...
    async def claim_due(
        self, now: datetime, lease_until: datetime, token: str, limit: int
    ) -> list[int]: ...
    async def jobs(self, offer_ids: list[int], token: str) -> list[WaitOfferJob]: ...
    async def finish(
        self,
        offer_id: int,
        token: str,
        status: WaitOfferStatus,
        at: datetime,
        *,
        due_at: datetime | None = None,
    ) -> bool: ...
    async def set_offer(self, offer_id: int, status: WaitOfferStatus, *, was: str) -> bool:
        """A conditional status change (only from `was`)."""
        ...

    async def others_lost(
        self, staff_id: int, starts_at: datetime, except_id: int | None, due_at: datetime
    ) -> int:
        """The time was booked: offers of it already sent are to be told it is gone (kind
        gone, pending at `due_at`); those not sent yet are gone without a message."""
        ...

    async def close_wish_offers(self, wish_id: int) -> int:
        """Offers of an ended wish that are not sent yet are skipped."""
        ...

    async def expire(self, now: datetime, today: date) -> int:
        """Wishes past their date and offers past their time end as expired."""
        ...
