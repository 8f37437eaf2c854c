"""Storage on a real database: SQLite by default, PostgreSQL with TEST_DATABASE_URL."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone
from functools import partial

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.runtime.environment import NameFilterParentNames, NameFilterType
from sqlalchemy import JSON, column, func, insert, select, table, text
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.domain import Client, SiteKind
from bot.ports import DuplicateError, UnitOfWorkFactory
from bot.services.onboarding import choose_language, give_consent
from bot.services.privacy import erase_client
from bot.services.sites import InvalidSlugError, SiteExistsError, add_site, list_sites
from bot.services.updates import begin_update, forget_old_updates
from storage.crypto import seal_plain_conversations
from storage.migrate import current_revision, upgrade_database
from storage.models import Base, ClientRow, ConversationRow
from storage.types import UTCDateTime
from storage.uow import SqlUnitOfWork
from tests.fakes import FakeClock
from tests.helpers import id_of
from tests.integration.conftest import Db


def _not_search_index(
    name: str | None, type_: NameFilterType, parent_names: NameFilterParentNames
) -> bool:
    # The full-text search structures are made by hand in migration 0007.
    if type_ == "column" and name == "search_vector":
        return False
    return not (name or "").startswith(("offers_terms", "offer_search"))


async def test_migrations_match_the_models_and_are_idempotent(engine: AsyncEngine) -> None:
    await upgrade_database(engine)
    assert await current_revision(engine) == "0020"
    async with engine.connect() as connection:
        diff = await connection.run_sync(
            lambda sync: compare_metadata(
                MigrationContext.configure(
                    sync, opts={"compare_type": True, "include_name": _not_search_index}
                ),
                Base.metadata,
            )
        )
    assert diff == []


async def test_utc_datetime_round_trip(uow_factory: UnitOfWorkFactory, engine: AsyncEngine) -> None:
    berlin_evening = datetime(2026, 3, 29, 1, 30, tzinfo=timezone(timedelta(hours=1)))
    async with uow_factory() as uow:
        client = await uow.clients.add(
            Client(id=None, telegram_user_id=1, chat_id=1, locale="de", consented_at=berlin_evening)
        )
        await uow.commit()
    async with uow_factory() as uow:
        loaded = await uow.clients.by_telegram_id(1)
    assert loaded is not None and loaded.consented_at is not None
    assert loaded.consented_at.tzinfo is not None
    assert loaded.consented_at.utcoffset() == timedelta(0)
    assert loaded.consented_at == berlin_evening
    assert loaded.consented_at.hour == 0 and loaded.consented_at.minute == 30
    assert client.id == loaded.id


async def test_naive_datetimes_are_refused(uow_factory: UnitOfWorkFactory) -> None:
    with pytest.raises(Exception, match="aware"):
        async with uow_factory() as uow:
            await uow.clients.add(
                Client(
                    id=None,
                    telegram_user_id=2,
                    chat_id=2,
                    locale="de",
                    consented_at=datetime(2026, 1, 1),  # noqa: DTZ001 - the point of the test
                )
            )


async def test_uncommitted_work_is_rolled_back(
    uow_factory: UnitOfWorkFactory, engine: AsyncEngine
) -> None:
    async with uow_factory() as uow:
        await uow.clients.add(Client(id=None, telegram_user_id=3, chat_id=3, locale="de"))
    async with engine.connect() as connection:
        assert (await connection.execute(select(ClientRow))).all() == []


async def test_duplicate_telegram_id_is_a_domain_error(uow_factory: UnitOfWorkFactory) -> None:
    async with uow_factory() as uow:
        await uow.clients.add(Client(id=None, telegram_user_id=4, chat_id=4, locale="de"))
        with pytest.raises(DuplicateError):
            await uow.clients.add(Client(id=None, telegram_user_id=4, chat_id=4, locale="en"))


async def test_consent_and_withdrawal(
    uow_factory: UnitOfWorkFactory, clock: FakeClock, engine: AsyncEngine
) -> None:
    await choose_language(uow_factory, telegram_user_id=5, chat_id=5, locale="fa-AF")
    client = await give_consent(uow_factory, clock, telegram_user_id=5)
    assert client is not None and client.locale == "fa_AF" and client.consented_at == clock.now()
    async with uow_factory() as uow:
        await uow.conversations.put("42:5:5:::default", "PrivacySG:confirm_delete", {}, clock.now())
        await uow.commit()
    assert await erase_client(uow_factory, clock, telegram_user_id=5) is not None
    async with uow_factory() as uow:
        assert await uow.clients.by_telegram_id(5) is None
        assert await uow.conversations.get("42:5:5:::default") == (None, {})
    assert await erase_client(uow_factory, clock, telegram_user_id=5) is None


async def test_an_update_is_claimed_once(uow_factory: UnitOfWorkFactory, clock: FakeClock) -> None:
    begin = partial(begin_update, uow_factory, clock, telegram_user_id=None)
    assert (await begin(bot_id=1, update_id=10)).fresh is True
    assert (await begin(bot_id=1, update_id=10)).fresh is False
    assert (await begin(bot_id=2, update_id=10)).fresh is True
    clock.advance(days=3)
    assert await forget_old_updates(uow_factory, clock) == 2


async def test_conversation_state_and_data(
    uow_factory: UnitOfWorkFactory, clock: FakeClock
) -> None:
    key = "42:7:7:::default"
    async with uow_factory() as uow:
        await uow.conversations.put(key, "OnboardingSG:consent", {"start_code": "x"}, clock.now())
        await uow.commit()
    async with uow_factory() as uow:  # a second write to the same key replaces both
        await uow.conversations.put(
            key, "OnboardingSG:consent", {"start_code": "x", "n": 2}, clock.now()
        )
        await uow.commit()
    async with uow_factory() as uow:
        assert await uow.conversations.get(key) == (
            "OnboardingSG:consent",
            {"start_code": "x", "n": 2},
        )
        await uow.conversations.put(key, None, {}, clock.now())
        await uow.commit()
    async with uow_factory() as uow:
        assert await uow.conversations.get(key) == (None, {})
        assert isinstance(uow, SqlUnitOfWork)  # its session, to count the rows
        rows = await uow.conversations._session.scalar(
            select(func.count()).select_from(ConversationRow)
        )
        assert rows == 0  # an empty conversation leaves no row


async def test_conversation_data_is_encrypted_at_rest(
    uow_factory: UnitOfWorkFactory, clock: FakeClock, engine: AsyncEngine
) -> None:
    """What a flow keeps between steps (here a typed message waiting for the town) is a
    token in the database, and a row from before the encryption still reads."""
    key = "42:8:8:::default"
    secret = "Ich habe einen Brief vom Jobcenter bekommen"
    async with uow_factory() as uow:
        await uow.conversations.put(key, "RelaySG:town", {"kept": [secret]}, clock.now())
        await uow.commit()
    async with uow_factory() as uow:
        assert isinstance(uow, SqlUnitOfWork)
        session = uow.conversations._session
        raw = await session.scalar(text("SELECT CAST(data AS TEXT) FROM conversations"))
        assert raw is not None and "Jobcenter" not in raw and raw.startswith("gAAAA")
        assert await uow.conversations.get(key) == ("RelaySG:town", {"kept": [secret]})
        # A row written before migration 0013: plain JSON, read as it is.
        await session.execute(
            text("UPDATE conversations SET data = :plain"), {"plain": '{"start_code": "x"}'}
        )
        assert (await uow.conversations.get(key))[1] == {"start_code": "x"}
        await uow.commit()
    # At start-up such rows are sealed, so no idle user's state stays readable.
    assert await seal_plain_conversations(engine) == 1
    async with engine.connect() as connection:
        raw = await connection.scalar(text("SELECT CAST(data AS TEXT) FROM conversations"))
    assert raw is not None and raw.startswith("gAAAA")
    async with uow_factory() as uow:
        assert (await uow.conversations.get(key))[1] == {"start_code": "x"}


async def test_sites(uow_factory: UnitOfWorkFactory, clock: FakeClock) -> None:
    site = await add_site(
        uow_factory, clock, slug="kreis-borken", name="Kreis Borken", kind=SiteKind.DISTRICT
    )
    assert site.id is not None and site.created_at == clock.now()
    with pytest.raises(SiteExistsError):
        await add_site(uow_factory, clock, slug="kreis-borken", name="x", kind=SiteKind.CITY)
    with pytest.raises(InvalidSlugError):
        await add_site(uow_factory, clock, slug="Kreis Borken", name="x", kind=SiteKind.CITY)
    assert [s.slug for s in await list_sites(uow_factory)] == ["kreis-borken"]
    assert site.created_at is not None and site.created_at.utcoffset() == timedelta(0)


_OLD_CONVERSATIONS = table(
    "conversations",
    column("key"),
    column("telegram_user_id"),
    column("state"),
    column("data", JSON()),
    column("updated_at", UTCDateTime()),
)


async def test_a_half_done_move_keeps_moving_after_the_upgrade(database_url: str) -> None:
    # Before 0010 a move was BookingSG with `move_id` in the data; now it has MoveSG states.
    from storage import create_engine
    from tests.conftest import NOTES_KEY, _reset_postgres

    engine = create_engine(database_url, notes_keys=[NOTES_KEY])
    try:
        if engine.dialect.name == "postgresql":
            await _reset_postgres(engine)
        await upgrade_database(engine, "0009")
        at = datetime(2026, 12, 1, tzinfo=UTC)
        rows = [
            ("1:1:1:::default", "BookingSG:time", {"move_id": 7, "topic": "work"}),
            ("1:2:2:::default", "BookingSG:day", {"move_id": 8}),
            ("1:3:3:::default", "BookingSG:time", {"topic": "work"}),
            ("1:4:4:::default", "OnboardingSG:consent", {}),
        ]
        async with engine.begin() as connection:
            for key, state, data in rows:
                # As written then: plain JSON (encrypted only from migration 0013 on).
                await connection.execute(
                    insert(_OLD_CONVERSATIONS).values(
                        key=key,
                        telegram_user_id=int(key.split(":")[2]),
                        state=state,
                        data=data,
                        updated_at=at,
                    )
                )
        await upgrade_database(engine)
        async with engine.connect() as connection:
            states = dict(
                (await connection.execute(select(ConversationRow.key, ConversationRow.state)))
                .tuples()
                .all()
            )
        assert states == {
            "1:1:1:::default": "MoveSG:time",
            "1:2:2:::default": "MoveSG:day",
            "1:3:3:::default": "BookingSG:time",
            "1:4:4:::default": "OnboardingSG:consent",
        }
    finally:
        await engine.dispose()


async def test_a_reinvited_staff_member_moves_to_the_invites_site(db: Db) -> None:
    # SqlStaff.update did not write site_id: re-invited elsewhere, they came back at the
    # old site, with its clients.
    from bot.services import staff as staff_service
    from tests.unit.service_setup import add_staff

    anna = await add_staff(db.uow_factory, db.clock, slug="essen", telegram_user_id=901)
    await staff_service.deactivate_staff(db.uow_factory, telegram_user_id=901)
    borken = await add_staff(db.uow_factory, db.clock, slug="borken", telegram_user_id=902)
    # A THM invite of Borken, redeemed by Anna.
    await add_staff(db.uow_factory, db.clock, slug="borken", telegram_user_id=901)
    async with db.uow_factory() as uow:
        stored = await uow.staff.get(id_of(anna))
    assert stored is not None and stored.active and stored.site_id == borken.site_id
