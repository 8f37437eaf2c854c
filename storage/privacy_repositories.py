"""What privacy needs from the database: a client's export, erasure helpers, retention,
the bot's recent messages, and counts for the statistics."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import Table, delete, func, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from bot.domain import Client
from bot.referrals import (
    OUTCOME_SEPARATOR,
    FollowupStatus,
    ReferralAnswer,
    ReferralReason,
    outcome_key,
)
from storage.db import rowcount
from storage.models import AppointmentRow, Base, ClientRow, ReminderRow, StaffRow
from storage.note_models import AuditRow, BotMessageRow, NoteRow, NoteVersionRow, OfferSendRow
from storage.referral_models import ReferralRow
from storage.repositories import _client
from storage.rows import delete_rows, update_rows
from storage.waitlist_models import WaitOfferRow, WishRow

#: Left out of a client's export, with the reason shown in its place.
WITHHELD = {
    ("notes", "body"): "withheld",
    ("note_versions", "body"): "withheld",
    # The case manager's own Telegram chat and message ids are theirs, not the client's.
    ("relay_messages", "staff_chat_id"): "withheld",
    ("relay_messages", "staff_message_id"): "withheld",
}


def client_tables() -> list[tuple[Table, str, Table | None]]:
    """Every table that holds a client's data: (table, column, via). `via` is None for a
    direct reference to clients.id, else the table whose id the column references (one
    step further: reminders through appointments, note versions through notes)."""
    clients = Base.metadata.tables["clients"]
    direct: list[tuple[Table, str, Table | None]] = []
    for table in Base.metadata.sorted_tables:
        for fk in table.foreign_keys:
            if fk.column.table is clients:
                direct.append((table, fk.parent.name, None))
    found = list(direct)
    for via, _, _ in direct:
        for table in Base.metadata.sorted_tables:
            for fk in table.foreign_keys:
                if fk.column.table is via and fk.column.name == "id":
                    found.append((table, fk.parent.name, via))
    return found


def _plain(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return value.isoformat()
    return value


class SqlPrivacy:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    # ----- export ------------------------------------------------------------------------

    async def export(self, client_id: int) -> dict[str, list[dict[str, Any]]]:
        clients = Base.metadata.tables["clients"]
        out: dict[str, list[dict[str, Any]]] = {
            "clients": [
                {k: _plain(v) for k, v in row._mapping.items()}
                for row in await self._session.execute(
                    select(clients).where(clients.c.id == client_id)
                )
            ]
        }
        ids: dict[str, list[int]] = {}
        for table, column, via in client_tables():
            if via is None:
                condition = table.c[column] == client_id
            else:
                condition = table.c[column].in_(ids.get(via.name, []) or [-1])
            rows = []
            for row in await self._session.execute(select(table).where(condition)):
                item = {k: _plain(v) for k, v in row._mapping.items()}
                for (name, col), reason in WITHHELD.items():
                    if name == table.name and col in item:
                        item[col] = reason
                rows.append(item)
            out.setdefault(table.name, []).extend(rows)
            if via is None and "id" in table.c:
                ids[table.name] = [r["id"] for r in rows]
        return out

    # ----- erasure -----------------------------------------------------------------------

    async def anonymise_notes(self, client_id: int) -> int:
        """Keep date, author, life areas and phase for the statistics; drop text and link."""
        note_ids = list(
            await self._session.scalars(select(NoteRow.id).where(NoteRow.client_id == client_id))
        )
        if not note_ids:
            return 0
        await self._session.execute(
            delete(NoteVersionRow).where(NoteVersionRow.note_id.in_(note_ids))
        )
        await self._session.execute(
            update(NoteRow).where(NoteRow.id.in_(note_ids)).values(client_id=None, body="")
        )
        return len(note_ids)

    async def count_notes(self, client_id: int) -> int:
        return int(
            await self._session.scalar(
                select(func.count()).select_from(NoteRow).where(NoteRow.client_id == client_id)
            )
            or 0
        )

    # ----- the bot's messages ------------------------------------------------------------

    async def record_bot_message(self, chat_id: int, message_id: int, at: datetime) -> None:
        self._session.add(BotMessageRow(chat_id=chat_id, message_id=message_id, sent_at=at))

    async def bot_messages_since(self, chat_id: int, since: datetime) -> list[int]:
        rows = await self._session.scalars(
            select(BotMessageRow.message_id)
            .where(BotMessageRow.chat_id == chat_id, BotMessageRow.sent_at >= since)
            .order_by(BotMessageRow.message_id)
        )
        return list(rows)

    async def forget_bot_messages(self, chat_id: int | None, before: datetime | None) -> int:
        statement = delete(BotMessageRow)
        if chat_id is not None:
            statement = statement.where(BotMessageRow.chat_id == chat_id)
        if before is not None:
            statement = statement.where(BotMessageRow.sent_at < before)
        result = await self._session.execute(statement)
        return int(rowcount(result) or 0)

    # ----- retention ---------------------------------------------------------------------

    async def touch(self, client_id: int, at: datetime) -> None:
        """Note activity, at most once a day (one conditional UPDATE)."""
        await self._session.execute(
            update(ClientRow)
            .where(
                ClientRow.id == client_id,
                or_(
                    ClientRow.last_seen_at.is_(None),
                    ClientRow.last_seen_at < at - timedelta(days=1),
                ),
            )
            .values(last_seen_at=at, retention_warned_at=None)
        )

    async def inactive(self, before: datetime) -> list[tuple[Client, datetime, datetime | None]]:
        """Clients not seen since `before`: (client, last seen, when their case manager
        was warned)."""
        rows = await self._session.scalars(
            select(ClientRow).where(
                func.coalesce(ClientRow.last_seen_at, ClientRow.created_at) < before
            )
        )
        return [(_client(r), r.last_seen_at or r.created_at, r.retention_warned_at) for r in rows]

    async def mark_warned(self, client_id: int, at: datetime) -> bool:
        """True only for the first caller (a second process must not warn twice)."""
        return bool(
            await update_rows(
                self._session,
                ClientRow,
                ClientRow.id == client_id,
                ClientRow.retention_warned_at.is_(None),
                retention_warned_at=at,
            )
        )

    async def purge_audit(self, before: datetime) -> int:
        return await delete_rows(self._session, AuditRow, AuditRow.at < before)

    # ----- statistics --------------------------------------------------------------------

    async def record_offer_send(
        self, site_id: int | None, life_areas: Iterable[str], at: datetime
    ) -> None:
        self._session.add(
            OfferSendRow(site_id=site_id, life_areas=";".join(life_areas), sent_at=at)
        )
        await self._session.flush()

    async def stats(
        self, site_id: int, start: datetime, end: datetime
    ) -> dict[str, dict[str, int]]:
        """Counts only, per figure and category (names of clients never leave here)."""
        figures: dict[str, dict[str, int]] = {}

        def add(figure: str, key: str, count: int = 1) -> None:
            figures.setdefault(figure, {})
            figures[figure][key] = figures[figure].get(key, 0) + count

        for locale, count in await self._session.execute(
            select(ClientRow.locale, func.count())
            .where(
                ClientRow.site_id == site_id,
                ClientRow.consented_at.is_not(None),
                ClientRow.created_at < end,
            )
            .group_by(ClientRow.locale)
        ):
            add("clients_by_language", locale, count)
        appointments = (
            select(
                AppointmentRow.topic,
                AppointmentRow.status,
                AppointmentRow.confirmed_at,
                AppointmentRow.id,
            )
            .join(ClientRow, ClientRow.id == AppointmentRow.client_id)
            .where(
                ClientRow.site_id == site_id,
                AppointmentRow.starts_at >= start,
                AppointmentRow.starts_at < end,
            )
        )
        reminded: set[int] = set(
            await self._session.scalars(
                select(ReminderRow.appointment_id)
                .join(AppointmentRow, AppointmentRow.id == ReminderRow.appointment_id)
                .join(ClientRow, ClientRow.id == AppointmentRow.client_id)
                .where(
                    ReminderRow.status == "sent",
                    ClientRow.site_id == site_id,
                    AppointmentRow.starts_at >= start,
                    AppointmentRow.starts_at < end,
                )
            )
        )
        for topic, status, confirmed, ident in await self._session.execute(appointments):
            add("appointments_by_life_area", topic)
            add("appointment_outcomes", status)
            if ident in reminded:
                add("reminder_confirmations", "confirmed" if confirmed else "not_confirmed")
        for (areas,) in await self._session.execute(
            select(OfferSendRow.life_areas).where(
                OfferSendRow.site_id == site_id,
                OfferSendRow.sent_at >= start,
                OfferSendRow.sent_at < end,
            )
        ):
            for area in filter(None, areas.split(";")):
                add("offers_sent_by_life_area", area)
        referrals = select(
            ReferralRow.offer_title,
            ReferralRow.life_areas,
            ReferralRow.status,
            ReferralRow.answer,
            ReferralRow.reason,
        ).where(
            ReferralRow.site_id == site_id,
            ReferralRow.sent_at >= start,
            ReferralRow.sent_at < end,
        )
        for title, areas, status, answer, reason in await self._session.execute(referrals):
            outcome = outcome_key(
                FollowupStatus(status),
                ReferralAnswer(answer) if answer else None,
                ReferralReason(reason) if reason else None,
            )
            add("referrals_by_offer", title)
            add("referral_outcomes", outcome)
            add("referral_outcomes_by_offer", f"{title}{OUTCOME_SEPARATOR}{outcome}")
            for area in filter(None, areas.split(";")):
                add("referrals_by_life_area", area)
                add("referral_outcomes_by_life_area", f"{area}{OUTCOME_SEPARATOR}{outcome}")
        notes = (
            select(NoteRow.life_areas, NoteRow.phase)
            .join(StaffRow, StaffRow.id == NoteRow.author_id)
            .where(
                StaffRow.site_id == site_id, NoteRow.created_at >= start, NoteRow.created_at < end
            )
        )
        for areas, phase in await self._session.execute(notes):
            for area in filter(None, areas.split(";")):
                add("notes_by_life_area", area)
            add("notes_by_phase", phase or "none")
        await self._waitlist_stats(site_id, start, end, add)
        return figures

    async def _waitlist_stats(
        self, site_id: int, start: datetime, end: datetime, add: Callable[[str, str, int], None]
    ) -> None:
        """Wishes made, offers sent, taken and expired, and the days the taken ones saved
        against the client's appointment when they asked (if they had one)."""
        wishes = await self._session.scalar(
            select(func.count())
            .select_from(WishRow)
            .where(
                WishRow.site_id == site_id, WishRow.created_at >= start, WishRow.created_at < end
            )
        )
        offers = (
            select(WaitOfferRow.status, WaitOfferRow.sent_at, WaitOfferRow.starts_at)
            .add_columns(WishRow.original_starts_at)
            .join(WishRow, WishRow.id == WaitOfferRow.wish_id)
            .where(
                WishRow.site_id == site_id,
                WaitOfferRow.created_at >= start,
                WaitOfferRow.created_at < end,
            )
        )
        made = (await self._session.execute(offers)).all()
        if not wishes and not made:
            return  # no waiting list in this period: no figure (an empty panel says nothing)
        add("waitlist", "wishes", int(wishes or 0))
        saved = 0
        for status, sent_at, starts_at, original in made:
            add("waitlist", "offers", int(sent_at is not None))
            add("waitlist", "taken", int(status == "taken"))
            add("waitlist", "expired", int(status == "expired"))
            if status == "taken" and original is not None and original > starts_at:
                saved += (original - starts_at).days
        add("waitlist", "days_saved", saved)
