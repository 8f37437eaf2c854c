"""Repositories: SQL in, domain objects out. They never commit."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from datetime import datetime
from types import SimpleNamespace
from typing import Any

from sqlalchemy import bindparam, delete, literal_column, select, text
from sqlalchemy.engine import Row
from sqlalchemy.ext.asyncio import AsyncSession

from bot.domain import Client, Site, SiteKind, Staff, StaffRole
from storage.crypto import EncryptedJSON
from storage.db import rowcount
from storage.models import ClientRow, ConversationRow, ProcessedUpdateRow, SiteRow, StaffRow
from storage.rows import add_unique, delete_rows, from_row, update_rows
from storage.types import UTCDateTime

# Reads of every update, built once with bound parameters, on the tables (Core): built
# anew, each statement cost its construction and a cache key every time, and ORM
# loading made objects only to copy them into domain objects.
_CLIENTS, _STAFF = ClientRow.__table__, StaffRow.__table__
_CLIENT_BY_TELEGRAM = select(_CLIENTS).where(_CLIENTS.c.telegram_user_id == bindparam("tid"))
_CLIENT_BY_ID = select(_CLIENTS).where(_CLIENTS.c.id == bindparam("id"))
_STAFF_BY_TELEGRAM = select(_STAFF).where(_STAFF.c.telegram_user_id == bindparam("tid"))
_STAFF_BY_ID = select(_STAFF).where(_STAFF.c.id == bindparam("id"))
# Who writes, in one statement: the client and the staff record of a Telegram user.
_PERSON = (
    select(
        *(c.label(f"c_{c.key}") for c in _CLIENTS.c),
        *(c.label(f"s_{c.key}") for c in _STAFF.c),
    )
    .select_from(select(literal_column("1").label("one")).subquery("one"))
    .outerjoin(_CLIENTS, _CLIENTS.c.telegram_user_id == bindparam("tid"))
    .outerjoin(_STAFF, _STAFF.c.telegram_user_id == bindparam("tid"))
)
_ACTIVE_STAFF_OF_SITE = (
    select(_STAFF)
    .where(_STAFF.c.site_id == bindparam("site"), _STAFF.c.active.is_(True))
    .order_by(_STAFF.c.id)
)

# The two upserts of every update, as SQL text: SQLAlchemy cannot cache the dialects'
# INSERT … ON CONFLICT constructs ("[no key]" in its log) and compiled them again on
# every update. This SQL is the same for SQLite and PostgreSQL.
_CLAIM_UPDATE = text(
    "INSERT INTO processed_updates (bot_id, update_id, received_at) "
    "VALUES (:bot_id, :update_id, :at) ON CONFLICT (bot_id, update_id) DO NOTHING"
).bindparams(bindparam("at", type_=UTCDateTime()))
_PUT_CONVERSATION = text(
    'INSERT INTO conversations ("key", telegram_user_id, state, data, updated_at) '
    'VALUES (:key, :user, :state, :data, :at) ON CONFLICT ("key") DO UPDATE SET '
    "state = excluded.state, data = excluded.data, updated_at = excluded.updated_at"
).bindparams(bindparam("data", type_=EncryptedJSON()), bindparam("at", type_=UTCDateTime()))


def _client(row: ClientRow | Row[Any] | SimpleNamespace) -> Client:
    return from_row(Client, row)


def _part(row: Any, prefix: str) -> SimpleNamespace:
    """One table's columns of a joined row, by their own names."""
    return SimpleNamespace(**{k[len(prefix) :]: v for k, v in row.items() if k.startswith(prefix)})


def _site(row: SiteRow) -> Site:
    return from_row(Site, row, kind=SiteKind(row.kind))


def _staff(row: StaffRow | Row[Any] | SimpleNamespace) -> Staff:
    return from_row(Staff, row, role=StaffRole(row.role))


class SqlClients:
    def __init__(self, session: AsyncSession, clock_now: Any) -> None:
        self._session = session
        self._now = clock_now

    async def by_telegram_id(self, telegram_user_id: int) -> Client | None:
        result = await self._session.execute(_CLIENT_BY_TELEGRAM, {"tid": telegram_user_id})
        row = result.first()
        return _client(row) if row else None

    async def with_staff_record(self, telegram_user_id: int) -> tuple[Client | None, Staff | None]:
        result = await self._session.execute(_PERSON, {"tid": telegram_user_id})
        row = result.one()._mapping
        client = staff = None
        if row["c_id"] is not None:
            client = _client(_part(row, "c_"))
        if row["s_id"] is not None:
            staff = _staff(_part(row, "s_"))
        return client, staff

    async def add(self, client: Client) -> Client:
        row = ClientRow(
            telegram_user_id=client.telegram_user_id,
            chat_id=client.chat_id,
            locale=client.locale,
            start_code=client.start_code,
            consent_version=client.consent_version,
            consented_at=client.consented_at,
            site_id=client.site_id,
            case_manager_id=client.case_manager_id,
            created_at=client.created_at or self._now(),
            nickname=client.nickname,
            phone=client.phone,
        )
        await add_unique(self._session, row, "client")
        return _client(row)

    async def update(self, client: Client) -> Client:
        row = await self._session.get(ClientRow, client.id)
        if row is None:
            raise LookupError("client")
        row.chat_id = client.chat_id
        row.locale = client.locale
        row.start_code = client.start_code
        row.consent_version = client.consent_version
        row.consented_at = client.consented_at
        row.site_id = client.site_id
        row.case_manager_id = client.case_manager_id
        row.nickname = client.nickname
        row.phone = client.phone
        row.unreachable_at = client.unreachable_at
        await self._session.flush()
        return _client(row)

    async def get(self, client_id: int) -> Client | None:
        row = (await self._session.execute(_CLIENT_BY_ID, {"id": client_id})).first()
        return _client(row) if row else None

    async def get_many(self, client_ids: Sequence[int]) -> dict[int, Client]:
        if not client_ids:
            return {}
        rows = await self._session.execute(
            select(_CLIENTS).where(_CLIENTS.c.id.in_(sorted(set(client_ids))))
        )
        return {row.id: _client(row) for row in rows}

    async def of_site(self, site_id: int) -> list[Client]:
        rows = await self._session.scalars(
            select(ClientRow)
            .where(ClientRow.site_id == site_id, ClientRow.consented_at.is_not(None))
            .order_by(ClientRow.id)
        )
        return [_client(row) for row in rows]

    async def of_case_managers(self, site_id: int, staff_ids: Collection[int]) -> list[Client]:
        if not staff_ids:
            return []
        rows = await self._session.scalars(
            select(ClientRow)
            .where(
                ClientRow.site_id == site_id,
                ClientRow.case_manager_id.in_(sorted(set(staff_ids))),
                ClientRow.consented_at.is_not(None),
            )
            .order_by(ClientRow.id)
        )
        return [_client(row) for row in rows]

    async def mark_unreachable(self, client_id: int, at: datetime) -> bool:
        return bool(
            await update_rows(
                self._session,
                ClientRow,
                ClientRow.id == client_id,
                ClientRow.unreachable_at.is_(None),
                unreachable_at=at,
            )
        )

    async def reassign(self, from_staff_id: int, to_staff_id: int | None) -> int:
        return await update_rows(
            self._session,
            ClientRow,
            ClientRow.case_manager_id == from_staff_id,
            case_manager_id=to_staff_id,
        )

    async def delete(self, client_id: int) -> None:
        await self._session.execute(delete(ClientRow).where(ClientRow.id == client_id))


class SqlSites:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def by_slug(self, slug: str) -> Site | None:
        row = await self._session.scalar(select(SiteRow).where(SiteRow.slug == slug))
        return _site(row) if row else None

    async def get(self, site_id: int) -> Site | None:
        row = await self._session.get(SiteRow, site_id)
        return _site(row) if row else None

    async def add(self, site: Site) -> Site:
        row = SiteRow(
            slug=site.slug, name=site.name, kind=site.kind.value, created_at=site.created_at
        )
        await add_unique(self._session, row, "site")
        return _site(row)

    async def list(self) -> list[Site]:
        rows = await self._session.scalars(select(SiteRow).order_by(SiteRow.slug))
        return [_site(row) for row in rows]


class SqlStaff:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def by_telegram_id(self, telegram_user_id: int) -> Staff | None:
        result = await self._session.execute(_STAFF_BY_TELEGRAM, {"tid": telegram_user_id})
        row = result.first()
        return _staff(row) if row else None

    async def add(self, staff: Staff) -> Staff:
        row = StaffRow(
            site_id=staff.site_id,
            telegram_user_id=staff.telegram_user_id,
            role=staff.role.value,
            locale=staff.locale,
            languages=staff.languages,
            active=staff.active,
            display_name=staff.display_name,
        )
        await add_unique(self._session, row, "staff")
        return _staff(row)

    async def get(self, staff_id: int) -> Staff | None:
        row = (await self._session.execute(_STAFF_BY_ID, {"id": staff_id})).first()
        return _staff(row) if row else None

    async def update(self, staff: Staff) -> Staff:
        row = await self._session.get(StaffRow, staff.id)
        if row is None:
            raise LookupError("staff")
        row.site_id = staff.site_id  # a re-invited account moves to the invite's site
        row.role = staff.role.value
        row.locale = staff.locale
        row.languages = staff.languages
        row.active = staff.active
        row.display_name = staff.display_name
        await self._session.flush()
        return _staff(row)

    async def active_of_site(self, site_id: int) -> list[Staff]:
        rows = await self._session.execute(_ACTIVE_STAFF_OF_SITE, {"site": site_id})
        return [_staff(row) for row in rows]

    async def all_active(self) -> list[Staff]:
        rows = await self._session.scalars(
            select(StaffRow).where(StaffRow.active.is_(True)).order_by(StaffRow.id)
        )
        return [_staff(row) for row in rows]

    async def of_site(self, site_id: int) -> list[Staff]:
        rows = await self._session.scalars(
            select(StaffRow).where(StaffRow.site_id == site_id).order_by(StaffRow.id)
        )
        return [_staff(row) for row in rows]


class SqlProcessedUpdates:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def claim(self, bot_id: int, update_id: int, at: datetime) -> bool:
        # One INSERT … ON CONFLICT DO NOTHING (both dialects): no savepoint, and a
        # collision leaves the outer transaction usable.
        result = await self._session.execute(
            _CLAIM_UPDATE, {"bot_id": bot_id, "update_id": update_id, "at": at}
        )
        return bool(rowcount(result))

    async def purge_older_than(self, before: datetime) -> int:
        return await delete_rows(
            self._session, ProcessedUpdateRow, ProcessedUpdateRow.received_at < before
        )


class SqlConversations:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def get(self, key: str) -> tuple[str | None, dict[str, Any]]:
        row = await self._session.get(ConversationRow, key)
        if row is None:
            return None, {}
        return row.state, dict(row.data or {})

    async def put(self, key: str, state: str | None, data: dict[str, Any], at: datetime) -> None:
        """Write a key's state and data in one statement (an upsert); an empty
        conversation (no state, no data) leaves no row."""
        if state is None and not data:
            await self._session.execute(delete(ConversationRow).where(ConversationRow.key == key))
            return
        values = {"key": key, "user": _user_of(key), "state": state, "data": dict(data), "at": at}
        await self._session.execute(_PUT_CONVERSATION, values)

    async def delete_for_user(self, telegram_user_id: int) -> None:
        await self._session.execute(
            delete(ConversationRow).where(ConversationRow.telegram_user_id == telegram_user_id)
        )


def _user_of(key: str) -> int:
    """Keys look like `bot:chat:user:...` (see handlers.fsm_storage)."""
    parts = key.split(":")
    try:
        return int(parts[2])
    except (IndexError, ValueError):
        return 0
