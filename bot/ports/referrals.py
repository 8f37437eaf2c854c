"""The referrals' repository (bot.referrals); `storage/referral_repositories.py` implements it."""

from __future__ import annotations

from datetime import datetime
from typing import Protocol

from bot.domain import Client
from bot.referrals import (
    FollowupJob,
    FollowupStatus,
    Referral,
    ReferralAnswer,
    ReferralFlag,
    ReferralReason,
)


class ReferralRepository(Protocol):
    async def add(self, referral: Referral) -> Referral: ...
    async def get(self, referral_id: int) -> Referral | None: ...
    async def claim_due(
        self, now: datetime, lease_until: datetime, token: str, limit: int
    ) -> list[int]:
        """Pending rows due now, and rows whose lease ran out, become `sending` under
        `token` (PostgreSQL: FOR UPDATE SKIP LOCKED)."""
        ...

    async def jobs(self, referral_ids: list[int], token: str) -> list[FollowupJob]: ...
    async def finish(
        self,
        referral_id: int,
        token: str,
        status: FollowupStatus,
        at: datetime,
        *,
        due_at: datetime | None = None,
    ) -> bool:
        """Only the holder of the claim may finish it; ASKED stamps `asked_at`; PENDING with
        `due_at` reschedules and counts one more refusal."""
        ...

    async def answer(
        self, referral_id: int, client_id: int, answer: ReferralAnswer, at: datetime
    ) -> Referral | None:
        """Store the client's answer to an asked question; None when it was answered before
        (a second tap) or is not this client's asked question."""
        ...

    async def give_reason(
        self, referral_id: int, client_id: int, reason: ReferralReason, at: datetime
    ) -> Referral | None:
        """The reason of a "did not go"; None when one was stored before."""
        ...

    async def of_client(self, client_id: int, limit: int) -> list[Referral]:
        """Newest first."""
        ...

    async def answered_for_staff(
        self, staff_id: int, *, unseen_only: bool, since: datetime, limit: int
    ) -> list[tuple[Referral, Client]]:
        """Answered referrals the staff member sent or whose client is theirs, newest
        answer first."""
        ...

    async def mark_seen(self, referral_ids: list[int], at: datetime) -> None: ...
    async def questions_off(self, client_id: int, at: datetime | None) -> int:
        """Switch the client's follow-up questions off (`at`) or on again (None); switching
        off skips their pending questions (how many)."""
        ...

    async def count_reason(
        self, offer_id: int, site_id: int, reason: ReferralReason, since: datetime
    ) -> int: ...
    async def raise_flag(
        self, offer_id: int, site_id: int, reason: ReferralReason, at: datetime, since: datetime
    ) -> bool:
        """True for the one caller that raises this flag: none yet, or the last one was
        raised before `since` (a unique row and a conditional update)."""
        ...

    async def flags(self, site_id: int, since: datetime) -> list[ReferralFlag]: ...
