"""Booking, moving and cancelling through the real Dispatcher, for clients and staff."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from aiogram.methods import SendDocument, SendMessage, SendPhoto
from aiogram.types import BufferedInputFile, ReplyKeyboardMarkup
from icalendar import Calendar
from sqlalchemy import select

from bot.domain import LifeArea, Mode
from bot.services import staff as staff_service
from handlers import labels, views
from handlers.client import booking_views as bv
from handlers.staff import views as staff_views
from storage.models import AppointmentRow, ClientRow
from tests.telegram.harness import Person, TelegramHarness
from tests.telegram.world import (
    BERLIN_THURSDAY_9,
    World,
    add_hours,
    book_by_buttons,
    case_manager,
    consented_client,
    pick_day,
)

STAFF_ID = 700


async def site_with_case_manager(world: World, *, mode: Mode = Mode.IN_PERSON) -> Person:
    """The site Essen with its case manager STAFF_ID, at work Thursdays 09:00-11:00 (in the
    Rathaus when in person)."""
    manager = await case_manager(world, STAFF_ID)
    address = "Rathaus Essen, Raum 3" if mode is Mode.IN_PERSON else None
    await add_hours(world, STAFF_ID, weekday=3, hours=(9, 11), mode=mode, address=address)
    return manager


def staff_messages(harness: TelegramHarness) -> list[SendMessage]:
    """What the bot sent the case manager STAFF_ID, oldest first."""
    return [
        c.raw
        for c in harness.session.calls
        if isinstance(c.raw, SendMessage) and c.chat_id == STAFF_ID
    ]


@pytest.mark.parametrize("locale", ["de", "fa_AF", "ar"])
async def test_a_client_books_an_appointment(world: World, locale: str) -> None:
    t, zone = world.t(locale), world.zone
    await site_with_case_manager(world)
    client = await consented_client(world, 5000, locale)

    sent = await client.tap(t.p_("button", "📅 Book an appointment"))
    assert sent[-1].text == bv.topic_picker(t).text
    sent = await client.tap(labels.life_area(t, LifeArea.HOUSING))
    assert sent[-1].labels[0] == labels.mode(t, Mode.IN_PERSON)
    sent = await client.tap(labels.mode(t, Mode.IN_PERSON))
    thursday = labels.day_label(t, BERLIN_THURSDAY_9, zone)
    assert sent[-1].labels[0] == thursday
    sent = await client.tap(thursday)
    assert sent[-1].labels[:4] == ["09:00", "09:30", "10:00", "10:30"]
    await client.tap("09:30")
    sent = await client.tap(t.p_("button", "Yes, please"))
    summary = sent[-1].text
    assert summary is not None
    assert labels.when(t, BERLIN_THURSDAY_9.replace(minute=30), zone) in summary
    assert "Rathaus Essen, Raum 3" in summary
    sent = await client.tap(t.p_("button", "✅ Book this appointment"))
    confirmation = next(
        s for s in sent if s.text and s.text.startswith(t._("✅ Your appointment is booked."))
    )
    assert confirmation.text is not None  # as chosen
    assert labels.when(t, BERLIN_THURSDAY_9.replace(minute=30), zone) in confirmation.text

    # The calendar file: the right time, no topic.
    document = next(c.raw for c in sent if isinstance(c.raw, SendDocument))
    assert isinstance(document.document, BufferedInputFile)  # the bot uploads the file
    calendar = Calendar.from_ical(document.document.data)
    event = next(iter(calendar.walk("VEVENT")))
    assert event.decoded("dtstart") == BERLIN_THURSDAY_9.replace(minute=30)
    assert "Rathaus" in str(event.get("location"))
    assert labels.life_area(t, LifeArea.HOUSING) not in calendar.to_ical().decode()

    # The case manager is told, in German, with the interpreter need; the client has no nickname.
    notice = staff_messages(world.harness)[-1]
    de = world.t("de")
    assert notice.text.startswith(
        bv.staff_notice(de, "booked", labels.client_name(de, None, 1), "")[:10]
    )
    assert labels.life_area(de, LifeArea.HOUSING) in notice.text
    assert labels.language_in(de, locale) in notice.text  # the interpreter, named in German

    async with world.engine.connect() as connection:
        row = (await connection.execute(select(AppointmentRow))).one()
        client_row = (await connection.execute(select(ClientRow))).one()
    assert row.starts_at == BERLIN_THURSDAY_9.replace(minute=30)
    assert row.interpreter == locale and row.topic == "housing" and row.status == "booked"
    assert client_row.case_manager_id is not None and client_row.site_id is not None


async def test_move_and_cancel_from_my_appointments(world: World) -> None:
    t, zone, harness, engine = world.t("fa_AF"), world.zone, world.harness, world.engine
    await site_with_case_manager(world)
    client = await consented_client(world, 5100, "fa_AF")
    await book_by_buttons(client, t, "09:00", area=LifeArea.LEGAL)

    sent = await client.tap(t.p_("button", "🗓 My appointments"))
    when = labels.when(t, BERLIN_THURSDAY_9, zone)
    assert any(when in label for label in sent[-1].labels)
    await client.tap(when)
    await client.tap(t.p_("button", "🔁 Change the time"))
    await client.tap(labels.day_label(t, BERLIN_THURSDAY_9, zone))
    sent = await client.tap("10:30")
    assert t.p_("button", "✅ Book this appointment") in sent[-1].labels
    sent = await client.tap(t.p_("button", "✅ Book this appointment"))
    assert any(
        s.text and s.text.startswith(t._("✅ Your appointment has a new time.")) for s in sent
    )
    async with engine.connect() as connection:
        rows = (await connection.execute(select(AppointmentRow))).all()
    assert len(rows) == 1 and rows[0].starts_at == BERLIN_THURSDAY_9.replace(hour=9, minute=30)
    assert "🔁" in staff_messages(harness)[-1].text

    await client.tap(t.p_("button", "🗓 My appointments"))
    await client.tap(labels.when(t, rows[0].starts_at, zone))
    sent = await client.tap(t.p_("button", "✖️ Cancel this appointment"))
    assert t.p_("button", "⬅️ No, keep it") in sent[-1].labels
    sent = await client.tap(t.p_("button", "🤒 I am ill"))
    assert any(s.text == bv.cancelled(t).text and s.chat_id == client.user_id for s in sent)
    async with engine.connect() as connection:
        row = (await connection.execute(select(AppointmentRow))).one()
    assert row.status == "cancelled" and row.cancel_reason == "ill"
    de = world.t("de")
    assert labels.cancel_reason(de, "ill") in staff_messages(harness)[-1].text

    # A second tap on the old cancel button changes nothing and is answered.
    before = len(harness.answers())
    await client.press(f"ap:reason:{row.id}:ill")
    assert len(harness.answers()) == before + 1 and harness.answers()[-1].show_alert


async def test_forged_appointment_ids_are_refused(world: World) -> None:
    harness, engine = world.harness, world.engine
    await site_with_case_manager(world)
    owner = await consented_client(world, 5200, "de")
    await book_by_buttons(owner, world.t("de"), "09:00")
    async with engine.connect() as connection:
        appointment_id = (await connection.execute(select(AppointmentRow.id))).scalar_one()

    thief = await consented_client(world, 5201, "de")
    for data in (
        f"ap:reason:{appointment_id}:ill",
        f"ap:view:{appointment_id}:",
        f"ap:move:{appointment_id}:",
        "ap:reason:999999:ill",
        "bk:confirm:",
        f"bk:time:1.{int(BERLIN_THURSDAY_9.timestamp()) // 60}",
    ):
        before = len(harness.answers())
        await thief.press(data)
        assert len(harness.answers()) == before + 1, data
    async with engine.connect() as connection:
        rows = (await connection.execute(select(AppointmentRow))).all()
    assert len(rows) == 1 and rows[0].status == "booked"


async def test_a_forged_time_is_not_bookable(world: World) -> None:
    t = world.t("ar")
    manager = await site_with_case_manager(world)
    assert manager
    client = await consented_client(world, 5300, "ar")
    await pick_day(client, t)
    async with world.uow_factory() as uow:
        staff_row = await uow.staff.by_telegram_id(STAFF_ID)
        assert staff_row is not None
    # 09:10 is not on the grid; 2026-11-19 is in the past.
    for minutes in (
        int(BERLIN_THURSDAY_9.timestamp()) // 60 + 10,
        int(datetime(2026, 11, 19, 8, tzinfo=UTC).timestamp()) // 60,
    ):
        await client.press(f"bk:time:{staff_row.id}.{minutes}")
        assert world.harness.answers()[-1].text == bv.not_bookable(t)
    async with world.engine.connect() as connection:
        assert (await connection.execute(select(AppointmentRow))).all() == []


async def test_phone_appointments_ask_for_the_clients_own_number(world: World) -> None:
    t = world.t("ps")
    await site_with_case_manager(world, mode=Mode.PHONE)
    client = await consented_client(world, 5400, "ps")
    await client.tap(t.p_("button", "📅 Book an appointment"))
    await client.tap(labels.life_area(t, LifeArea.FAMILY))
    sent = await client.tap(labels.mode(t, Mode.PHONE))
    asked = sent[-1].raw
    assert isinstance(asked, SendMessage) and isinstance(asked.reply_markup, ReplyKeyboardMarkup)
    keyboard = asked.reply_markup
    assert keyboard.keyboard[0][0].request_contact is True
    sent = await client.send_contact("+49 151 0000000", owner=999)  # someone else's card
    assert sent[-1].text == bv.phone_not_own(t)
    sent = await client.send_contact("+49 151 1234567")
    assert sent[0].text == bv.phone_saved(t)
    assert sent[-1].labels[0] == labels.day_label(t, BERLIN_THURSDAY_9, world.zone)
    async with world.engine.connect() as connection:
        phone = (await connection.execute(select(ClientRow.phone))).scalar_one()
    assert phone == "+491511234567"


async def test_no_free_time_says_so_and_offers_a_way_on(world: World) -> None:
    t = world.t("fr")
    await case_manager(world, STAFF_ID)  # no working hours
    client = await consented_client(world, 5500, "fr")
    await client.tap(t.p_("button", "📅 Book an appointment"))
    sent = await client.tap(labels.life_area(t, LifeArea.WORK))
    assert sent[-1].text == bv.no_slots(t, 14).text
    assert t.p_("button", "✉️ Message my advisor") in sent[-1].labels


async def test_staff_invites_a_client_who_then_books_with_them(world: World) -> None:
    de, engine = world.t("de"), world.engine
    manager = await site_with_case_manager(world)
    sent = await manager.send("/start")
    assert sent[-1].text == staff_views.menu(de).text
    await manager.tap(de.p_("button", "➕ Invite a client"))
    sent = await manager.send("Ahmad K.")
    photo = next(c.raw for c in sent if isinstance(c.raw, SendPhoto))
    assert isinstance(photo.photo, BufferedInputFile) and photo.caption is not None
    assert photo.protect_content is True and photo.photo.data.startswith(b"\x89PNG")
    payload = photo.caption.split("?start=")[1].split()[0].rstrip("\u2069")
    assert payload.startswith("c-")

    client = await consented_client(world, 5600, "fa_AF", start=f"/start {payload}")
    async with engine.connect() as connection:
        row = (await connection.execute(select(ClientRow))).one()
    assert row.nickname == "Ahmad K." and row.case_manager_id is not None
    await book_by_buttons(client, world.t("fa_AF"), "10:00")  # no site question: linked
    assert "Ahmad K." in staff_messages(world.harness)[-1].text

    # The invite worked once: a second person opening it is not linked.
    other = await consented_client(world, 5601, "de", start=f"/start {payload}")
    assert other
    async with engine.connect() as connection:
        second = (
            await connection.execute(select(ClientRow).where(ClientRow.telegram_user_id == 5601))
        ).one()
    assert second.nickname is None and second.case_manager_id is None


async def test_clients_and_strangers_reach_no_staff_handler(world: World) -> None:
    await site_with_case_manager(world)
    client = await consented_client(world, 5700, "de")
    t = world.t("de")
    for data in ("st:invite:", "st:hours:", "st:toggle:de", "st:setlang:ar", "st:menu:"):
        sent = await client.press(data)
        assert world.harness.answers()[-1].text in (views.stale_button(t), views.consent_first(t))
        assert all(s.text != staff_views.invite_ask(t).text for s in sent)
    sent = await client.send("/invite")
    assert sent[0].text == views.not_understood(t, "command")


async def test_a_deactivated_case_manager_is_refused_at_once(world: World) -> None:
    manager = await site_with_case_manager(world)
    de = world.t("de")
    sent = await manager.press("st:hours:")
    assert sent[-1].text is not None
    assert "09:00" in sent[-1].text
    await staff_service.deactivate_staff(world.uow_factory, telegram_user_id=STAFF_ID)
    sent = await manager.press("st:hours:")
    assert world.harness.answers()[-1].show_alert
    assert all("09:00" not in (s.text or "") for s in sent)
    sent = await manager.send("/start")
    assert sent[-1].text != staff_views.menu(de).text


async def test_a_used_or_unknown_staff_link_is_explained(world: World) -> None:
    await site_with_case_manager(world)
    sent = await world.harness.person(7777, "de").send("/start staff-doesnotexist")
    assert sent[-1].text == staff_views.invite_failed(world.t("de"), "unknown")


async def test_staff_choose_languages_and_their_ui_language(world: World) -> None:
    manager = await site_with_case_manager(world)
    await manager.press("st:toggle:fa_AF")
    await manager.press("st:toggle:ps")
    sent = await manager.press("st:setlang:en")
    assert sent[-1].text == staff_views.menu(world.t("en")).text
    async with world.uow_factory() as uow:
        staff = await uow.staff.by_telegram_id(STAFF_ID)
        assert staff is not None
    assert staff.spoken == {"fa_AF", "ps"} and staff.locale == "en"


async def test_staff_get_staff_commands_and_silent_notices_outside_hours(world: World) -> None:
    from aiogram.methods import SetMyCommands

    await site_with_case_manager(world)
    scoped = [
        c.raw
        for c in world.harness.session.calls
        if isinstance(c.raw, SetMyCommands) and getattr(c.raw.scope, "chat_id", None) == STAFF_ID
    ]
    assert [c.command for c in scoped[-1].commands] == [
        "start",
        "today",
        "week",
        "clients",
        "note",
        "notes",
        "invite",
        "availability",
        "offers",
        "console",
        "language",
        "help",
        "cancel",
    ]
    t = world.t("de")

    # Wednesday 10:00 in Berlin: no working hours (only Thursday) -> silent.
    await book_by_buttons(await consented_client(world, 5800, "de"), t, "09:00")
    assert staff_messages(world.harness)[-1].disable_notification is True
    # Thursday 09:15 in Berlin: inside the hours -> with sound.
    world.clock.current = datetime(2026, 11, 26, 8, 15, tzinfo=UTC)
    await add_hours(world, STAFF_ID, weekday=4, hours=(9, 11), address="Rathaus")
    client = await consented_client(world, 5801, "de")
    friday = datetime(2026, 11, 27, 8, 0, tzinfo=UTC)
    await book_by_buttons(client, t, "10:00", day=friday)
    assert staff_messages(world.harness)[-1].disable_notification is False
