"""Case notes through feed_update: writing, reading (protected, removed later), editing,
deleting, and refusals for other sites, clients and forged buttons."""

from __future__ import annotations

import pytest
from aiogram.methods import DeleteMessage, SendMessage
from sqlalchemy import select, text

from bot.domain import Client, LifeArea, Note, NotePhase
from bot.ports import UnitOfWorkFactory
from bot.services import notes as notes_service
from bot.services import staff as staff_service
from handlers import labels
from handlers.staff import note_views as nv
from storage.note_models import AuditRow, MessageDeletionRow, NoteRow, NoteVersionRow
from tests.fakes import FakeClock, FakeNotifier
from tests.helpers import id_of
from tests.telegram.harness import Person, Sent
from tests.telegram.world import World, case_manager, client_of

STAFF_ID = 810
SECRET = "Berichtet über Ärger mit dem Vermieter <wichtig> & Schimmel"


async def a_written_note(
    world: World, body: str = SECRET, area: LifeArea = LifeArea.WORK
) -> tuple[Person, Client, Note]:
    """The case manager STAFF_ID of Essen, their client Ahmad K. and a note about him."""
    manager = await case_manager(world, STAFF_ID)
    client = await client_of(world, STAFF_ID, 1, "Ahmad K.")
    staff = await staff_service.active_staff(world.uow_factory, STAFF_ID)
    assert staff is not None
    note = await notes_service.write_note(
        world.uow_factory,
        world.clock,
        staff=staff,
        client_id=id_of(client),
        body=body,
        life_areas=[area],
    )
    return manager, client, note


def _deleted(calls: list[Sent], chat_id: int) -> list[int]:
    return [
        c.raw.message_id for c in calls if isinstance(c.raw, DeleteMessage) and c.chat_id == chat_id
    ]


@pytest.mark.parametrize("locale", ["de", "ar", "fa_AF"])
async def test_a_note_in_a_few_taps_and_the_typed_message_is_deleted(
    world: World, locale: str
) -> None:
    t, uow_factory = world.t(locale), world.uow_factory
    manager = await case_manager(world, STAFF_ID, locale=locale)
    client = await client_of(world, STAFF_ID, 1, "Ahmad K.")

    sent = await manager.send("/note")
    assert "Ahmad K." in sent[-1].labels
    await manager.tap("Ahmad K.")
    sent = await manager.tap(t.p_("button", "✍️ Next: type the note"))  # no area yet
    assert world.harness.answers()[-1].text == nv.areas_needed(t)
    await manager.tap(labels.life_area(t, LifeArea.HOUSING))
    await manager.tap(labels.life_area(t, LifeArea.HEALTH))
    await manager.tap(nv.phase_label(t, NotePhase.MONITORING))
    await manager.tap(t.p_("button", "✍️ Next: type the note"))
    sent = await manager.send(SECRET)
    deleted = _deleted(sent, STAFF_ID)
    assert len(deleted) == 1  # the message the note was typed in
    assert (
        t._(
            "✅ Note saved for {client} ({areas}{phase}). Your message was deleted from the chat.",
            client="Ahmad K.",
            areas=", ".join(labels.life_area(t, a) for a in (LifeArea.HOUSING, LifeArea.HEALTH)),
            phase=" · " + nv.phase_label(t, NotePhase.MONITORING),
        )
        == sent[-1].text
    )
    assert SECRET not in (sent[-1].text or "")
    async with world.engine.connect() as connection:
        raw = (await connection.execute(text("SELECT body, life_areas, phase FROM notes"))).one()
    assert "Vermieter" not in raw[0] and raw[1] == "housing;health" and raw[2] == "monitoring"
    staff = await staff_service.active_staff(uow_factory, STAFF_ID)
    assert staff is not None
    _, stored, _ = await notes_service.client_notes(
        uow_factory, world.clock, staff=staff, client_id=id_of(client)
    )
    assert stored[0].body == SECRET


async def test_shown_notes_are_protected_escaped_and_removed_later(world: World) -> None:
    uow_factory, clock = world.uow_factory, world.clock
    manager, _, _ = await a_written_note(world, area=LifeArea.HOUSING)
    sent = await manager.send("/notes")
    sent = await manager.tap("Ahmad K.")
    shown = [c for c in sent if isinstance(c.raw, SendMessage) and c.text and "Vermieter" in c.text]
    assert len(shown) == 1 and isinstance(shown[0].raw, SendMessage)  # as filtered
    assert shown[0].raw.protect_content is True and shown[0].text is not None
    assert "&lt;wichtig&gt; &amp; Schimmel" in shown[0].text  # escaped, so HTML cannot break it
    async with world.engine.connect() as connection:
        due = (
            (
                await connection.execute(
                    select(MessageDeletionRow.chat_id, MessageDeletionRow.message_id)
                )
            )
            .tuples()
            .all()
        )
        audit = (
            await connection.execute(select(AuditRow.action).where(AuditRow.action == "note.read"))
        ).all()
    assert due == [(STAFF_ID, shown[0].message_id)] and len(audit) == 1

    deleter = FakeNotifier()
    assert await notes_service.remove_due_messages(uow_factory, clock, deleter) == 0
    clock.advance(minutes=6)
    assert await notes_service.remove_due_messages(uow_factory, clock, deleter) == 1
    assert deleter.deleted == [(STAFF_ID, shown[0].message_id)]
    assert await notes_service.remove_due_messages(uow_factory, clock, deleter) == 0


async def test_edit_within_24_hours_then_closed(world: World) -> None:
    t, engine = world.t("de"), world.engine
    manager, client, note = await a_written_note(world, "erste Fassung")
    await manager.press(f"nt:list:{client.id}:")
    await manager.tap(t.p_("button", "✏️ Edit #{id}", id=note.id))
    sent = await manager.send("zweite Fassung")
    assert len(_deleted(sent, STAFF_ID)) == 1
    assert sent[-1].text == nv.edited(t, note).text
    async with engine.connect() as connection:
        assert len((await connection.execute(select(NoteVersionRow.id))).all()) == 1
    world.clock.advance(hours=25)
    sent = await manager.press(f"nt:list:{client.id}:")
    assert all("✏️" not in label for s in sent for label in s.labels)
    sent = await manager.press(f"nt:edit:{note.id}:")  # a forged or old button
    assert world.harness.answers()[-1].text == nv.window_closed(t)
    sent = await manager.press(f"nt:delok:{note.id}:")
    assert world.harness.answers()[-1].text == nv.window_closed(t)
    async with engine.connect() as connection:
        assert (await connection.execute(select(NoteRow.id))).scalars().all() == [note.id]


async def test_delete_own_note_with_confirmation(world: World) -> None:
    t, engine = world.t("de"), world.engine
    manager, client, note = await a_written_note(world, "falscher Klient")
    await manager.press(f"nt:list:{client.id}:")
    await manager.tap(t.p_("button", "🗑 Delete #{id}", id=note.id))
    await manager.tap(t.p_("button", "⬅️ No, keep the note"))
    async with engine.connect() as connection:
        assert len((await connection.execute(select(NoteRow.id))).all()) == 1
    await manager.press(f"nt:list:{client.id}:")
    await manager.tap(t.p_("button", "🗑 Delete #{id}", id=note.id))
    sent = await manager.tap(t.p_("button", "🗑 Yes, delete it"))
    assert sent[-1].text == nv.deleted(t, note).text
    async with engine.connect() as connection:
        assert (await connection.execute(select(NoteRow.id))).all() == []


async def test_other_sites_clients_and_forged_ids_are_refused(world: World) -> None:
    t, harness = world.t("de"), world.harness
    stranger_staff = await case_manager(world, 811, slug="borken")
    _, client, note = await a_written_note(world)
    for data in (
        f"nt:list:{client.id}:",
        f"nt:show:{note.id}:",
        f"nt:client:{client.id}:",
        f"nt:edit:{note.id}:",
        f"nt:delok:{note.id}:",
        "nt:list:999999:",
    ):
        sent = await stranger_staff.press(data)
        assert all("Vermieter" not in (s.text or "") for s in sent)
        assert harness.answers()[-1].text in (nv.not_found(t), nv.window_closed(t))
    sent = await stranger_staff.send("/note")
    assert "Ahmad K." not in sent[-1].labels
    sent = await stranger_staff.send("Ahmad")  # searching by name stays within the site
    assert "Ahmad K." not in sent[-1].labels
    # A client (not staff) pressing a notes button reaches no notes handler.
    outsider = harness.person(5, "de")
    sent = await outsider.press(f"nt:list:{client.id}:")
    assert all("Vermieter" not in (s.text or "") for s in sent)
    async with world.engine.connect() as connection:
        reads = (
            await connection.execute(
                select(AuditRow.staff_id).where(AuditRow.action == "note.read")
            )
        ).all()
        assert (await connection.execute(select(NoteRow.id))).scalars().all() == [note.id]
    assert reads == []


async def test_refused_reads_and_forged_staff_buttons_are_audited(world: World) -> None:
    """Each refusal is in the audit log under the one who tried: ids only, never text."""
    stranger_staff = await case_manager(world, 811, slug="borken")
    _, client, note = await a_written_note(world)
    stranger = await staff_service.active_staff(world.uow_factory, 811)
    assert stranger is not None
    for data in (
        f"nt:list:{client.id}:",  # another site's client's notes
        f"nt:show:{note.id}:",  # another site's note
        f"sc:view:{client.id}:",  # another site's client's entry
        "nt:show:999999:",  # a note that does not exist
        "sc:view:999999:",  # a client that does not exist
        "zz:made:up",  # a button of no handler
    ):
        await stranger_staff.press(data)
    async with world.engine.connect() as connection:
        rows = (
            await connection.execute(
                select(AuditRow.action, AuditRow.client_id, AuditRow.note_id, AuditRow.site_id)
                .where(AuditRow.staff_id == stranger.id)
                .order_by(AuditRow.id)
            )
        ).all()
    assert [tuple(row) for row in rows] == [
        ("refused.client", client.id, None, stranger.site_id),
        ("refused.note", client.id, note.id, stranger.site_id),
        ("refused.client", client.id, None, stranger.site_id),
        ("refused.note", None, 999999, stranger.site_id),
        ("refused.client", None, None, stranger.site_id),
        ("refused.button", None, None, stranger.site_id),
    ]


async def test_a_too_long_note_is_kept_in_the_chat_and_media_is_refused(world: World) -> None:
    t = world.t("de")
    manager = await case_manager(world, STAFF_ID)
    await client_of(world, STAFF_ID, 1, "Ahmad K.")
    await manager.send("/note")
    await manager.tap("Ahmad K.")
    await manager.tap(labels.life_area(t, LifeArea.WORK))
    await manager.tap(t.p_("button", "✍️ Next: type the note"))
    sent = await manager.send("x" * 4000)
    assert sent[-1].text == nv.too_long(t, 4000) and _deleted(sent, STAFF_ID) == []
    sent = await manager.send_media("voice")
    assert sent[-1].text == nv.text_only(t)
    sent = await manager.send("kurz und gut")
    assert len(_deleted(sent, STAFF_ID)) == 1
    async with world.engine.connect() as connection:
        assert len((await connection.execute(select(NoteRow.id))).all()) == 1


async def test_a_failed_removal_is_tried_again(
    uow_factory: UnitOfWorkFactory, clock: FakeClock
) -> None:
    async with uow_factory() as uow:
        await uow.deletions.schedule(STAFF_ID, 77, clock.now())
        await uow.commit()

    flaky = FakeNotifier()
    flaky.deletions = [False, True]  # a passing failure, then done
    assert await notes_service.remove_due_messages(uow_factory, clock, flaky) == 0
    assert await notes_service.remove_due_messages(uow_factory, clock, flaky) == 0  # later
    clock.advance(minutes=6)
    assert await notes_service.remove_due_messages(uow_factory, clock, flaky) == 1
    assert len(flaky.deleted) == 2
    assert await notes_service.remove_due_messages(uow_factory, clock, flaky) == 0
