"""Reminders and daily agendas. The claim is one UPDATE ... RETURNING statement:
PostgreSQL skips rows another dispatcher holds (FOR UPDATE SKIP LOCKED); SQLite runs
one writer at a time, and the statement takes its write lock before it reads.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime

from sqlalchemy import or_, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from bot.domain import ReminderJob, ReminderStatus
from storage.booking_repositories import _appointment
from storage.db import rowcount
from storage.models import AppointmentRow, ClientRow, DigestRow, ReminderRow, StaffRow
from storage.repositories import _client, _staff

_PENDING = ReminderStatus.PENDING.value
_SENDING = ReminderStatus.SENDING.value


class SqlReminders:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def schedule(
        self, appointment_id: int, plan: list[tuple[str, datetime | None]], at: datetime
    ) -> None:
        existing = {
            row.kind: row
            for row in await self._session.scalars(
                select(ReminderRow).where(ReminderRow.appointment_id == appointment_id)
            )
        }
        for kind, due in plan:
            status = _PENDING if due is not None else ReminderStatus.SKIPPED.value
            row = existing.get(kind)
            if row is None:
                self._session.add(
                    ReminderRow(
                        appointment_id=appointment_id,
                        kind=kind,
                        due_at=due or at,
                        status=status,
                        attempts=0,
                        created_at=at,
                    )
                )
                continue
            row.due_at = due or row.due_at
            row.status = status
            row.attempts = 0
            row.lease_until = None
            row.claim_token = None
            row.sent_at = None
        await self._session.flush()

    async def cancel_for(self, appointment_id: int) -> None:
        await self._session.execute(
            update(ReminderRow)
            .where(
                ReminderRow.appointment_id == appointment_id,
                ReminderRow.status.in_([_PENDING, _SENDING, ReminderStatus.SKIPPED.value]),
            )
            .values(status=ReminderStatus.CANCELLED.value, lease_until=None, claim_token=None)
        )

    async def claim_due(
        self, now: datetime, lease_until: datetime, token: str, limit: int
    ) -> list[int]:
        due = (
            select(ReminderRow.id)
            .where(
                or_(
                    (ReminderRow.status == _PENDING) & (ReminderRow.due_at <= now),
                    (ReminderRow.status == _SENDING) & (ReminderRow.lease_until < now),
                )
            )
            .order_by(ReminderRow.due_at)
            .limit(limit)
            .with_for_update(skip_locked=True)
        )
        result = await self._session.execute(
            update(ReminderRow)
            .where(ReminderRow.id.in_(due.scalar_subquery()))
            .values(
                status=_SENDING,
                lease_until=lease_until,
                claim_token=token,
            )
            .returning(ReminderRow.id)
            .execution_options(synchronize_session=False)
        )
        return sorted(result.scalars().all())

    async def jobs(self, reminder_ids: list[int], token: str) -> list[ReminderJob]:
        if not reminder_ids:
            return []
        rows = await self._session.execute(
            select(ReminderRow, AppointmentRow, ClientRow, StaffRow)
            .join(AppointmentRow, AppointmentRow.id == ReminderRow.appointment_id)
            .join(ClientRow, ClientRow.id == AppointmentRow.client_id)
            .join(StaffRow, StaffRow.id == AppointmentRow.staff_id)
            .where(ReminderRow.id.in_(reminder_ids), ReminderRow.claim_token == token)
            .order_by(ReminderRow.due_at)
        )
        return [
            ReminderJob(
                reminder_id=reminder.id,
                kind=reminder.kind,
                claim_token=token,
                attempts=reminder.attempts,
                appointment=_appointment(appointment),
                client=_client(client),
                staff=_staff(staff),
                due_at=reminder.due_at,
            )
            for reminder, appointment, client, staff in rows
        ]

    async def finish(
        self,
        reminder_id: int,
        token: str,
        status: ReminderStatus,
        at: datetime,
        *,
        due_at: datetime | None = None,
    ) -> bool:
        values: dict[str, object] = {
            "status": status.value,
            "lease_until": None,
            "claim_token": None,
        }
        if status is ReminderStatus.SENT:
            values["sent_at"] = at
        if due_at is not None:
            values["due_at"] = due_at
        if status is ReminderStatus.PENDING:
            values["attempts"] = ReminderRow.attempts + 1
        result = await self._session.execute(
            update(ReminderRow)
            .where(
                ReminderRow.id == reminder_id,
                ReminderRow.claim_token == token,
                ReminderRow.status == _SENDING,
            )
            .values(**values)
            .execution_options(synchronize_session=False)
        )
        return bool(rowcount(result))

    async def renew(self, token: str, lease_until: datetime) -> int:
        result = await self._session.execute(
            update(ReminderRow)
            .where(ReminderRow.claim_token == token, ReminderRow.status == _SENDING)
            .values(lease_until=lease_until)
            .execution_options(synchronize_session=False)
        )
        return rowcount(result)

    async def release(self, token: str, reminder_ids: list[int]) -> int:
        if not reminder_ids:
            return 0
        result = await self._session.execute(
            update(ReminderRow)
            .where(
                ReminderRow.id.in_(reminder_ids),
                ReminderRow.claim_token == token,
                ReminderRow.status == _SENDING,
            )
            .values(status=_PENDING, lease_until=None, claim_token=None)
            .execution_options(synchronize_session=False)
        )
        return rowcount(result)

    async def expired_among(self, appointment_ids: Sequence[int]) -> set[int]:
        if not appointment_ids:
            return set()
        rows = await self._session.scalars(
            select(ReminderRow.appointment_id)
            .where(
                ReminderRow.appointment_id.in_(sorted(set(appointment_ids))),
                ReminderRow.status == ReminderStatus.EXPIRED.value,
            )
            .distinct()
        )
        return set(rows)

    async def release_owner(self, owner: str) -> int:
        result = await self._session.execute(
            update(ReminderRow)
            .where(ReminderRow.claim_token.startswith(f"{owner}-"), ReminderRow.status == _SENDING)
            .values(status=_PENDING, lease_until=None, claim_token=None)
            .execution_options(synchronize_session=False)
        )
        return rowcount(result)

    async def for_appointment(self, appointment_id: int) -> list[tuple[str, datetime, str]]:
        rows = await self._session.execute(
            select(ReminderRow.kind, ReminderRow.due_at, ReminderRow.status)
            .where(ReminderRow.appointment_id == appointment_id)
            .order_by(ReminderRow.due_at)
        )
        return [(kind, due, status) for kind, due, status in rows]


class SqlDigests:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def claim(self, staff_id: int, day: date, at: datetime) -> bool:
        try:
            async with self._session.begin_nested():
                self._session.add(DigestRow(staff_id=staff_id, day=day, sent_at=at))
        except IntegrityError:
            return False
        return True
