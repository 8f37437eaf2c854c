"""Calendar files follow the appointment (issue 18, item 8): one UID, a SEQUENCE that
grows with each move and cancellation, METHOD:CANCEL when it is cancelled, and the file
a newer one replaces leaves the chat while Telegram allows it (48 hours). The booking
confirmation stays as it is: its buttons open their screens below it."""

from __future__ import annotations

from datetime import timedelta

import pytest
from aiogram.methods import DeleteMessage, EditMessageText, SendDocument, SendMessage

from bot.domain import LifeArea, Mode
from handlers import labels, views
from handlers.client import booking_views as bv
from tests.telegram.harness import Person, Sent
from tests.telegram.test_booking_flow import site_with_case_manager
from tests.telegram.world import (
    BERLIN_THURSDAY_9,
    World,
    add_hours,
    book_by_buttons,
    calendar_files,
    case_manager,
    consented_client,
)

NEXT_THURSDAY_9 = BERLIN_THURSDAY_9 + timedelta(days=7)


def _deleted(sent: list[Sent], chat_id: int) -> list[int]:
    """The message ids the bot deleted in `chat_id`."""
    return [
        s.raw.message_id for s in sent if isinstance(s.raw, DeleteMessage) and s.chat_id == chat_id
    ]


async def _move(client: Person, world: World, when_now: str, day: str, at: str) -> list[Sent]:
    t = world.t("fa_AF")
    await client.tap(t.p_("button", "🗓 My appointments"))
    await client.tap(when_now)
    await client.tap(t.p_("button", "🔁 Change the time"))
    await client.tap(day)
    await client.tap(at)
    return await client.tap(t.p_("button", "✅ Book this appointment"))


async def test_booking_moving_and_cancelling_send_files_of_one_event(world: World) -> None:
    t, zone = world.t("fa_AF"), world.zone
    await site_with_case_manager(world)
    client = await consented_client(world, 6400, "fa_AF")
    chat = client.user_id

    sent = await book_by_buttons(client, t, "09:00", area=LifeArea.WORK, day=NEXT_THURSDAY_9)
    [(booked_file, booked_calendar, booked)] = calendar_files(sent, chat)
    assert booked_calendar["method"] == "PUBLISH" and booked["status"] == "CONFIRMED"
    assert booked["sequence"] == 0 and booked.decoded("dtstart") == NEXT_THURSDAY_9
    assert isinstance(booked_file.raw, SendDocument)
    assert booked_file.raw.caption == bv.calendar_caption(t)

    # Moved within 48 hours: the new file, and the old one leaves the chat.
    day = labels.day_label(t, NEXT_THURSDAY_9, zone)
    sent = await _move(client, world, labels.when(t, NEXT_THURSDAY_9, zone), day, "10:00")
    [(moved_file, moved_calendar, moved)] = calendar_files(sent, chat)
    assert moved["uid"] == booked["uid"] and moved["sequence"] == 1
    assert moved_calendar["method"] == "PUBLISH"
    assert moved.decoded("dtstart") == NEXT_THURSDAY_9 + timedelta(hours=1)
    assert _deleted(sent, chat) == [booked_file.message_id]

    # Moved again three days later: Telegram no longer lets the bot delete that file.
    world.clock.advance(days=3)
    when_now = labels.when(t, NEXT_THURSDAY_9 + timedelta(hours=1), zone)
    sent = await _move(client, world, when_now, day, "10:30")
    [(again_file, _, again)] = calendar_files(sent, chat)
    assert again["uid"] == booked["uid"] and again["sequence"] == 2
    assert _deleted(sent, chat) == []  # left as it is

    # Cancelled: a file that takes it out of the calendar; the last one leaves the chat.
    await client.tap(t.p_("button", "🗓 My appointments"))
    await client.tap(labels.when(t, NEXT_THURSDAY_9 + timedelta(minutes=90), zone))
    await client.tap(t.p_("button", "✖️ Cancel this appointment"))
    sent = await client.tap(t.p_("button", "🕒 The time does not suit me"))
    [(cancel_file, cancel_calendar, cancelled)] = calendar_files(sent, chat)
    assert cancel_calendar["method"] == "CANCEL" and cancelled["status"] == "CANCELLED"
    assert cancelled["uid"] == booked["uid"] and cancelled["sequence"] == 3
    assert cancelled.decoded("dtstart") == NEXT_THURSDAY_9 + timedelta(minutes=90)
    assert isinstance(cancel_file.raw, SendDocument)
    assert cancel_file.raw.caption == bv.calendar_cancel_caption(t)
    assert _deleted(sent, chat) == [again_file.message_id]
    assert "SUMMARY" in cancel_calendar.to_ical().decode()
    assert labels.life_area(t, LifeArea.WORK) not in cancel_calendar.to_ical().decode()


@pytest.mark.parametrize(
    ("button", "expected"),
    [("🗓 My appointments", "list"), ("⬅️ Back to the menu", "menu")],
)
async def test_the_confirmation_stays_when_its_buttons_are_pressed(
    world: World, button: str, expected: str
) -> None:
    t, zone, harness = world.t("de"), world.zone, world.harness
    await site_with_case_manager(world)
    client = await consented_client(world, 6500, "de")
    sent = await book_by_buttons(client, t, "09:00")
    confirmation = next(
        s for s in sent if s.text and s.text.startswith(t._("✅ Your appointment is booked."))
    )
    assert confirmation.message_id is not None
    booked_at = len(harness.session.calls)

    sent = await client.tap(t.p_("button", button))
    # Nothing replaces the confirmation; the screen comes as a new message below it.
    edits = [s for s in sent if isinstance(s.raw, EditMessageText)]
    assert [e.raw.message_id for e in edits if isinstance(e.raw, EditMessageText)] == []
    new = [s for s in sent if isinstance(s.raw, SendMessage) and s.chat_id == client.user_id]
    if expected == "list":
        assert new and labels.when(t, BERLIN_THURSDAY_9, zone) in new[-1].labels[0]
        # The list's own buttons go on in the list's message (its own screen).
        sent = await client.tap(labels.when(t, BERLIN_THURSDAY_9, zone))
        assert [s.raw.message_id for s in sent if isinstance(s.raw, EditMessageText)] == [
            new[-1].message_id
        ]
    else:
        assert new and new[-1].text == views.main_menu(t).text
    assert all(
        not (isinstance(c.raw, EditMessageText) and c.raw.message_id == confirmation.message_id)
        for c in harness.session.calls[booked_at:]
    )


async def test_staff_cancelling_sends_the_cancellation_file(world: World) -> None:
    t, ct, zone = world.t("de"), world.t("ar"), world.zone
    manager = await case_manager(world, 810)
    await add_hours(world, 810, weekday=3, hours=(9, 11), address="Rathaus")
    client = await consented_client(world, 6600, "ar")
    await manager.send("/start")
    await manager.tap(t.p_("button", "📋 Clients"))
    await manager.tap(t.p_("button", "👥 All clients of the site"))
    await manager.tap(
        labels.client_name(t, None, 1).replace("\u2068", "").replace("\u2069", "")[:4]
    )
    await manager.tap(t.p_("button", "📅 Book for this client"))
    await manager.tap(labels.life_area(t, LifeArea.HOUSING))
    await manager.tap(labels.mode(t, Mode.IN_PERSON))
    await manager.tap(labels.day_label(t, BERLIN_THURSDAY_9, zone))
    await manager.tap("09:30")
    await manager.tap(t.p_("button", "No, thank you"))
    sent = await manager.tap(t.p_("button", "✅ Book this appointment"))
    [(booked_file, _, booked)] = calendar_files(sent, client.user_id)
    told = next(s for s in sent if s.chat_id == client.user_id and s.text)
    assert told.text is not None
    assert told.text.startswith(ct._("📅 Your advisor booked an appointment for you."))
    # The notice is the client's record too: "My appointments" opens below it.
    assert told.buttons == [(ct.p_("button", "🗓 My appointments"), "ap:list2:0:")]

    sent = await manager.tap("✖️")
    [(_, calendar, cancelled)] = calendar_files(sent, client.user_id)
    assert calendar["method"] == "CANCEL" and cancelled["status"] == "CANCELLED"
    assert cancelled["uid"] == booked["uid"] and cancelled.sequence > booked.sequence
    assert _deleted(sent, client.user_id) == [booked_file.message_id]
