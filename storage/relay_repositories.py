"""Relay records: write, find the client behind a message a case manager replies to, purge."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from storage.relay_models import RelayRow
from storage.rows import update_rows


class SqlRelay:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def add(
        self,
        *,
        client_id: int,
        staff_id: int | None,
        direction: str,
        at: datetime,
        staff_chat_id: int | None = None,
        staff_message_id: int | None = None,
        client_message_id: int | None = None,
        text: str | None = None,
    ) -> None:
        self._session.add(
            RelayRow(
                client_id=client_id,
                staff_id=staff_id,
                direction=direction,
                staff_chat_id=staff_chat_id,
                staff_message_id=staff_message_id,
                client_message_id=client_message_id,
                text=text,
                created_at=at,
            )
        )
        await self._session.flush()

    async def client_behind(self, staff_chat_id: int, staff_message_id: int) -> int | None:
        client_id: int | None = await self._session.scalar(
            select(RelayRow.client_id)
            .where(
                RelayRow.staff_chat_id == staff_chat_id,
                RelayRow.staff_message_id == staff_message_id,
            )
            .limit(1)
        )
        return client_id

    async def purge_texts(self, before: datetime) -> int:
        return await update_rows(
            self._session,
            RelayRow,
            RelayRow.created_at < before,
            RelayRow.text.is_not(None),
            text=None,
        )

    async def texts_of(self, client_id: int) -> list[tuple[str, datetime, str | None]]:
        rows = await self._session.execute(
            select(RelayRow.direction, RelayRow.created_at, RelayRow.text)
            .where(RelayRow.client_id == client_id)
            .order_by(RelayRow.created_at, RelayRow.id)
        )
        return [(d, at, text) for d, at, text in rows]
