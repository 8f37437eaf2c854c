"""Announcements and their outbox. The outbox claim is one UPDATE ... RETURNING, as the
reminders' (storage/reminder_repositories.py): PostgreSQL skips rows another sender holds
(FOR UPDATE SKIP LOCKED); SQLite runs one writer at a time."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import exists, func, insert, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from bot.announcements import (
    Announcement,
    AnnouncementScope,
    AnnouncementStatus,
    Audience,
    DeliveryFigures,
    DeliveryJob,
    DeliveryStatus,
)
from bot.domain import AppointmentStatus, Client
from storage.announcement_models import AnnouncementRow, AnnouncementTextRow, DeliveryRow
from storage.db import rowcount
from storage.models import AppointmentRow, ClientRow
from storage.repositories import _client

_PENDING = DeliveryStatus.PENDING.value
_SENDING = DeliveryStatus.SENDING.value
_OPEN = (AnnouncementStatus.DRAFT.value, AnnouncementStatus.SCHEDULED.value)


def _announcement(row: AnnouncementRow, human: dict[str, str]) -> Announcement:
    return Announcement(
        id=row.id,
        site_id=row.site_id,
        author_id=row.author_id,
        scope=AnnouncementScope(row.scope),
        source_locale=row.source_locale,
        text=row.text,
        scheduled_at=row.scheduled_at,
        status=AnnouncementStatus(row.status),
        languages=tuple(code for code in row.languages.split(",") if code),
        appointment_days=row.appointment_days,
        created_at=row.created_at,
        human=human,
    )


class SqlAnnouncements:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def add(self, announcement: Announcement, at: datetime) -> Announcement:
        row = AnnouncementRow(
            site_id=announcement.site_id,
            author_id=announcement.author_id,
            scope=announcement.scope.value,
            source_locale=announcement.source_locale,
            text=announcement.text,
            languages=",".join(announcement.languages),
            appointment_days=announcement.appointment_days,
            scheduled_at=announcement.scheduled_at,
            status=announcement.status.value,
            created_at=at,
        )
        self._session.add(row)
        await self._session.flush()
        for locale, text in announcement.human.items():
            self._session.add(
                AnnouncementTextRow(
                    announcement_id=row.id,
                    locale=locale,
                    text=text,
                    machine=False,
                    author_id=announcement.author_id,
                )
            )
        await self._session.flush()
        return _announcement(row, dict(announcement.human))

    async def _human(self, ids: list[int]) -> dict[int, dict[str, str]]:
        found: dict[int, dict[str, str]] = {i: {} for i in ids}
        if ids:
            rows = await self._session.execute(
                select(
                    AnnouncementTextRow.announcement_id,
                    AnnouncementTextRow.locale,
                    AnnouncementTextRow.text,
                ).where(
                    AnnouncementTextRow.announcement_id.in_(ids),
                    AnnouncementTextRow.machine.is_(False),
                )
            )
            for announcement_id, locale, text in rows:
                found[announcement_id][locale] = text
        return found

    async def get(self, announcement_id: int) -> Announcement | None:
        row = await self._session.get(AnnouncementRow, announcement_id)
        if row is None:
            return None
        return _announcement(row, (await self._human([row.id]))[row.id])

    async def of_site(
        self, site_id: int, *, author_id: int | None, limit: int
    ) -> list[Announcement]:
        query = select(AnnouncementRow).where(AnnouncementRow.site_id == site_id)
        if author_id is not None:
            query = query.where(AnnouncementRow.author_id == author_id)
        rows = list(
            await self._session.scalars(
                query.order_by(
                    AnnouncementRow.scheduled_at.desc(), AnnouncementRow.id.desc()
                ).limit(limit)
            )
        )
        human = await self._human([r.id for r in rows])
        return [_announcement(r, human[r.id]) for r in rows]

    async def set_text(
        self, announcement_id: int, locale: str, text: str, *, author_id: int | None, machine: bool
    ) -> None:
        row = await self._session.scalar(
            select(AnnouncementTextRow).where(
                AnnouncementTextRow.announcement_id == announcement_id,
                AnnouncementTextRow.locale == locale,
            )
        )
        if row is None:
            self._session.add(
                AnnouncementTextRow(
                    announcement_id=announcement_id,
                    locale=locale,
                    text=text,
                    machine=machine,
                    author_id=author_id,
                )
            )
        elif machine and not row.machine:
            return  # a person's translation is never replaced by the machine's
        else:
            row.text, row.machine, row.author_id = text, machine, author_id
        await self._session.flush()

    async def machine_text(self, announcement_id: int, locale: str) -> str | None:
        return await self._session.scalar(
            select(AnnouncementTextRow.text).where(
                AnnouncementTextRow.announcement_id == announcement_id,
                AnnouncementTextRow.locale == locale,
                AnnouncementTextRow.machine.is_(True),
            )
        )

    async def cancel(self, announcement_id: int) -> bool:
        result = await self._session.execute(
            update(AnnouncementRow)
            .where(AnnouncementRow.id == announcement_id, AnnouncementRow.status.in_(_OPEN))
            .values(status=AnnouncementStatus.CANCELLED.value)
            .execution_options(synchronize_session=False)
        )
        return bool(rowcount(result))

    async def recipients(self, audience: Audience, now: datetime) -> list[Client]:
        query = select(ClientRow).where(
            ClientRow.site_id == audience.site_id,
            ClientRow.consented_at.is_not(None),
            ClientRow.announcements_off_at.is_(None),
        )
        if audience.case_manager_id is not None:
            query = query.where(ClientRow.case_manager_id == audience.case_manager_id)
        if audience.languages:
            query = query.where(ClientRow.locale.in_(audience.languages))
        if audience.appointment_days is not None:
            query = query.where(
                exists().where(
                    AppointmentRow.client_id == ClientRow.id,
                    AppointmentRow.status == AppointmentStatus.BOOKED.value,
                    AppointmentRow.starts_at > now,
                    AppointmentRow.starts_at <= now + timedelta(days=audience.appointment_days),
                )
            )
        return [_client(row) for row in await self._session.scalars(query.order_by(ClientRow.id))]

    async def start_due(self, now: datetime, limit: int) -> list[int]:
        due = (
            select(AnnouncementRow.id)
            .where(
                AnnouncementRow.status == AnnouncementStatus.SCHEDULED.value,
                AnnouncementRow.scheduled_at <= now,
            )
            .order_by(AnnouncementRow.scheduled_at)
            .limit(limit)
            .with_for_update(skip_locked=True)
        )
        result = await self._session.execute(
            update(AnnouncementRow)
            .where(
                AnnouncementRow.id.in_(due.scalar_subquery()),
                AnnouncementRow.status == AnnouncementStatus.SCHEDULED.value,
            )
            .values(status=AnnouncementStatus.SENDING.value)
            .returning(AnnouncementRow.id)
            .execution_options(synchronize_session=False)
        )
        return sorted(result.scalars().all())

    async def add_deliveries(
        self, announcement_id: int, client_ids: list[int], at: datetime
    ) -> int:
        if not client_ids:
            return 0
        known = set(
            await self._session.scalars(
                select(DeliveryRow.client_id).where(DeliveryRow.announcement_id == announcement_id)
            )
        )
        rows = [
            {
                "announcement_id": announcement_id,
                "client_id": client_id,
                "status": _PENDING,
                "due_at": at,
                "attempts": 0,
            }
            for client_id in sorted(set(client_ids) - known)
        ]
        if rows:
            await self._session.execute(insert(DeliveryRow), rows)
        return len(rows)

    async def claim_due(
        self, now: datetime, lease_until: datetime, token: str, limit: int
    ) -> list[int]:
        due = (
            select(DeliveryRow.id)
            .where(
                or_(
                    (DeliveryRow.status == _PENDING) & (DeliveryRow.due_at <= now),
                    (DeliveryRow.status == _SENDING) & (DeliveryRow.lease_until < now),
                )
            )
            .order_by(DeliveryRow.id)
            .limit(limit)
            .with_for_update(skip_locked=True)
        )
        result = await self._session.execute(
            update(DeliveryRow)
            .where(DeliveryRow.id.in_(due.scalar_subquery()))
            .values(status=_SENDING, lease_until=lease_until, claim_token=token)
            .returning(DeliveryRow.id)
            .execution_options(synchronize_session=False)
        )
        return sorted(result.scalars().all())

    async def jobs(self, delivery_ids: list[int], token: str) -> list[DeliveryJob]:
        if not delivery_ids:
            return []
        rows = await self._session.execute(
            select(DeliveryRow, ClientRow)
            .join(ClientRow, ClientRow.id == DeliveryRow.client_id)
            .where(DeliveryRow.id.in_(delivery_ids), DeliveryRow.claim_token == token)
            .order_by(DeliveryRow.id)
        )
        return [
            DeliveryJob(
                delivery_id=delivery.id,
                announcement_id=delivery.announcement_id,
                client=_client(client),
                claim_token=token,
                attempts=delivery.attempts,
            )
            for delivery, client in rows
        ]

    async def finish(
        self,
        delivery_id: int,
        token: str,
        status: DeliveryStatus,
        at: datetime,
        *,
        due_at: datetime | None = None,
    ) -> bool:
        values: dict[str, object] = {
            "status": status.value,
            "lease_until": None,
            "claim_token": None,
        }
        if status is DeliveryStatus.SENT:
            values["sent_at"] = at
        if due_at is not None:
            values["due_at"] = due_at
        if status is DeliveryStatus.PENDING:
            values["attempts"] = DeliveryRow.attempts + 1
        result = await self._session.execute(
            update(DeliveryRow)
            .where(
                DeliveryRow.id == delivery_id,
                DeliveryRow.claim_token == token,
                DeliveryRow.status == _SENDING,
            )
            .values(**values)
            .execution_options(synchronize_session=False)
        )
        return bool(rowcount(result))

    async def renew(self, token: str, lease_until: datetime) -> int:
        result = await self._session.execute(
            update(DeliveryRow)
            .where(DeliveryRow.claim_token == token, DeliveryRow.status == _SENDING)
            .values(lease_until=lease_until)
            .execution_options(synchronize_session=False)
        )
        return rowcount(result)

    async def release(self, token: str, delivery_ids: list[int]) -> int:
        if not delivery_ids:
            return 0
        result = await self._session.execute(
            update(DeliveryRow)
            .where(
                DeliveryRow.id.in_(delivery_ids),
                DeliveryRow.claim_token == token,
                DeliveryRow.status == _SENDING,
            )
            .values(status=_PENDING, lease_until=None, claim_token=None)
            .execution_options(synchronize_session=False)
        )
        return rowcount(result)

    async def release_owner(self, owner: str) -> int:
        result = await self._session.execute(
            update(DeliveryRow)
            .where(DeliveryRow.claim_token.startswith(f"{owner}-"), DeliveryRow.status == _SENDING)
            .values(status=_PENDING, lease_until=None, claim_token=None)
            .execution_options(synchronize_session=False)
        )
        return rowcount(result)

    async def finish_done(self, now: datetime) -> list[int]:
        open_rows = exists().where(
            DeliveryRow.announcement_id == AnnouncementRow.id,
            DeliveryRow.status.in_([_PENDING, _SENDING]),
        )
        result = await self._session.execute(
            update(AnnouncementRow)
            .where(AnnouncementRow.status == AnnouncementStatus.SENDING.value, ~open_rows)
            .values(status=AnnouncementStatus.DONE.value)
            .returning(AnnouncementRow.id)
            .execution_options(synchronize_session=False)
        )
        return sorted(result.scalars().all())

    async def figures(self, announcement_ids: list[int]) -> dict[int, DeliveryFigures]:
        counts: dict[int, dict[str, int]] = {i: {} for i in announcement_ids}
        if announcement_ids:
            rows = await self._session.execute(
                select(DeliveryRow.announcement_id, DeliveryRow.status, func.count())
                .where(DeliveryRow.announcement_id.in_(announcement_ids))
                .group_by(DeliveryRow.announcement_id, DeliveryRow.status)
            )
            for announcement_id, status, count in rows:
                counts[announcement_id][status] = int(count)
        return {
            i: DeliveryFigures(
                pending=c.get(_PENDING, 0) + c.get(_SENDING, 0),
                sent=c.get(DeliveryStatus.SENT.value, 0),
                blocked=c.get(DeliveryStatus.BLOCKED.value, 0),
                failed=c.get(DeliveryStatus.FAILED.value, 0),
            )
            for i, c in counts.items()
        }

    async def opt_out(self, client_id: int, at: datetime | None) -> None:
        await self._session.execute(
            update(ClientRow)
            .where(ClientRow.id == client_id)
            .values(announcements_off_at=at)
            .execution_options(synchronize_session=False)
        )
