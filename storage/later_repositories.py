"""The outbox of answers sent later (bot.ports.LaterRepository). Claimed as reminders are
(storage/reminder_repositories.py): one UPDATE ... RETURNING, PostgreSQL skipping rows
another dispatcher holds."""

from __future__ import annotations

import json
from datetime import datetime

from sqlalchemy import or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from bot.later import LaterAnswer, LaterJob, LaterStatus
from bot.ready_replies import ReadyReply, site_key
from storage.db import rowcount
from storage.later_models import LaterAnswerRow, SiteReplyRow
from storage.models import ClientRow, StaffRow
from storage.repositories import _client, _staff
from storage.rows import delete_rows, update_rows

_PENDING = LaterStatus.PENDING.value
_SENDING = LaterStatus.SENDING.value
#: What an answer in a final state (sent, failed, cancelled) keeps of its words: nothing.
_FORGOTTEN: dict[str, object] = {"text": None, "reply_values": None}


def _answer(row: LaterAnswerRow) -> LaterAnswer:
    return LaterAnswer(
        id=row.id,
        staff_id=row.staff_id,
        client_id=row.client_id,
        due_at=row.due_at,
        text=row.text,
        reply_key=row.reply_key,
        values=json.loads(row.reply_values) if row.reply_values else {},
        status=LaterStatus(row.status),
    )


class SqlLater:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def add(self, answer: LaterAnswer, at: datetime) -> LaterAnswer:
        row = LaterAnswerRow(
            staff_id=answer.staff_id,
            client_id=answer.client_id,
            text=answer.text,
            reply_key=answer.reply_key,
            reply_values=json.dumps(answer.values) if answer.values else None,
            status=_PENDING,
            due_at=answer.due_at,
            attempts=0,
            created_at=at,
        )
        self._session.add(row)
        await self._session.flush()
        return _answer(row)

    async def pending_of_staff(self, staff_id: int) -> list[LaterAnswer]:
        rows = await self._session.scalars(
            select(LaterAnswerRow)
            .where(LaterAnswerRow.staff_id == staff_id, LaterAnswerRow.status == _PENDING)
            .order_by(LaterAnswerRow.due_at, LaterAnswerRow.id)
        )
        return [_answer(row) for row in rows]

    async def cancel(self, answer_id: int, staff_id: int, at: datetime) -> bool:
        return bool(
            await update_rows(
                self._session,
                LaterAnswerRow,
                LaterAnswerRow.id == answer_id,
                LaterAnswerRow.staff_id == staff_id,
                LaterAnswerRow.status == _PENDING,
                status=LaterStatus.CANCELLED.value,
                ended_at=at,
                **_FORGOTTEN,
            )
        )

    async def cancel_of_staff(self, staff_id: int, at: datetime) -> int:
        return await update_rows(
            self._session,
            LaterAnswerRow,
            LaterAnswerRow.staff_id == staff_id,
            LaterAnswerRow.status == _PENDING,
            status=LaterStatus.CANCELLED.value,
            ended_at=at,
            **_FORGOTTEN,
        )

    async def claim_due(
        self, now: datetime, lease_until: datetime, token: str, limit: int
    ) -> list[int]:
        due = (
            select(LaterAnswerRow.id)
            .where(
                or_(
                    (LaterAnswerRow.status == _PENDING) & (LaterAnswerRow.due_at <= now),
                    (LaterAnswerRow.status == _SENDING) & (LaterAnswerRow.lease_until < now),
                )
            )
            .order_by(LaterAnswerRow.due_at, LaterAnswerRow.id)
            .limit(limit)
            .with_for_update(skip_locked=True)
        )
        result = await self._session.execute(
            update(LaterAnswerRow)
            .where(LaterAnswerRow.id.in_(due.scalar_subquery()))
            .values(status=_SENDING, lease_until=lease_until, claim_token=token)
            .returning(LaterAnswerRow.id)
            .execution_options(synchronize_session=False)
        )
        return sorted(result.scalars().all())

    async def jobs(self, answer_ids: list[int], token: str) -> list[LaterJob]:
        if not answer_ids:
            return []
        rows = await self._session.execute(
            select(LaterAnswerRow, ClientRow, StaffRow)
            .join(ClientRow, ClientRow.id == LaterAnswerRow.client_id)
            .join(StaffRow, StaffRow.id == LaterAnswerRow.staff_id)
            .where(LaterAnswerRow.id.in_(answer_ids), LaterAnswerRow.claim_token == token)
            .order_by(LaterAnswerRow.due_at, LaterAnswerRow.id)
        )
        return [
            LaterJob(
                answer=_answer(row),
                claim_token=token,
                attempts=row.attempts,
                client=_client(client),
                staff=_staff(staff),
            )
            for row, client, staff in rows
        ]

    async def finish(
        self,
        answer_id: int,
        token: str,
        status: LaterStatus,
        at: datetime,
        *,
        due_at: datetime | None = None,
    ) -> bool:
        values: dict[str, object] = {
            "status": status.value,
            "lease_until": None,
            "claim_token": None,
        }
        if status is LaterStatus.PENDING:
            values["attempts"] = LaterAnswerRow.attempts + 1
        else:
            values["ended_at"] = at
            values.update(_FORGOTTEN)
        if due_at is not None:
            values["due_at"] = due_at
        result = await self._session.execute(
            update(LaterAnswerRow)
            .where(
                LaterAnswerRow.id == answer_id,
                LaterAnswerRow.claim_token == token,
                LaterAnswerRow.status == _SENDING,
            )
            .values(**values)
            .execution_options(synchronize_session=False)
        )
        return bool(rowcount(result))

    async def renew(self, token: str, lease_until: datetime) -> int:
        result = await self._session.execute(
            update(LaterAnswerRow)
            .where(LaterAnswerRow.claim_token == token, LaterAnswerRow.status == _SENDING)
            .values(lease_until=lease_until)
            .execution_options(synchronize_session=False)
        )
        return rowcount(result)

    async def release(self, token: str, answer_ids: list[int]) -> int:
        if not answer_ids:
            return 0
        result = await self._session.execute(
            update(LaterAnswerRow)
            .where(
                LaterAnswerRow.id.in_(answer_ids),
                LaterAnswerRow.claim_token == token,
                LaterAnswerRow.status == _SENDING,
            )
            .values(status=_PENDING, lease_until=None, claim_token=None)
            .execution_options(synchronize_session=False)
        )
        return rowcount(result)

    async def release_owner(self, owner: str) -> int:
        result = await self._session.execute(
            update(LaterAnswerRow)
            .where(
                LaterAnswerRow.claim_token.startswith(f"{owner}-"),
                LaterAnswerRow.status == _SENDING,
            )
            .values(status=_PENDING, lease_until=None, claim_token=None)
            .execution_options(synchronize_session=False)
        )
        return rowcount(result)

    async def delete_for_client(self, client_id: int) -> int:
        return await delete_rows(
            self._session, LaterAnswerRow, LaterAnswerRow.client_id == client_id
        )


def _site_reply(row: SiteReplyRow) -> ReadyReply:
    texts = {str(k): str(v) for k, v in json.loads(row.texts).items() if v}
    return ReadyReply(site_key(row.id), texts.get("de", ""), texts=texts, site_id=row.site_id)


class SqlReadyReplies:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def add(self, site_id: int, texts: dict[str, str], staff_id: int, at: datetime) -> int:
        row = SiteReplyRow(
            site_id=site_id,
            texts=json.dumps(texts, ensure_ascii=False, sort_keys=True),
            created_by=staff_id,
            created_at=at,
        )
        self._session.add(row)
        await self._session.flush()
        return row.id

    async def of_site(self, site_id: int) -> list[ReadyReply]:
        rows = await self._session.scalars(
            select(SiteReplyRow).where(SiteReplyRow.site_id == site_id).order_by(SiteReplyRow.id)
        )
        return [_site_reply(row) for row in rows]

    async def get(self, site_id: int, reply_id: int) -> ReadyReply | None:
        row = await self._session.get(SiteReplyRow, reply_id)
        return _site_reply(row) if row is not None and row.site_id == site_id else None

    async def remove(self, site_id: int, reply_id: int) -> bool:
        return bool(
            await delete_rows(
                self._session,
                SiteReplyRow,
                SiteReplyRow.id == reply_id,
                SiteReplyRow.site_id == site_id,
            )
        )
