"""The waiting list in the database (bot.ports.WaitlistRepository). Offers are claimed as
reminders are (storage/reminder_repositories.py): one UPDATE ... RETURNING, PostgreSQL
skipping rows another dispatcher holds."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime

from sqlalchemy import delete, func, or_, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from bot.domain import (
    DayPart,
    FreedTimes,
    LifeArea,
    Mode,
    WaitOffer,
    WaitOfferJob,
    WaitOfferKind,
    WaitOfferStatus,
    Wish,
    WishStatus,
)
from storage.db import rowcount
from storage.models import ClientRow, StaffRow
from storage.repositories import _client, _staff
from storage.rows import update_rows
from storage.waitlist_models import FreedTimeRow, WaitOfferRow, WishRow

_WAITING = WishStatus.WAITING.value
_PENDING = WaitOfferStatus.PENDING.value
_SENDING = WaitOfferStatus.SENDING.value
_SENT = WaitOfferStatus.SENT.value


def _wish(row: WishRow) -> Wish:
    return Wish(
        id=row.id,
        client_id=row.client_id,
        site_id=row.site_id,
        topic=LifeArea(row.topic),
        mode=Mode(row.mode),
        until=row.until,
        staff_id=row.staff_id,
        weekdays=tuple(int(d) for d in row.weekdays.split(",") if d),
        day_part=DayPart(row.day_part),
        status=WishStatus(row.status),
        created_at=row.created_at,
        original_starts_at=row.original_starts_at,
    )


def _offer(row: WaitOfferRow) -> WaitOffer:
    return WaitOffer(
        id=row.id,
        wish_id=row.wish_id,
        staff_id=row.staff_id,
        starts_at=row.starts_at,
        ends_at=row.ends_at,
        expires_at=row.expires_at,
        status=WaitOfferStatus(row.status),
        kind=WaitOfferKind(row.kind),
    )


class SqlWaitlist:
    def __init__(self, session: AsyncSession, now: Callable[[], datetime]) -> None:
        self._session = session
        self._now = now

    # ----- wishes ------------------------------------------------------------------------

    async def add_wish(self, wish: Wish, at: datetime) -> Wish:
        row = WishRow(
            client_id=wish.client_id,
            site_id=wish.site_id,
            staff_id=wish.staff_id,
            topic=wish.topic.value,
            mode=wish.mode.value,
            weekdays=",".join(str(d) for d in sorted(set(wish.weekdays))),
            day_part=wish.day_part.value,
            until=wish.until,
            status=_WAITING,
            created_at=at,
            original_starts_at=wish.original_starts_at,
        )
        self._session.add(row)
        await self._session.flush()
        return _wish(row)

    async def get_wish(self, wish_id: int) -> Wish | None:
        row = await self._session.get(WishRow, wish_id)
        return _wish(row) if row is not None else None

    async def wishes_of(self, client_id: int) -> list[Wish]:
        rows = await self._session.scalars(
            select(WishRow)
            .where(WishRow.client_id == client_id, WishRow.status == _WAITING)
            .order_by(WishRow.created_at, WishRow.id)
        )
        return [_wish(row) for row in rows]

    async def waiting(self, site_id: int) -> list[Wish]:
        rows = await self._session.scalars(
            select(WishRow)
            .where(WishRow.site_id == site_id, WishRow.status == _WAITING)
            .order_by(WishRow.created_at, WishRow.id)
        )
        return [_wish(row) for row in rows]

    async def end_wish(self, wish_id: int, status: str, at: datetime) -> bool:
        return bool(
            await update_rows(
                self._session,
                WishRow,
                WishRow.id == wish_id,
                WishRow.status == _WAITING,
                status=status,
                ended_at=at,
            )
        )

    # ----- freed times (the domain event) ------------------------------------------------

    async def record_freed(self, freed: FreedTimes) -> None:
        self._session.add(
            FreedTimeRow(
                staff_id=freed.staff_id,
                start=freed.start,
                end=freed.end,
                day=freed.day,
                created_at=freed.at or self._now(),
            )
        )
        await self._session.flush()

    async def take_freed(self, limit: int) -> list[FreedTimes]:
        oldest = (
            select(FreedTimeRow.id)
            .order_by(FreedTimeRow.id)
            .limit(limit)
            .with_for_update(skip_locked=True)
        )
        result = await self._session.execute(
            delete(FreedTimeRow)
            .where(FreedTimeRow.id.in_(oldest.scalar_subquery()))
            .returning(
                FreedTimeRow.id,
                FreedTimeRow.staff_id,
                FreedTimeRow.start,
                FreedTimeRow.end,
                FreedTimeRow.day,
                FreedTimeRow.created_at,
            )
            .execution_options(synchronize_session=False)
        )
        rows = sorted(result.all(), key=lambda r: r[0])
        return [
            FreedTimes(staff_id, start, end, day, at) for _, staff_id, start, end, day, at in rows
        ]

    # ----- offers ------------------------------------------------------------------------

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
        try:
            async with self._session.begin_nested():
                self._session.add(
                    WaitOfferRow(
                        wish_id=wish_id,
                        staff_id=staff_id,
                        starts_at=starts_at,
                        ends_at=ends_at,
                        kind=WaitOfferKind.OFFER.value,
                        status=_PENDING,
                        due_at=due_at,
                        expires_at=expires_at,
                        attempts=0,
                        created_at=at,
                    )
                )
        except IntegrityError:
            return False
        return True

    async def offers_since(self, client_id: int, since: datetime) -> int:
        count = await self._session.scalar(
            select(func.count())
            .select_from(WaitOfferRow)
            .join(WishRow, WishRow.id == WaitOfferRow.wish_id)
            .where(
                WishRow.client_id == client_id,
                # Every row began as an offer (a "gone" notice is one that was made).
                WaitOfferRow.created_at >= since,
                WaitOfferRow.status.not_in(
                    [WaitOfferStatus.SKIPPED.value, WaitOfferStatus.FAILED.value]
                ),
            )
        )
        return int(count or 0)

    async def get_offer(self, offer_id: int) -> WaitOffer | None:
        row = await self._session.get(WaitOfferRow, offer_id)
        return _offer(row) if row is not None else None

    async def claim_due(
        self, now: datetime, lease_until: datetime, token: str, limit: int
    ) -> list[int]:
        due = (
            select(WaitOfferRow.id)
            .where(
                or_(
                    (WaitOfferRow.status == _PENDING) & (WaitOfferRow.due_at <= now),
                    (WaitOfferRow.status == _SENDING) & (WaitOfferRow.lease_until < now),
                )
            )
            .order_by(WaitOfferRow.due_at, WaitOfferRow.id)
            .limit(limit)
            .with_for_update(skip_locked=True)
        )
        result = await self._session.execute(
            update(WaitOfferRow)
            .where(WaitOfferRow.id.in_(due.scalar_subquery()))
            .values(status=_SENDING, lease_until=lease_until, claim_token=token)
            .returning(WaitOfferRow.id)
            .execution_options(synchronize_session=False)
        )
        return sorted(result.scalars().all())

    async def jobs(self, offer_ids: list[int], token: str) -> list[WaitOfferJob]:
        if not offer_ids:
            return []
        rows = await self._session.execute(
            select(WaitOfferRow, WishRow, ClientRow, StaffRow)
            .join(WishRow, WishRow.id == WaitOfferRow.wish_id)
            .join(ClientRow, ClientRow.id == WishRow.client_id)
            .join(StaffRow, StaffRow.id == WaitOfferRow.staff_id)
            .where(WaitOfferRow.id.in_(offer_ids), WaitOfferRow.claim_token == token)
            # The order the clients asked in: the first to ask is told first.
            .order_by(WishRow.created_at, WishRow.id, WaitOfferRow.id)
        )
        return [
            WaitOfferJob(
                offer=_offer(offer),
                claim_token=token,
                attempts=offer.attempts,
                wish=_wish(wish),
                client=_client(client),
                staff=_staff(staff),
            )
            for offer, wish, client, staff in rows
        ]

    async def finish(
        self,
        offer_id: int,
        token: str,
        status: WaitOfferStatus,
        at: datetime,
        *,
        due_at: datetime | None = None,
    ) -> bool:
        values: dict[str, object] = {
            "status": status.value,
            "lease_until": None,
            "claim_token": None,
        }
        if status in (WaitOfferStatus.SENT, WaitOfferStatus.GONE):
            values["sent_at"] = at
        if due_at is not None:
            values["due_at"] = due_at
        if status is WaitOfferStatus.PENDING:
            values["attempts"] = WaitOfferRow.attempts + 1
        result = await self._session.execute(
            update(WaitOfferRow)
            .where(
                WaitOfferRow.id == offer_id,
                WaitOfferRow.claim_token == token,
                WaitOfferRow.status == _SENDING,
            )
            .values(**values)
            .execution_options(synchronize_session=False)
        )
        return bool(rowcount(result))

    async def set_offer(self, offer_id: int, status: WaitOfferStatus, *, was: str) -> bool:
        return bool(
            await update_rows(
                self._session,
                WaitOfferRow,
                WaitOfferRow.id == offer_id,
                WaitOfferRow.status == was,
                status=status.value,
            )
        )

    async def others_lost(
        self, staff_id: int, starts_at: datetime, except_id: int | None, due_at: datetime
    ) -> int:
        same = (
            WaitOfferRow.staff_id == staff_id,
            WaitOfferRow.starts_at == starts_at,
            WaitOfferRow.id != (except_id or 0),
            WaitOfferRow.kind == WaitOfferKind.OFFER.value,
        )
        told = await update_rows(
            self._session,
            WaitOfferRow,
            *same,
            WaitOfferRow.status == _SENT,
            kind=WaitOfferKind.GONE.value,
            status=_PENDING,
            due_at=due_at,
            attempts=0,
        )
        await update_rows(
            self._session,
            WaitOfferRow,
            *same,
            WaitOfferRow.status == _PENDING,
            status=WaitOfferStatus.GONE.value,
        )
        return told

    async def close_wish_offers(self, wish_id: int) -> int:
        return await update_rows(
            self._session,
            WaitOfferRow,
            WaitOfferRow.wish_id == wish_id,
            WaitOfferRow.status == _PENDING,
            WaitOfferRow.kind == WaitOfferKind.OFFER.value,
            status=WaitOfferStatus.SKIPPED.value,
        )

    async def expire(self, now: datetime, today: date) -> int:
        wishes = await update_rows(
            self._session,
            WishRow,
            WishRow.status == _WAITING,
            WishRow.until < today,
            status=WishStatus.EXPIRED.value,
            ended_at=now,
        )
        offers = await update_rows(
            self._session,
            WaitOfferRow,
            WaitOfferRow.status.in_([_PENDING, _SENT]),
            WaitOfferRow.kind == WaitOfferKind.OFFER.value,
            WaitOfferRow.expires_at <= now,
            status=WaitOfferStatus.EXPIRED.value,
        )
        return wishes + offers
