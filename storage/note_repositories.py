"""Notes, audit log, deputies and scheduled message removals."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import ColumnElement, delete, func, select, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import InstrumentedAttribute

from bot.domain import AuditEntry, LifeArea, Note, NotePhase
from bot.ports import AuditQuery, SealBrokenError
from storage.crypto import NotesKeyError, cipher_of
from storage.note_models import AuditRow, DeputyRow, MessageDeletionRow, NoteRow, NoteVersionRow
from storage.rows import delete_rows, from_row


def _areas(value: str) -> list[LifeArea]:
    return [LifeArea(a) for a in value.split(";") if a]


def _note(row: NoteRow, versions: int = 0) -> Note:
    # client_id is NULL only in an anonymised note (Note.client_id is int): visible_client
    # then finds no client and the services refuse it. Typing it int | None would reach
    # every caller.
    return from_row(
        Note,
        row,
        life_areas=_areas(row.life_areas),
        phase=NotePhase(row.phase) if row.phase else None,
        versions=versions,
    )


class SqlNotes:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def add(self, note: Note, at: datetime) -> Note:
        row = NoteRow(
            client_id=note.client_id,
            author_id=note.author_id,
            appointment_id=note.appointment_id,
            life_areas=";".join(a.value for a in note.life_areas),
            phase=note.phase.value if note.phase else None,
            body=note.body,
            created_at=at,
            updated_at=at,
        )
        self._session.add(row)
        await self._session.flush()
        return _note(row)

    async def _versions(self, note_ids: list[int]) -> dict[int, int]:
        if not note_ids:
            return {}
        rows = await self._session.execute(
            select(NoteVersionRow.note_id, func.count())
            .where(NoteVersionRow.note_id.in_(note_ids))
            .group_by(NoteVersionRow.note_id)
        )
        return {note_id: count for note_id, count in rows}

    async def get(self, note_id: int) -> Note | None:
        row = await self._session.get(NoteRow, note_id)
        if row is None:
            return None
        return _note(row, (await self._versions([row.id])).get(row.id, 0))

    async def for_client(self, client_id: int, limit: int, offset: int) -> tuple[list[Note], int]:
        total = await self._session.scalar(
            select(func.count()).select_from(NoteRow).where(NoteRow.client_id == client_id)
        )
        rows = list(
            await self._session.scalars(
                select(NoteRow)
                .where(NoteRow.client_id == client_id)
                .order_by(NoteRow.created_at.desc(), NoteRow.id.desc())
                .limit(limit)
                .offset(offset)
            )
        )
        versions = await self._versions([r.id for r in rows])
        return [_note(r, versions.get(r.id, 0)) for r in rows], int(total or 0)

    async def replace(
        self,
        note_id: int,
        *,
        body: str,
        life_areas: list[LifeArea],
        phase: NotePhase | None,
        at: datetime,
    ) -> Note | None:
        row = await self._session.get(NoteRow, note_id, with_for_update=True)
        if row is None:
            return None
        self._session.add(
            NoteVersionRow(
                note_id=row.id,
                life_areas=row.life_areas,
                phase=row.phase,
                body=row.body,
                written_at=row.updated_at,
                replaced_at=at,
            )
        )
        row.body = body
        row.life_areas = ";".join(a.value for a in life_areas)
        row.phase = phase.value if phase else None
        row.updated_at = at
        await self._session.flush()
        return _note(row, (await self._versions([row.id])).get(row.id, 0))

    async def delete(self, note_id: int) -> bool:
        return bool(await delete_rows(self._session, NoteRow, NoteRow.id == note_id))

    async def last_written(self, client_ids: list[int]) -> dict[int, datetime]:
        if not client_ids:
            return {}
        rows = await self._session.execute(
            select(NoteRow.client_id, func.max(NoteRow.created_at))
            .where(NoteRow.client_id.in_(client_ids))
            .group_by(NoteRow.client_id)
        )
        return {client_id: at for client_id, at in rows}

    async def recent_clients(self, author_id: int, limit: int) -> list[int]:
        rows = await self._session.execute(
            select(NoteRow.client_id, func.max(NoteRow.created_at).label("last"))
            .where(NoteRow.author_id == author_id)
            .group_by(NoteRow.client_id)
            .order_by(func.max(NoteRow.created_at).desc())
            .limit(limit)
        )
        return [client_id for client_id, _ in rows]

    def seal(self, text: str) -> str:
        # The engine's notes key, as the body column uses it (no query is made).
        return cipher_of(self._session.get_bind().dialect).encrypt(text)

    def unseal(self, token: str) -> str:
        try:
            return cipher_of(self._session.get_bind().dialect).decrypt(token)
        except NotesKeyError as exc:
            raise SealBrokenError() from exc


class SqlAudit:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def record(self, entry: AuditEntry) -> None:
        self._session.add(
            AuditRow(
                at=entry.at,
                staff_id=entry.staff_id,
                site_id=entry.site_id,
                action=entry.action,
                client_id=entry.client_id,
                note_id=entry.note_id,
            )
        )
        await self._session.flush()

    async def for_site(self, site_id: int, since: datetime | None) -> list[AuditEntry]:
        query = select(AuditRow).where(AuditRow.site_id == site_id)
        if since is not None:
            query = query.where(AuditRow.at >= since)
        rows = await self._session.scalars(query.order_by(AuditRow.at, AuditRow.id))
        return [from_row(AuditEntry, r) for r in rows]

    async def search(
        self, query: AuditQuery, limit: int, offset: int
    ) -> tuple[list[AuditEntry], int]:
        where = [AuditRow.site_id == query.site_id]
        if query.staff_id is not None:
            where.append(AuditRow.staff_id == query.staff_id)
        if query.client_id is not None:
            where.append(AuditRow.client_id == query.client_id)
        if query.action is not None:
            where.append(AuditRow.action == query.action)
        if query.start is not None:
            where.append(AuditRow.at >= query.start)
        if query.end is not None:
            where.append(AuditRow.at < query.end)
        total = await self._session.scalar(select(func.count()).select_from(AuditRow).where(*where))
        rows = await self._session.scalars(
            select(AuditRow)
            .where(*where)
            .order_by(AuditRow.at.desc(), AuditRow.id.desc())
            .limit(limit)
            .offset(offset)
        )
        return [from_row(AuditEntry, r) for r in rows], total or 0

    async def actions(self, site_id: int) -> list[str]:
        found = await self._session.scalars(
            select(AuditRow.action).where(AuditRow.site_id == site_id).distinct()
        )
        return sorted(found)


class SqlDeputies:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def add(
        self, staff_id: int, deputy_id: int, starts_on: date, ends_on: date, at: datetime
    ) -> int:
        row = DeputyRow(
            staff_id=staff_id,
            deputy_id=deputy_id,
            starts_on=starts_on,
            ends_on=ends_on,
            created_at=at,
        )
        self._session.add(row)
        await self._session.flush()
        return row.id

    async def covered_by(self, deputy_id: int, day: date) -> list[int]:
        return await self._other_side(DeputyRow.staff_id, DeputyRow.deputy_id == deputy_id, day)

    async def deputies_of(self, staff_id: int, day: date) -> list[int]:
        return await self._other_side(DeputyRow.deputy_id, DeputyRow.staff_id == staff_id, day)

    async def _other_side(
        self, wanted: InstrumentedAttribute[int], side: ColumnElement[bool], day: date
    ) -> list[int]:
        """The `wanted` ids of the deputy arrangements in force on `day` that match `side`
        (one id per person, sorted)."""
        rows = await self._session.scalars(
            select(wanted).where(side, DeputyRow.starts_on <= day, DeputyRow.ends_on >= day)
        )
        return sorted(set(rows))

    async def of_staff(self, staff_id: int, from_day: date) -> list[tuple[int, int, date, date]]:
        rows = await self._session.scalars(
            select(DeputyRow)
            .where(DeputyRow.staff_id == staff_id, DeputyRow.ends_on >= from_day)
            .order_by(DeputyRow.starts_on)
        )
        return [(r.id, r.deputy_id, r.starts_on, r.ends_on) for r in rows]

    async def remove(self, deputy_row_id: int, staff_id: int) -> bool:
        return bool(
            await delete_rows(
                self._session,
                DeputyRow,
                DeputyRow.id == deputy_row_id,
                DeputyRow.staff_id == staff_id,
            )
        )


class SqlMessageDeletions:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def schedule(self, chat_id: int, message_id: int, at: datetime) -> None:
        self._session.add(MessageDeletionRow(chat_id=chat_id, message_id=message_id, delete_at=at))
        await self._session.flush()

    async def due(self, now: datetime, limit: int) -> list[tuple[int, int, int]]:
        """(row id, chat id, message id) whose time has come."""
        rows = await self._session.scalars(
            select(MessageDeletionRow)
            .where(MessageDeletionRow.delete_at <= now)
            .order_by(MessageDeletionRow.delete_at)
            .limit(limit)
        )
        return [(r.id, r.chat_id, r.message_id) for r in rows]

    async def finish(self, row_ids: list[int]) -> None:
        if row_ids:
            await self._session.execute(
                delete(MessageDeletionRow).where(MessageDeletionRow.id.in_(row_ids))
            )

    async def postpone(self, row_ids: list[int], until: datetime) -> None:
        if row_ids:
            await self._session.execute(
                update(MessageDeletionRow)
                .where(MessageDeletionRow.id.in_(row_ids))
                .values(delete_at=until)
            )
