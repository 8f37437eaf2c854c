"""Bad input and second taps do not break a step or act twice; staff stay staff."""

from __future__ import annotations

import asyncio

from aiogram.methods import SendMessage
from aiogram.types import ReplyKeyboardMarkup
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.domain import LifeArea, Mode
from handlers import labels, views
from handlers import relay_views as rv
from handlers.client import booking_typed_views as btv
from handlers.client import booking_views as bv
from handlers.staff import views as sv
from storage.models import AppointmentRow, Base, ClientRow
from tests.telegram.harness import Person
from tests.telegram.test_booking_flow import STAFF_ID, site_with_case_manager
from tests.telegram.world import World, consented_client, pick_day


async def _count(engine: AsyncEngine, model: type[Base]) -> int:
    async with engine.connect() as connection:
        return (await connection.execute(select(func.count()).select_from(model))).scalar_one()


async def phone_booking_asks_the_number(world: World, user_id: int, locale: str) -> Person:
    """A case manager at work by phone, and a client who chose a phone appointment about
    the family: the bot asks for their number."""
    t = world.t(locale)
    await site_with_case_manager(world, mode=Mode.PHONE)
    client = await consented_client(world, user_id, locale)
    await client.tap(t.p_("button", "📅 Book an appointment"))
    await client.tap(labels.life_area(t, LifeArea.FAMILY))
    await client.tap(labels.mode(t, Mode.PHONE))
    return client


async def test_text_or_a_sticker_in_the_middle_of_booking_keeps_the_step(world: World) -> None:
    t = world.t("ps")
    await site_with_case_manager(world)
    client = await consented_client(world, 5600, "ps")
    topics = (await client.tap(t.p_("button", "📅 Book an appointment")))[-1]
    # Text that is no topic: the topic step's own one-line hint (issue 19, item 3).
    sent = await client.send("x" * 4000)
    assert sent[-1].text == btv.topic_hint(t, labels.life_area_name(t, LifeArea.HOUSING))
    sent = await client.send_media("sticker")
    assert sent[-1].text == views.not_understood_in_flow(t, "media")
    # The topic buttons above still work.
    sent = await client.tap_on(topics, labels.life_area(t, LifeArea.HOUSING))
    assert sent[-1].labels[0] == labels.mode(t, Mode.IN_PERSON)


async def test_a_typed_phone_number_is_taken_and_a_wrong_one_is_explained(world: World) -> None:
    t = world.t("ar")
    client = await phone_booking_asks_the_number(world, 5601, "ar")
    # The question says that typing the number works too.
    assert client.last_text() == bv.phone_request(t)[0].text
    assert "أو كتابته هنا" in client.last_text()  # "or type it here"
    assert bv.phone_request(world.t("en"))[0].text.endswith("or type it here.")
    # "123" or a word is not a number: said so, with what one looks like; the button stays.
    for typed in ("123", "مرحبا"):
        sent = await client.send(typed)
        assert [s.text for s in sent] == [bv.phone_invalid(t)]
        assert "0176 1234567" in bv.phone_invalid(t)
        raw = sent[0].raw
        assert isinstance(raw, SendMessage) and isinstance(raw.reply_markup, ReplyKeyboardMarkup)
        assert raw.reply_markup.keyboard[0][0].request_contact
    # A sticker asks again; nothing stopped.
    sent = await client.send_media("sticker")
    assert sent[-1].text == bv.phone_request(t)[0].text
    async with world.engine.connect() as connection:
        assert (await connection.execute(select(ClientRow.phone))).scalar_one() is None
    sent = await client.send("0176 / 123 45-67")
    assert sent[0].text == bv.phone_saved(t)
    assert sent[-1].labels  # the day picker
    async with world.engine.connect() as connection:
        assert (await connection.execute(select(ClientRow.phone))).scalar_one() == "01761234567"
    # The case manager's notice says whom to call, and the number.
    await client.tap(sent[-1].labels[0])
    await client.tap("09:30")
    await client.tap(t.p_("button", "Yes, please"))
    sent = await client.tap(t.p_("button", "✅ Book this appointment"))
    de = world.t("de")
    notice = [c.text for c in sent if c.chat_id == STAFF_ID][-1] or ""
    assert labels.staff_how(de, Mode.PHONE, "01761234567") in notice
    assert de._("📞 Your advisor will call you.") not in notice


async def test_stop_on_the_phone_keyboard_stops(world: World) -> None:
    t = world.t("de")
    client = await phone_booking_asks_the_number(world, 5602, "de")
    sent = await client.send(bv.stop_label(t))
    assert sent[0].text == bv.stopped(t)


async def test_a_double_tap_on_confirm_books_once_and_keeps_the_confirmation(world: World) -> None:
    t, harness = world.t("fa_AF"), world.harness
    await site_with_case_manager(world)
    client = await consented_client(world, 5603, "fa_AF")
    await pick_day(client, t, area=LifeArea.HOUSING)  # the first day offered
    await client.tap("09:30")
    await client.tap(t.p_("button", "Yes, please"))
    confirm = next(
        data
        for label, data in harness.session.calls[-1].buttons
        if label == t.p_("button", "✅ Book this appointment")
    )
    first, second = await asyncio.gather(client.press(confirm), client.press(confirm))
    assert await _count(world.engine, AppointmentRow) == 1
    texts = [s.text or "" for s in [*first, *second]]
    assert any(x.startswith(t._("✅ Your appointment is booked.")) for x in texts)
    # The second tap is answered as old; no "someone else took this time".
    assert bv.slot_taken(t, [], world.zone).text.split("\n")[0] not in "\n".join(texts)
    assert harness.answers()[-1].text == views.stale_button(t)


async def test_media_first_and_send_it_on_once(world: World) -> None:
    t, harness = world.t("ar"), world.harness
    await site_with_case_manager(world)
    stranger = harness.person(5604, "ar")
    sent = await stranger.send_media("voice")  # before /start: where they stand
    assert sent[-1].labels and "العربية" in " ".join(sent[-1].labels)
    client = await consented_client(world, 5605, "ar")
    sent = await client.send_media("voice")
    offer = sent[-1]
    assert offer.text == rv.offer_to_send(t, 0).text
    data = offer.buttons[0][1]
    voice_id = int(data.split(":")[2])
    await client.press(f"rl:fwd:{voice_id + 1}")  # an id that was never offered
    assert harness.answers()[-1].text == views.stale_button(t)

    def to_staff() -> int:
        return len([c for c in harness.session.calls if c.chat_id == STAFF_ID])

    before = to_staff()
    await client.press(data, message_id=offer.message_id or 1)
    after = to_staff()
    assert after > before  # the header and the copied voice message
    await client.press(data, message_id=offer.message_id or 1)  # a second tap
    assert harness.answers()[-1].text == views.stale_button(t)
    assert to_staff() == after


async def test_delete_needs_the_confirm_step(world: World) -> None:
    t = world.t("fr")
    await site_with_case_manager(world)
    client = await consented_client(world, 5606, "fr")
    await client.press("priv:confirm")  # forged: the question was never asked
    assert world.harness.answers()[-1].text == views.stale_button(t)
    async with world.engine.connect() as connection:
        assert await connection.scalar(
            select(func.count()).select_from(ClientRow).where(ClientRow.telegram_user_id == 5606)
        )


async def test_staff_never_fall_into_a_client_flow(world: World) -> None:
    t = world.t("de")
    manager = await site_with_case_manager(world)
    clients = await _count(world.engine, ClientRow)
    for data in ("zz:foo", "lang:ar", "cons:agree", "menu:book"):
        sent = await manager.press(data)
        assert world.harness.answers()[-1].text == views.stale_button(t)
        assert sent[-1].text == sv.menu(t).text
    assert await _count(world.engine, ClientRow) == clients


async def test_nobody_to_write_to_is_said_before_writing(world: World) -> None:
    t = world.t("fr")
    client = await consented_client(world, 5607, "fr", start="/start")  # no site
    sent = await client.press("menu:write")
    assert sent[-1].text == rv.nobody_to_write_to(t).text
    assert rv.emergency(t) in (sent[-1].text or "")
    # Typed words would go to a person (issue 19); with nobody anywhere, it says so again
    # and nothing pretends to have sent them.
    sent = await client.send("Bonjour")
    assert [s.text for s in sent] == [rv.nobody_to_write_to(t).text]
