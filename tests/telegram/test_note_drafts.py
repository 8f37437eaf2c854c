"""A note typed at any step of the note flow is kept (issue 19, item 4): it becomes the
note's draft, sealed in the conversation state (never plain text there), the typed message
is deleted, and only what is missing is asked for. Leaving with a draft asks "Save /
Discard"; a draft older than 24 hours is dropped, and the person is told. Nothing typed
reaches the log (item 5)."""

from __future__ import annotations

import logging

import pytest
from aiogram.methods import DeleteMessage
from sqlalchemy import select, text

from bot.domain import Client, LifeArea, NotePhase
from bot.i18n import Translator
from bot.services import notes as notes_service
from bot.services import staff as staff_service
from config.keys import new_key
from handlers import labels
from handlers.staff import note_draft_views as ndv
from handlers.staff import note_views as nv
from handlers.staff import views as sv
from storage.crypto import install_cipher
from storage.models import ConversationRow
from tests.helpers import id_of
from tests.telegram.harness import Person, Sent
from tests.telegram.world import World, case_manager, client_of

STAFF_ID = 830
#: ASCII words, so they would show in the stored JSON as typed (no \\u escapes).
SECRET = "Vermieter droht mit Raeumung <dringend> & Schulden beim Jobcenter"
MORE = "Termin beim Mieterverein am Freitag"
WORDS = ("Vermieter", "Raeumung", "Schulden", "Mieterverein", "Freitag")


async def _a_manager_and_client(world: World) -> tuple[Person, Client, Translator]:
    manager = await case_manager(world, STAFF_ID)
    client = await client_of(world, STAFF_ID, 1, "Ahmad K.")
    return manager, client, world.t("de")


def _deleted(calls: list[Sent]) -> list[int]:
    return [
        c.raw.message_id
        for c in calls
        if isinstance(c.raw, DeleteMessage) and c.chat_id == STAFF_ID
    ]


async def _typed(manager: Person, body: str) -> list[Sent]:
    """`body` typed in the note flow: its message is deleted, and the stored conversation
    (and every other row of it) holds none of the words."""
    sent = await manager.send(body)
    assert len(_deleted(sent)) == 1, "the typed note stays visible in the chat"
    assert all(word not in (s.text or "") for s in sent for word in WORDS)
    return sent


async def _conversation(world: World) -> str:
    """The conversation rows as stored (a token since migration 0013) and as the storage
    opens them (the draft inside still sealed)."""
    async with world.engine.connect() as connection:
        raw = (await connection.execute(text("SELECT state, data FROM conversations"))).all()
        opened = (
            await connection.execute(select(ConversationRow.state, ConversationRow.data))
        ).all()
    return repr([tuple(row) for row in raw]) + repr([tuple(row) for row in opened])


async def _assert_sealed(world: World) -> None:
    stored = await _conversation(world)
    assert all(word not in stored for word in WORDS), "plain note text in the FSM storage"


async def _stored(world: World, client: Client) -> list[str]:
    """The client's notes as the service decrypts them, newest first."""
    staff = await staff_service.active_staff(world.uow_factory, STAFF_ID)
    assert staff is not None
    _, notes, _ = await notes_service.client_notes(
        world.uow_factory, world.clock, staff=staff, client_id=id_of(client)
    )
    async with world.engine.connect() as connection:
        raw = (await connection.execute(text("SELECT body FROM notes"))).scalars().all()
    assert all(word not in body for body in raw for word in WORDS)  # encrypted at rest
    return [note.body for note in notes]


def _saved_text(t: Translator, *areas: LifeArea) -> str:
    return t._(
        "✅ Note saved for {client} ({areas}{phase}). Your message was deleted from the chat.",
        client="Ahmad K.",
        areas=", ".join(labels.life_area(t, a) for a in areas),
        phase="",
    )


async def test_text_at_the_client_step_is_kept_and_saved_once_client_and_area_are_chosen(
    world: World,
) -> None:
    manager, client, t = await _a_manager_and_client(world)
    await manager.send("/note")
    sent = await _typed(manager, SECRET)
    assert sent[-1].text is not None and ndv.draft_kept(t, len(SECRET)) in sent[-1].text
    assert "Ahmad K." in sent[-1].labels  # asked for the client, and only that
    await _assert_sealed(world)
    assert "n_draft" in await _conversation(world)  # kept, sealed

    sent = await manager.tap("Ahmad K.")
    assert sent[-1].text is not None and ndv.draft_kept(t, len(SECRET)) in sent[-1].text
    assert t.p_("button", "✍️ Next: type the note") not in sent[-1].labels
    await manager.tap(labels.life_area(t, LifeArea.HOUSING))
    sent = await manager.tap(t.p_("button", "💾 Save the note"))
    assert sent[-1].text == _saved_text(t, LifeArea.HOUSING)
    assert await _stored(world, client) == [SECRET]
    assert await _conversation(world) == "[][]"  # the flow is over, the draft gone with it


async def test_text_at_the_life_area_step_is_saved_after_the_area_is_chosen(world: World) -> None:
    """The reported case: /note -> client -> "Next" without an area -> the note typed."""
    manager, client, t = await _a_manager_and_client(world)
    await manager.send("/note")
    await manager.tap("Ahmad K.")
    await manager.tap(t.p_("button", "✍️ Next: type the note"))  # no area: a pop-up
    assert world.harness.answers()[-1].text == nv.areas_needed(t)
    sent = await _typed(manager, SECRET)
    expected = nv.choose_areas(t, client, [], None, len(SECRET))
    assert expected.markup is not None
    assert sent[-1].text == expected.text and sent[-1].labels == [
        button.text for row in expected.markup.inline_keyboard for button in row
    ]
    await _assert_sealed(world)

    sent = await manager.tap(t.p_("button", "💾 Save the note"))  # still no area
    assert world.harness.answers()[-1].text == nv.areas_needed(t)
    assert await _stored(world, client) == []
    await manager.tap(labels.life_area(t, LifeArea.WORK))
    await manager.tap(nv.phase_label(t, NotePhase.PLAN))
    await _assert_sealed(world)
    sent = await manager.tap(t.p_("button", "💾 Save the note"))
    assert sent[-1].text == t._(
        "✅ Note saved for {client} ({areas}{phase}). Your message was deleted from the chat.",
        client="Ahmad K.",
        areas=labels.life_area(t, LifeArea.WORK),
        phase=" · " + nv.phase_label(t, NotePhase.PLAN),
    )
    assert await _stored(world, client) == [SECRET]


async def test_text_at_the_text_step_after_a_draft_is_one_note(world: World) -> None:
    manager, client, t = await _a_manager_and_client(world)
    await manager.send("/note")
    await manager.tap("Ahmad K.")
    await manager.tap(labels.life_area(t, LifeArea.HEALTH))
    await manager.tap(t.p_("button", "✍️ Next: type the note"))
    sent = await _typed(manager, SECRET)  # the text step saves at once, as before
    assert sent[-1].text == _saved_text(t, LifeArea.HEALTH)
    assert await _stored(world, client) == [SECRET]

    # A draft typed before the areas, then the text step reached by an older "Next"
    # button: the note is the draft and what is typed there.
    await manager.send("/note")
    await manager.tap("Ahmad K.")
    await _typed(manager, SECRET)
    await manager.tap(labels.life_area(t, LifeArea.HEALTH))
    await manager.press("nt:areas::")
    sent = await _typed(manager, MORE)
    assert sent[-1].text == _saved_text(t, LifeArea.HEALTH)
    assert await _stored(world, client) == [f"{SECRET}\n{MORE}", SECRET]
    await _assert_sealed(world)


async def test_text_typed_twice_is_added_to_the_draft(world: World) -> None:
    manager, client, t = await _a_manager_and_client(world)
    await manager.send("/note")
    await manager.tap("Ahmad K.")
    await _typed(manager, SECRET)
    sent = await _typed(manager, MORE)
    length = len(SECRET) + 1 + len(MORE)
    assert sent[-1].text is not None and ndv.draft_kept(t, length) in sent[-1].text
    assert "Text you send next is added to it." in ndv.draft_kept(world.t("en"), 1)
    await _assert_sealed(world)
    await manager.tap(labels.life_area(t, LifeArea.FAMILY))
    await manager.tap(t.p_("button", "💾 Save the note"))
    assert await _stored(world, client) == [f"{SECRET}\n{MORE}"]


async def test_a_draft_that_would_be_too_long_stays_as_it_was(world: World) -> None:
    manager, client, t = await _a_manager_and_client(world)
    await manager.send("/note")
    await manager.tap("Ahmad K.")
    await _typed(manager, SECRET)
    sent = await manager.send("x" * notes_service.MAX_NOTE_LENGTH)
    assert sent[-1].text == nv.too_long(t, len(SECRET) + 1 + notes_service.MAX_NOTE_LENGTH)
    assert _deleted(sent) == []  # kept in the chat so it can be copied and shortened
    await manager.tap(labels.life_area(t, LifeArea.WORK))
    await manager.tap(t.p_("button", "💾 Save the note"))
    assert await _stored(world, client) == [SECRET]


@pytest.mark.parametrize("leave", ["/cancel", "/menu", "/today", "menu button"])
async def test_leaving_with_a_draft_asks_and_save_asks_what_is_missing(
    world: World, leave: str
) -> None:
    manager, client, t = await _a_manager_and_client(world)
    await manager.send("/note")
    await _typed(manager, SECRET)  # before the client
    if leave == "menu button":
        sent = await manager.tap(t.p_("button", "⬅️ Back to the menu"))
    else:
        sent = await manager.send(leave)
    assert sent[-1].text == ndv.save_or_discard(t, len(SECRET)).text
    await _assert_sealed(world)

    sent = await manager.tap(t.p_("button", "💾 Save the note"))  # the client is missing
    assert "Ahmad K." in sent[-1].labels
    await manager.tap("Ahmad K.")
    await manager.send("/cancel")  # leaving again, now with the client chosen
    await manager.tap(t.p_("button", "💾 Save the note"))  # the area is missing
    assert world.harness.answers()[-1].text == nv.areas_needed(t)
    await manager.tap(labels.life_area(t, LifeArea.LANGUAGE))
    sent = await manager.tap(t.p_("button", "💾 Save the note"))
    assert sent[-1].text == _saved_text(t, LifeArea.LANGUAGE)
    assert await _stored(world, client) == [SECRET]


async def test_leaving_with_a_draft_and_discarding_it(world: World) -> None:
    manager, client, t = await _a_manager_and_client(world)
    await manager.send("/note")
    await manager.tap("Ahmad K.")
    await _typed(manager, SECRET)
    sent = await manager.tap(t.p_("button", "✖️ Stop"))
    assert sent[-1].text == ndv.save_or_discard(t, len(SECRET)).text
    sent = await manager.tap(t.p_("button", "🗑 Discard the note"))
    assert sent[-1].text == sv.menu(t, intro=ndv.discarded(t)).text
    assert await _stored(world, client) == []
    assert await _conversation(world) == "[][]"
    sent = await manager.send("/cancel")  # nothing waits any more: an ordinary /cancel
    assert sent[-1].text != ndv.save_or_discard(t, len(SECRET)).text


async def test_an_old_note_button_keeps_the_draft(world: World) -> None:
    manager, client, t = await _a_manager_and_client(world)
    await manager.send("/note")
    await _typed(manager, SECRET)
    sent = await manager.press("nt:area:work:")  # an area button from an older message
    assert sent[-1].text == ndv.save_or_discard(t, len(SECRET)).text
    await manager.tap(t.p_("button", "💾 Save the note"))
    await manager.tap("Ahmad K.")
    await manager.tap(labels.life_area(t, LifeArea.WORK))
    await manager.tap(t.p_("button", "💾 Save the note"))
    assert await _stored(world, client) == [SECRET]


async def test_a_draft_older_than_24_hours_is_discarded_and_said_so(world: World) -> None:
    manager, client, t = await _a_manager_and_client(world)
    await manager.send("/note")
    await manager.tap("Ahmad K.")
    await _typed(manager, SECRET)
    world.clock.advance(hours=23)
    await manager.tap(labels.life_area(t, LifeArea.WORK))  # still kept
    sent = await manager.tap(labels.life_area(t, LifeArea.WORK))
    assert all(s.text != ndv.expired(t) for s in sent)
    world.clock.advance(hours=1, minutes=1)
    sent = await manager.tap(labels.life_area(t, LifeArea.HOUSING))
    assert [s.text for s in sent if s.text == ndv.expired(t)] == [ndv.expired(t)]
    assert sent[-1].text == nv.choose_areas(t, client, ["housing"], None).text  # no draft
    assert "n_draft" not in await _conversation(world)
    sent = await manager.send("/cancel")  # nothing to ask about any more
    assert sent[-1].text != ndv.save_or_discard(t, len(SECRET)).text
    assert await _stored(world, client) == []


async def test_the_typed_note_is_in_no_log_record(
    world: World, caplog: pytest.LogCaptureFixture
) -> None:
    manager, client, t = await _a_manager_and_client(world)
    world.harness.session.refuse["DeleteMessage"] = RuntimeError(SECRET)  # logged by type
    with caplog.at_level(logging.DEBUG):
        await manager.send("/note")
        await manager.send(SECRET)
        await manager.tap("Ahmad K.")
        await manager.send(MORE)
        await manager.send("/cancel")
        await manager.tap(t.p_("button", "💾 Save the note"))
        await manager.tap(labels.life_area(t, LifeArea.WORK))
        await manager.tap(t.p_("button", "💾 Save the note"))
    assert await _stored(world, client) == [f"{SECRET}\n{MORE}"]
    assert caplog.records, "nothing was logged: the check would prove nothing"
    assert any(r.getMessage() == "typed note not deleted" for r in caplog.records)
    for record in caplog.records:
        logged = record.getMessage() + repr(record.__dict__)
        assert all(word not in logged for word in WORDS), record.name


async def test_a_draft_sealed_with_a_key_since_removed_is_discarded_and_said_so(
    world: World,
) -> None:
    manager, client, t = await _a_manager_and_client(world)
    await manager.send("/note")
    await manager.tap("Ahmad K.")
    await _typed(manager, SECRET)
    install_cipher(world.engine, [new_key()])  # a rotation that dropped the old key
    sent = await manager.tap(labels.life_area(t, LifeArea.WORK))
    assert [s.text for s in sent if s.text == ndv.unreadable(t)] == [ndv.unreadable(t)]
    assert "n_draft" not in await _conversation(world)
    assert sent[-1].text == nv.choose_areas(t, client, ["work"], None).text
