"""Referrals and their follow-up question (bot.ports.referrals). The claim is one
UPDATE ... RETURNING, as for reminders (storage/reminder_repositories.py)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import func, or_, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from bot.domain import Client
from bot.referrals import (
    FollowupJob,
    FollowupStatus,
    Referral,
    ReferralAnswer,
    ReferralFlag,
    ReferralReason,
)
from storage.db import rowcount
from storage.models import ClientRow, OfferRow
from storage.referral_models import ReferralFlagRow, ReferralRow
from storage.repositories import _client
from storage.rows import from_row

_PENDING = FollowupStatus.PENDING.value
_SENDING = FollowupStatus.SENDING.value
_ASKED = FollowupStatus.ASKED.value


def _referral(row: ReferralRow | Any) -> Referral:
    return from_row(
        Referral,
        row,
        status=FollowupStatus(row.status),
        answer=ReferralAnswer(row.answer) if row.answer else None,
        reason=ReferralReason(row.reason) if row.reason else None,
    )


class SqlReferrals:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def add(self, referral: Referral) -> Referral:
        row = ReferralRow(
            client_id=referral.client_id,
            offer_id=referral.offer_id,
            staff_id=referral.staff_id,
            site_id=referral.site_id,
            offer_title=referral.offer_title[:200],
            life_areas=referral.life_areas[:200],
            sent_at=referral.sent_at,
            status=referral.status.value,
            due_at=referral.due_at,
            attempts=0,
        )
        self._session.add(row)
        await self._session.flush()
        return _referral(row)

    async def get(self, referral_id: int) -> Referral | None:
        row = await self._session.get(ReferralRow, referral_id)
        return _referral(row) if row else None

    async def claim_due(
        self, now: datetime, lease_until: datetime, token: str, limit: int
    ) -> list[int]:
        due = (
            select(ReferralRow.id)
            .where(
                or_(
                    (ReferralRow.status == _PENDING) & (ReferralRow.due_at <= now),
                    (ReferralRow.status == _SENDING) & (ReferralRow.lease_until < now),
                )
            )
            .order_by(ReferralRow.due_at)
            .limit(limit)
            .with_for_update(skip_locked=True)
        )
        result = await self._session.execute(
            update(ReferralRow)
            .where(ReferralRow.id.in_(due.scalar_subquery()))
            .values(status=_SENDING, lease_until=lease_until, claim_token=token)
            .returning(ReferralRow.id)
            .execution_options(synchronize_session=False)
        )
        return sorted(result.scalars().all())

    async def jobs(self, referral_ids: list[int], token: str) -> list[FollowupJob]:
        if not referral_ids:
            return []
        rows = await self._session.execute(
            select(ReferralRow, ClientRow)
            .join(ClientRow, ClientRow.id == ReferralRow.client_id)
            .where(ReferralRow.id.in_(referral_ids), ReferralRow.claim_token == token)
            .order_by(ReferralRow.due_at)
        )
        return [
            FollowupJob(_referral(referral), token, referral.attempts, _client(client))
            for referral, client in rows
        ]

    async def finish(
        self,
        referral_id: int,
        token: str,
        status: FollowupStatus,
        at: datetime,
        *,
        due_at: datetime | None = None,
    ) -> bool:
        values: dict[str, object] = {
            "status": status.value,
            "lease_until": None,
            "claim_token": None,
        }
        if status is FollowupStatus.ASKED:
            values["asked_at"] = at
        if due_at is not None:
            values["due_at"] = due_at
        if status is FollowupStatus.PENDING:
            values["attempts"] = ReferralRow.attempts + 1
        result = await self._session.execute(
            update(ReferralRow)
            .where(
                ReferralRow.id == referral_id,
                ReferralRow.claim_token == token,
                ReferralRow.status == _SENDING,
            )
            .values(**values)
            .execution_options(synchronize_session=False)
        )
        return bool(rowcount(result))

    async def _changed(self, referral_id: int, *conditions: Any, **values: Any) -> Referral | None:
        result = await self._session.execute(
            update(ReferralRow)
            .where(ReferralRow.id == referral_id, *conditions)
            .values(**values)
            .execution_options(synchronize_session=False)
        )
        if not rowcount(result):
            return None
        row = (
            await self._session.execute(select(ReferralRow).where(ReferralRow.id == referral_id))
        ).scalar_one()
        await self._session.refresh(row)
        return _referral(row)

    async def answer(
        self, referral_id: int, client_id: int, answer: ReferralAnswer, at: datetime
    ) -> Referral | None:
        return await self._changed(
            referral_id,
            ReferralRow.client_id == client_id,
            ReferralRow.status == _ASKED,
            ReferralRow.answer.is_(None),
            answer=answer.value,
            answered_at=at,
            seen_at=None,
        )

    async def give_reason(
        self, referral_id: int, client_id: int, reason: ReferralReason, at: datetime
    ) -> Referral | None:
        return await self._changed(
            referral_id,
            ReferralRow.client_id == client_id,
            ReferralRow.answer == ReferralAnswer.NOT_WENT.value,
            ReferralRow.reason.is_(None),
            reason=reason.value,
            answered_at=at,
            seen_at=None,
        )

    async def of_client(self, client_id: int, limit: int) -> list[Referral]:
        rows = await self._session.scalars(
            select(ReferralRow)
            .where(ReferralRow.client_id == client_id)
            .order_by(ReferralRow.sent_at.desc(), ReferralRow.id.desc())
            .limit(limit)
        )
        return [_referral(row) for row in rows]

    async def answered_for_staff(
        self, staff_id: int, *, unseen_only: bool, since: datetime, limit: int
    ) -> list[tuple[Referral, Client]]:
        statement = (
            select(ReferralRow, ClientRow)
            .join(ClientRow, ClientRow.id == ReferralRow.client_id)
            .where(
                or_(ReferralRow.staff_id == staff_id, ClientRow.case_manager_id == staff_id),
                ReferralRow.answered_at.is_not(None),
                ReferralRow.answered_at >= since,
            )
            .order_by(ReferralRow.answered_at.desc(), ReferralRow.id.desc())
            .limit(limit)
        )
        if unseen_only:
            statement = statement.where(ReferralRow.seen_at.is_(None))
        rows = await self._session.execute(statement)
        return [(_referral(referral), _client(client)) for referral, client in rows]

    async def mark_seen(self, referral_ids: list[int], at: datetime) -> None:
        if referral_ids:
            await self._session.execute(
                update(ReferralRow)
                .where(ReferralRow.id.in_(referral_ids), ReferralRow.seen_at.is_(None))
                .values(seen_at=at)
                .execution_options(synchronize_session=False)
            )

    async def questions_off(self, client_id: int, at: datetime | None) -> int:
        await self._session.execute(
            update(ClientRow)
            .where(ClientRow.id == client_id)
            .values(followups_off_at=at)
            .execution_options(synchronize_session=False)
        )
        if at is None:
            return 0
        result = await self._session.execute(
            update(ReferralRow)
            .where(ReferralRow.client_id == client_id, ReferralRow.status == _PENDING)
            .values(status=FollowupStatus.SKIPPED.value)
            .execution_options(synchronize_session=False)
        )
        return rowcount(result)

    async def count_reason(
        self, offer_id: int, site_id: int, reason: ReferralReason, since: datetime
    ) -> int:
        return int(
            await self._session.scalar(
                select(func.count())
                .select_from(ReferralRow)
                .where(
                    ReferralRow.offer_id == offer_id,
                    ReferralRow.site_id == site_id,
                    ReferralRow.reason == reason.value,
                    ReferralRow.answered_at >= since,
                )
            )
            or 0
        )

    async def raise_flag(
        self, offer_id: int, site_id: int, reason: ReferralReason, at: datetime, since: datetime
    ) -> bool:
        try:
            async with self._session.begin_nested():
                self._session.add(
                    ReferralFlagRow(
                        offer_id=offer_id, site_id=site_id, reason=reason.value, flagged_at=at
                    )
                )
            return True
        except IntegrityError:
            pass
        result = await self._session.execute(
            update(ReferralFlagRow)
            .where(
                ReferralFlagRow.offer_id == offer_id,
                ReferralFlagRow.site_id == site_id,
                ReferralFlagRow.reason == reason.value,
                ReferralFlagRow.flagged_at < since,
            )
            .values(flagged_at=at)
            .execution_options(synchronize_session=False)
        )
        return bool(rowcount(result))

    async def flags(self, site_id: int, since: datetime) -> list[ReferralFlag]:
        flags = []
        rows = await self._session.scalars(
            select(ReferralFlagRow)
            .where(ReferralFlagRow.site_id == site_id, ReferralFlagRow.flagged_at >= since)
            .order_by(ReferralFlagRow.flagged_at.desc())
        )
        for row in list(rows):
            reason = ReferralReason(row.reason)
            count = await self.count_reason(row.offer_id, site_id, reason, since)
            title = await self._session.scalar(
                select(OfferRow.title).where(OfferRow.id == row.offer_id)
            )
            flags.append(
                ReferralFlag(row.offer_id, site_id, reason, title or "", count, row.flagged_at)
            )
        return flags
