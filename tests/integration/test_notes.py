"""Case notes on a real database: ciphertext only, rotation, wrong keys, access, audit."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass

import pytest
from sqlalchemy import select, text
from sqlalchemy.exc import StatementError
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.domain import Client, LifeArea, Note, NotePhase, Staff
from bot.ports import UnitOfWorkFactory
from bot.services import notes
from config.keys import new_key
from storage import create_engine, make_uow_factory, session_factory
from storage.crypto import NotesKeyError, check_key, rotate_keys
from storage.note_models import AuditRow, NoteRow
from tests.conftest import NOTES_KEY
from tests.helpers import id_of
from tests.integration.conftest import Db
from tests.unit.service_setup import add_client, add_staff

SECRET = "Klient berichtet von Schlafproblemen, Termin beim Hausarzt vereinbart"
WORK = [LifeArea.WORK]


@dataclass(frozen=True)
class World:
    """anna and ben of Essen, other of Borken, and Ahmad, a client of anna."""

    db: Db
    anna: Staff
    ben: Staff
    other: Staff
    ahmad: Client

    async def write(
        self,
        body: str = SECRET,
        life_areas: list[LifeArea] = WORK,
        *,
        staff: Staff | None = None,
        factory: UnitOfWorkFactory | None = None,
        phase: NotePhase | None = None,
    ) -> Note:
        """A note about Ahmad, by anna unless another staff member is named."""
        return await notes.write_note(
            factory or self.db.uow_factory,
            self.db.clock,
            staff=staff or self.anna,
            client_id=id_of(self.ahmad),
            body=body,
            life_areas=life_areas,
            phase=phase,
        )

    async def read(
        self, staff: Staff, factory: UnitOfWorkFactory | None = None
    ) -> tuple[list[Note], int]:
        """The notes about Ahmad that `staff` is shown, and how many there are."""
        _, shown, total = await notes.client_notes(
            factory or self.db.uow_factory, self.db.clock, staff=staff, client_id=id_of(self.ahmad)
        )
        return shown, total


async def _client(db: Db, staff: Staff, user_id: int, nickname: str) -> Client:
    return await add_client(
        db.uow_factory,
        db.clock,
        telegram_user_id=user_id,
        site_id=staff.site_id,
        case_manager_id=staff.id,
        nickname=nickname,
    )


@pytest.fixture
async def world(db: Db) -> World:
    people = [
        await add_staff(db.uow_factory, db.clock, slug=slug, telegram_user_id=user_id, name="S")
        for slug, user_id in (("essen", 901), ("essen", 902), ("borken", 903))
    ]
    anna, ben, other = people
    return World(db, anna, ben, other, await _client(db, anna, 1, "Ahmad K."))


@asynccontextmanager
async def _engine(database_url: str, *keys: str) -> AsyncIterator[AsyncEngine]:
    """Another engine on the same database, with these notes keys (or none)."""
    engine = create_engine(database_url, notes_keys=list(keys) or None)
    try:
        yield engine
    finally:
        await engine.dispose()


async def test_only_ciphertext_reaches_the_database(world: World) -> None:
    note = await world.write(
        life_areas=[LifeArea.HEALTH, LifeArea.MENTAL_HEALTH], phase=NotePhase.ASSESSMENT
    )
    raw = await world.db.scalar(text("SELECT body FROM notes WHERE id = :i"), {"i": note.id})
    assert "Schlaf" not in raw and raw.startswith("gAAAAA")  # a Fernet token
    shown, total = await world.read(world.anna)
    assert total == 1 and shown[0].body == SECRET
    assert shown[0].life_areas == [LifeArea.HEALTH, LifeArea.MENTAL_HEALTH]
    assert shown[0].phase is NotePhase.ASSESSMENT


async def test_rotation_and_wrong_key(world: World) -> None:
    await world.write()
    fresh = new_key()
    async with _engine(world.db.database_url, fresh, NOTES_KEY) as rotated:
        assert await rotate_keys(rotated) == 1
    async with _engine(world.db.database_url, fresh) as only_new:
        await check_key(only_new)
        factory = make_uow_factory(session_factory(only_new), world.db.clock)
        shown, _ = await world.read(world.anna, factory)
        assert shown[0].body == SECRET
    with pytest.raises(NotesKeyError):  # the old key alone no longer opens the notes
        await check_key(world.db.engine)
    async with _engine(world.db.database_url, new_key()) as wrong:
        with pytest.raises(NotesKeyError):
            await check_key(wrong)


async def test_an_engine_without_key_cannot_write_notes(world: World) -> None:
    async with _engine(world.db.database_url) as keyless:
        factory = make_uow_factory(session_factory(keyless), world.db.clock)
        # SQLAlchemy wraps errors of a column type in a StatementError.
        with pytest.raises(StatementError) as info:
            await world.write("x", factory=factory)
        assert isinstance(info.value.orig, NotesKeyError)


async def test_access_is_per_site_and_audited(world: World) -> None:
    anna, ben, other, ahmad = world.anna, world.ben, world.other, world.ahmad
    db = world.db
    note = await world.write()
    # A colleague of the same site reads it; someone of another site does not.
    shown, _ = await world.read(ben)
    assert [n.id for n in shown] == [note.id]
    with pytest.raises(notes.NoteAccessError):
        await world.read(other)
    with pytest.raises(notes.NoteAccessError):
        await world.write("x", staff=other)
    with pytest.raises(notes.NoteAccessError):  # a forged id of another site's note
        await notes.edit_note(db.uow_factory, db.clock, staff=other, note_id=id_of(note), body="y")
    with pytest.raises(notes.NotYourNoteError):  # a colleague may read, not change
        await notes.delete_note(db.uow_factory, db.clock, staff=ben, note_id=id_of(note))
    with pytest.raises(notes.NoteAccessError):
        await notes.client_notes(db.uow_factory, db.clock, staff=anna, client_id=999_999)
    rows = await db.rows(
        select(AuditRow.staff_id, AuditRow.action, AuditRow.client_id, AuditRow.note_id).order_by(
            AuditRow.id
        )
    )
    assert (anna.id, "note.create", ahmad.id, note.id) in rows
    assert (ben.id, "note.read", ahmad.id, note.id) in rows
    assert all(staff_id != other.id for staff_id, *_ in rows)  # refused reads left nothing


async def test_edit_window_versions_and_delete(world: World) -> None:
    db, anna = world.db, world.anna
    note = await world.write("erste Fassung")
    db.clock.advance(hours=23)
    edited = await notes.edit_note(
        db.uow_factory, db.clock, staff=anna, note_id=id_of(note), body="zweite"
    )
    assert edited.body == "zweite" and edited.versions == 1
    old = await db.scalar(text("SELECT body FROM note_versions"))
    assert old and "erste" not in old  # the kept version is encrypted too
    db.clock.advance(hours=2)
    with pytest.raises(notes.EditWindowClosedError):
        await notes.edit_note(
            db.uow_factory, db.clock, staff=anna, note_id=id_of(note), body="dritte"
        )
    with pytest.raises(notes.EditWindowClosedError):
        await notes.delete_note(db.uow_factory, db.clock, staff=anna, note_id=id_of(note))
    fresh = await world.write("falsch")
    await notes.delete_note(db.uow_factory, db.clock, staff=anna, note_id=id_of(fresh))
    ids = [row.id for row in await db.rows(select(NoteRow.id))]
    assert ids == [note.id]


async def test_too_long_and_empty_notes_are_refused(world: World) -> None:
    with pytest.raises(notes.NoteTooLongError) as info:
        await world.write("x" * 2001)
    assert info.value.length == 2001
    with pytest.raises(notes.EmptyNoteError):
        await world.write("   ")


async def test_client_list_mine_site_and_search(world: World) -> None:
    db, anna, ahmad = world.db, world.anna, world.ahmad
    samira = await _client(db, world.ben, 2, "Samira")
    mine = await notes.list_clients(db.uow_factory, db.clock, staff=anna)
    assert [s.client.id for s in mine] == [ahmad.id]
    everyone = await notes.list_clients(db.uow_factory, db.clock, staff=anna, everyone=True)
    assert {s.client.id for s in everyone} == {ahmad.id, samira.id}
    found = await notes.list_clients(
        db.uow_factory, db.clock, staff=anna, everyone=True, search="sAm"
    )
    assert [s.client.id for s in found] == [samira.id]
    await world.write("x")
    mine = await notes.list_clients(db.uow_factory, db.clock, staff=anna)
    assert mine[0].last_note_at == db.clock.now()


async def test_erasing_a_client_unlinks_the_audit(world: World) -> None:
    await world.write()
    async with world.db.uow_factory() as uow:
        await uow.clients.delete(id_of(world.ahmad))
        await uow.commit()
    audit = await world.db.rows(select(AuditRow.action, AuditRow.client_id))
    left = await world.db.scalar(text("SELECT count(*) FROM notes"))
    assert ("note.create", None) in audit and left == 0
