"""Console login links and sessions, by the digests of their secrets."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.domain import ConsoleSession
from storage.console_models import ConsoleLinkRow, ConsoleSessionRow, ConsoleUploadRow
from storage.rows import add_unique, delete_rows, from_row, update_rows


class SqlConsole:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def add_link(
        self, digest: str, staff_id: int, expires_at: datetime, at: datetime
    ) -> None:
        row = ConsoleLinkRow(digest=digest, staff_id=staff_id, created_at=at, expires_at=expires_at)
        await add_unique(self._session, row, "console link")

    async def use_link(self, digest: str, at: datetime) -> int | None:
        staff_id = await self._session.scalar(
            select(ConsoleLinkRow.staff_id).where(ConsoleLinkRow.digest == digest)
        )
        if staff_id is None:
            return None
        # Conditional: of two uses at once, one changes the row and the other nothing.
        used = await update_rows(
            self._session,
            ConsoleLinkRow,
            ConsoleLinkRow.digest == digest,
            ConsoleLinkRow.used_at.is_(None),
            ConsoleLinkRow.expires_at > at,
            used_at=at,
        )
        return staff_id if used == 1 else None

    async def add_session(self, digest: str, staff_id: int, at: datetime) -> None:
        row = ConsoleSessionRow(digest=digest, staff_id=staff_id, created_at=at, last_seen_at=at)
        await add_unique(self._session, row, "console session")

    async def session(self, digest: str) -> ConsoleSession | None:
        row = await self._session.scalar(
            select(ConsoleSessionRow).where(ConsoleSessionRow.digest == digest)
        )
        return None if row is None else from_row(ConsoleSession, row)

    async def touch_session(self, digest: str, at: datetime) -> None:
        await update_rows(
            self._session, ConsoleSessionRow, ConsoleSessionRow.digest == digest, last_seen_at=at
        )

    async def end_session(self, digest: str) -> bool:
        return (
            await delete_rows(self._session, ConsoleSessionRow, ConsoleSessionRow.digest == digest)
            > 0
        )

    async def end_sessions_of(self, staff_id: int) -> int:
        return await delete_rows(
            self._session, ConsoleSessionRow, ConsoleSessionRow.staff_id == staff_id
        )

    async def open_sessions(self, seen_since: datetime) -> int:
        count = await self._session.scalar(
            select(func.count())
            .select_from(ConsoleSessionRow)
            .where(ConsoleSessionRow.last_seen_at >= seen_since)
        )
        return int(count or 0)

    async def purge(self, *, links_before: datetime, sessions_before: datetime) -> int:
        links = await delete_rows(
            self._session, ConsoleLinkRow, ConsoleLinkRow.expires_at < links_before
        )
        sessions = await delete_rows(
            self._session, ConsoleSessionRow, ConsoleSessionRow.last_seen_at < sessions_before
        )
        return links + sessions

    async def add_upload(
        self, digest: str, session_digest: str, name: str, data: bytes, at: datetime
    ) -> None:
        row = ConsoleUploadRow(
            digest=digest, session_digest=session_digest, name=name, data=data, created_at=at
        )
        await add_unique(self._session, row, "console upload")

    async def upload(self, digest: str, session_digest: str) -> tuple[str, bytes] | None:
        row = await self._session.scalar(
            select(ConsoleUploadRow).where(
                ConsoleUploadRow.digest == digest,
                ConsoleUploadRow.session_digest == session_digest,
            )
        )
        return None if row is None else (row.name, row.data)

    async def drop_uploads(self, *, digest: str | None = None, before: datetime) -> None:
        await delete_rows(
            self._session,
            ConsoleUploadRow,
            or_(ConsoleUploadRow.digest == digest, ConsoleUploadRow.created_at < before),
        )
