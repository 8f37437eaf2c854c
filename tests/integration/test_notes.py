"""Case notes on a real database: ciphertext only, rotation, wrong keys, access, audit."""

from __future__ import annotations

import pytest
from sqlalchemy import select, text
from sqlalchemy.exc import StatementError
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.domain import Client, LifeArea, NotePhase, SiteKind, Staff, StaffRole
from bot.ports import UnitOfWorkFactory
from bot.services import notes
from bot.services import staff as staff_service
from bot.services.sites import add_site
from config.keys import new_key
from storage import create_engine, make_uow_factory, session_factory
from storage.crypto import NotesKeyError, check_key, rotate_keys
from storage.note_models import AuditRow, NoteRow
from tests.conftest import NOTES_KEY
from tests.fakes import FakeClock
from tests.helpers import id_of

#: anna and ben of Essen, other of Borken, and Ahmad, a client of anna.
World = tuple[Staff, Staff, Staff, Client]
SECRET = "Klient berichtet von Schlafproblemen, Termin beim Hausarzt vereinbart"


async def _staff(
    uow_factory: UnitOfWorkFactory,
    clock: FakeClock,
    slug: str,
    user_id: int,
    role: StaffRole = StaffRole.THM,
) -> Staff:
    async with uow_factory() as uow:
        exists = await uow.sites.by_slug(slug)
    if exists is None:
        await add_site(uow_factory, clock, slug=slug, name=slug.title(), kind=SiteKind.CITY)
    invite = await staff_service.invite_staff(uow_factory, clock, site_slug=slug, role=role)
    return await staff_service.redeem_staff_invite(
        uow_factory, clock, code=invite.code, telegram_user_id=user_id, display_name="S"
    )


async def _client(
    uow_factory: UnitOfWorkFactory, clock: FakeClock, staff: Staff, user_id: int, nickname: str
) -> Client:
    async with uow_factory() as uow:
        client = await uow.clients.add(
            Client(
                id=None,
                telegram_user_id=user_id,
                chat_id=user_id,
                locale="fa_AF",
                consented_at=clock.now(),
                site_id=staff.site_id,
                case_manager_id=staff.id,
                nickname=nickname,
            )
        )
        await uow.commit()
    return client


@pytest.fixture
async def world(uow_factory: UnitOfWorkFactory, clock: FakeClock) -> World:
    anna = await _staff(uow_factory, clock, "essen", 901)
    ben = await _staff(uow_factory, clock, "essen", 902)
    other = await _staff(uow_factory, clock, "borken", 903)
    ahmad = await _client(uow_factory, clock, anna, 1, "Ahmad K.")
    return anna, ben, other, ahmad


async def test_only_ciphertext_reaches_the_database(
    engine: AsyncEngine, uow_factory: UnitOfWorkFactory, clock: FakeClock, world: World
) -> None:
    anna, _, _, ahmad = world
    note = await notes.write_note(
        uow_factory,
        clock,
        staff=anna,
        client_id=id_of(ahmad),
        body=SECRET,
        life_areas=[LifeArea.HEALTH, LifeArea.MENTAL_HEALTH],
        phase=NotePhase.ASSESSMENT,
    )
    async with engine.connect() as connection:
        raw = await connection.scalar(text("SELECT body FROM notes WHERE id = :i"), {"i": note.id})
    assert "Schlaf" not in raw and raw.startswith("gAAAAA")  # a Fernet token
    _, shown, total = await notes.client_notes(
        uow_factory, clock, staff=anna, client_id=id_of(ahmad)
    )
    assert total == 1 and shown[0].body == SECRET
    assert shown[0].life_areas == [LifeArea.HEALTH, LifeArea.MENTAL_HEALTH]
    assert shown[0].phase is NotePhase.ASSESSMENT


async def test_rotation_and_wrong_key(
    engine: AsyncEngine,
    database_url: str,
    uow_factory: UnitOfWorkFactory,
    clock: FakeClock,
    world: World,
) -> None:
    anna, _, _, ahmad = world
    await notes.write_note(
        uow_factory,
        clock,
        staff=anna,
        client_id=id_of(ahmad),
        body=SECRET,
        life_areas=[LifeArea.WORK],
    )
    fresh = new_key()
    rotated = create_engine(database_url, notes_keys=[fresh, NOTES_KEY])
    try:
        assert await rotate_keys(rotated) == 1
    finally:
        await rotated.dispose()
    only_new = create_engine(database_url, notes_keys=[fresh])
    try:
        await check_key(only_new)
        factory = make_uow_factory(session_factory(only_new), clock)
        _, shown, _ = await notes.client_notes(factory, clock, staff=anna, client_id=id_of(ahmad))
        assert shown[0].body == SECRET
    finally:
        await only_new.dispose()
    with pytest.raises(NotesKeyError):  # the old key alone no longer opens the notes
        await check_key(engine)
    wrong = create_engine(database_url, notes_keys=[new_key()])
    try:
        with pytest.raises(NotesKeyError):
            await check_key(wrong)
    finally:
        await wrong.dispose()


async def test_an_engine_without_key_cannot_write_notes(
    database_url: str, clock: FakeClock, world: World
) -> None:
    anna, _, _, ahmad = world
    keyless = create_engine(database_url)
    try:
        factory = make_uow_factory(session_factory(keyless), clock)
        # SQLAlchemy wraps errors of a column type in a StatementError.
        with pytest.raises(StatementError) as info:
            await notes.write_note(
                factory,
                clock,
                staff=anna,
                client_id=id_of(ahmad),
                body="x",
                life_areas=[LifeArea.WORK],
            )
        assert isinstance(info.value.orig, NotesKeyError)
    finally:
        await keyless.dispose()


async def test_access_is_per_site_and_audited(
    engine: AsyncEngine, uow_factory: UnitOfWorkFactory, clock: FakeClock, world: World
) -> None:
    anna, ben, other, ahmad = world
    note = await notes.write_note(
        uow_factory,
        clock,
        staff=anna,
        client_id=id_of(ahmad),
        body=SECRET,
        life_areas=[LifeArea.WORK],
    )
    # A colleague of the same site reads it; someone of another site does not.
    _, shown, _ = await notes.client_notes(uow_factory, clock, staff=ben, client_id=id_of(ahmad))
    assert [n.id for n in shown] == [note.id]
    with pytest.raises(notes.NoteAccessError):
        await notes.client_notes(uow_factory, clock, staff=other, client_id=id_of(ahmad))
    with pytest.raises(notes.NoteAccessError):
        await notes.write_note(
            uow_factory,
            clock,
            staff=other,
            client_id=id_of(ahmad),
            body="x",
            life_areas=[LifeArea.WORK],
        )
    with pytest.raises(notes.NoteAccessError):  # a forged id of another site's note
        await notes.edit_note(uow_factory, clock, staff=other, note_id=id_of(note), body="y")
    with pytest.raises(notes.NotYourNoteError):  # a colleague may read, not change
        await notes.delete_note(uow_factory, clock, staff=ben, note_id=id_of(note))
    with pytest.raises(notes.NoteAccessError):
        await notes.client_notes(uow_factory, clock, staff=anna, client_id=999_999)
    async with engine.connect() as connection:
        rows = (
            await connection.execute(
                select(
                    AuditRow.staff_id, AuditRow.action, AuditRow.client_id, AuditRow.note_id
                ).order_by(AuditRow.id)
            )
        ).all()
    assert (anna.id, "note.create", ahmad.id, note.id) in rows
    assert (ben.id, "note.read", ahmad.id, note.id) in rows
    assert all(staff_id != other.id for staff_id, *_ in rows)  # refused reads left nothing


async def test_edit_window_versions_and_delete(
    engine: AsyncEngine, uow_factory: UnitOfWorkFactory, clock: FakeClock, world: World
) -> None:
    anna, _, _, ahmad = world
    note = await notes.write_note(
        uow_factory,
        clock,
        staff=anna,
        client_id=id_of(ahmad),
        body="erste Fassung",
        life_areas=[LifeArea.WORK],
    )
    clock.advance(hours=23)
    edited = await notes.edit_note(
        uow_factory, clock, staff=anna, note_id=id_of(note), body="zweite"
    )
    assert edited.body == "zweite" and edited.versions == 1
    async with engine.connect() as connection:
        old = await connection.scalar(text("SELECT body FROM note_versions"))
    assert old and "erste" not in old  # the kept version is encrypted too
    clock.advance(hours=2)
    with pytest.raises(notes.EditWindowClosedError):
        await notes.edit_note(uow_factory, clock, staff=anna, note_id=id_of(note), body="dritte")
    with pytest.raises(notes.EditWindowClosedError):
        await notes.delete_note(uow_factory, clock, staff=anna, note_id=id_of(note))
    fresh = await notes.write_note(
        uow_factory,
        clock,
        staff=anna,
        client_id=id_of(ahmad),
        body="falsch",
        life_areas=[LifeArea.WORK],
    )
    await notes.delete_note(uow_factory, clock, staff=anna, note_id=id_of(fresh))
    async with engine.connect() as connection:
        ids = list(await connection.scalars(select(NoteRow.id)))
    assert ids == [note.id]


async def test_too_long_and_empty_notes_are_refused(
    uow_factory: UnitOfWorkFactory, clock: FakeClock, world: World
) -> None:
    anna, _, _, ahmad = world
    with pytest.raises(notes.NoteTooLongError) as info:
        await notes.write_note(
            uow_factory,
            clock,
            staff=anna,
            client_id=id_of(ahmad),
            body="x" * 2001,
            life_areas=[LifeArea.WORK],
        )
    assert info.value.length == 2001
    with pytest.raises(notes.EmptyNoteError):
        await notes.write_note(
            uow_factory,
            clock,
            staff=anna,
            client_id=id_of(ahmad),
            body="   ",
            life_areas=[LifeArea.WORK],
        )


async def test_client_list_mine_site_and_search(
    uow_factory: UnitOfWorkFactory, clock: FakeClock, world: World
) -> None:
    anna, ben, _, ahmad = world
    samira = await _client(uow_factory, clock, ben, 2, "Samira")
    mine = await notes.list_clients(uow_factory, clock, staff=anna)
    assert [s.client.id for s in mine] == [ahmad.id]
    everyone = await notes.list_clients(uow_factory, clock, staff=anna, everyone=True)
    assert {s.client.id for s in everyone} == {ahmad.id, samira.id}
    found = await notes.list_clients(uow_factory, clock, staff=anna, everyone=True, search="sAm")
    assert [s.client.id for s in found] == [samira.id]
    await notes.write_note(
        uow_factory, clock, staff=anna, client_id=id_of(ahmad), body="x", life_areas=[LifeArea.WORK]
    )
    mine = await notes.list_clients(uow_factory, clock, staff=anna)
    assert mine[0].last_note_at == clock.now()


async def test_erasing_a_client_unlinks_the_audit(
    engine: AsyncEngine, uow_factory: UnitOfWorkFactory, clock: FakeClock, world: World
) -> None:
    anna, _, _, ahmad = world
    await notes.write_note(
        uow_factory,
        clock,
        staff=anna,
        client_id=id_of(ahmad),
        body=SECRET,
        life_areas=[LifeArea.WORK],
    )
    async with uow_factory() as uow:
        await uow.clients.delete(id_of(ahmad))
        await uow.commit()
    async with engine.connect() as connection:
        audit = (await connection.execute(select(AuditRow.action, AuditRow.client_id))).all()
        left = await connection.scalar(text("SELECT count(*) FROM notes"))
    assert ("note.create", None) in audit and left == 0
