"""Inside a booking, typed text that fits the step is taken (issue 19, item 3): a topic, a
day, a time, for a client booking, a client moving an appointment, and a case manager
booking for a client. Text that does not fit gets one line for that step and a way out,
and the step's buttons above still work. Nothing of the text reaches the logs."""

from __future__ import annotations

import logging
from datetime import timedelta

import pytest
from sqlalchemy import select

from bot.domain import LifeArea, Mode
from bot.formatting import format_clock
from bot.i18n import Translator
from handlers import labels, views
from handlers.client import booking_typed_views as btv
from handlers.client import booking_views as bv
from handlers.staff import client_views as scv
from storage.models import AppointmentRow
from tests.helpers import id_of
from tests.telegram.harness import Person, Sent
from tests.telegram.test_booking_flow import STAFF_ID, site_with_case_manager
from tests.telegram.world import (
    BERLIN_THURSDAY_9,
    World,
    book_by_buttons,
    client_of,
    consented_client,
)

THURSDAY_930 = BERLIN_THURSDAY_9 + timedelta(minutes=30)
THURSDAY_1030 = BERLIN_THURSDAY_9 + timedelta(minutes=90)


async def _appointments(world: World) -> list[tuple[object, ...]]:
    async with world.engine.connect() as connection:
        rows = await connection.execute(
            select(
                AppointmentRow.starts_at,
                AppointmentRow.topic,
                AppointmentRow.status,
                AppointmentRow.booked_by,
            ).order_by(AppointmentRow.id)
        )
        return [tuple(row) for row in rows]


def _back_to_menu(sent: Sent, t: Translator) -> bool:
    return sent.labels == [t.p_("button", "⬅️ Back to the menu")]


async def _booking(world: World, user_id: int, locale: str) -> tuple[Person, Sent]:
    """A consented client of Essen at the topic step; with the topic screen."""
    await site_with_case_manager(world)
    client = await consented_client(world, user_id, locale)
    topics = (await client.tap(world.t(locale).p_("button", "📅 Book an appointment")))[-1]
    return client, topics


#: Per language: a topic, a day and a time as a client types them.
TYPED = {
    "de": ("ich brauche eine Wohnung", "Donnerstag", "9.30 Uhr"),
    "fa_AF": ("مسکن", "پنجشنبه", "۹:۳۰"),
    "ar": ("السكن", "يوم الخميس", "الساعة ٩:٣٠ صباحا"),
    "ps": ("کور", "سبا", "د سهار ۹:۳۰ بجې"),
    "en": ("housing", "thursday", "9:30 am"),
    "fr": ("logement", "demain", "9h30"),
}


@pytest.mark.parametrize("locale", sorted(TYPED))
async def test_a_client_books_by_typing_topic_day_and_time(world: World, locale: str) -> None:
    t, zone = world.t(locale), world.zone
    client, _ = await _booking(world, 6000, locale)
    topic, day, at = TYPED[locale]

    sent = await client.send(topic)
    assert sent[-1].text == bv.mode_picker(t, [Mode.IN_PERSON]).text
    await client.tap(labels.mode(t, Mode.IN_PERSON))
    sent = await client.send(day)
    thursday = labels.day_label(t, BERLIN_THURSDAY_9, zone)
    assert sent[-1].text == t._("🕒 Which time on {day}?", day=thursday)
    assert sent[-1].labels[:4] == ["09:00", "09:30", "10:00", "10:30"]
    sent = await client.send(at)
    assert sent[-1].text == bv.interpreter_question(t).text
    await client.tap(t.p_("button", "No, thank you"))
    sent = await client.tap(t.p_("button", "✅ Book this appointment"))
    assert any((s.text or "").startswith(t._("✅ Your appointment is booked.")) for s in sent)
    assert await _appointments(world) == [(THURSDAY_930, "housing", "booked", "client")]


async def test_text_that_does_not_fit_gets_the_steps_hint_and_the_buttons_still_work(
    world: World,
) -> None:
    t, zone = world.t("de"), world.zone
    client, topics = await _booking(world, 6001, "de")

    # Topic step: a question is no topic.
    sent = await client.send("Ich habe einen Brief vom Jobcenter")
    assert [s.text for s in sent] == [btv.topic_hint(t, labels.life_area_name(t, LifeArea.HOUSING))]
    assert _back_to_menu(sent[0], t)
    modes = (await client.tap_on(topics, labels.life_area(t, LifeArea.LEGAL)))[-1]

    # A step with buttons only says so in one line; its buttons still work.
    sent = await client.send("egal")
    assert [s.text for s in sent] == [btv.buttons_hint(t)]
    assert _back_to_menu(sent[0], t)
    days = (await client.tap_on(modes, labels.mode(t, Mode.IN_PERSON)))[-1]

    # Day step: the hint names a day offered.
    sent = await client.send("nächste Woche")
    assert [s.text for s in sent] == [btv.day_hint(t, labels.weekday(t, 3))]
    assert _back_to_menu(sent[0], t)
    times = (await client.tap_on(days, labels.day_label(t, BERLIN_THURSDAY_9, zone)))[-1]

    # Time step: the hint names the day's first free time.
    sent = await client.send("vielleicht später")
    assert [s.text for s in sent] == [btv.time_hint(t, "09:00")]
    assert _back_to_menu(sent[0], t)
    sent = await client.tap_on(times, "10:30")
    assert sent[-1].text == bv.interpreter_question(t).text
    await client.tap(t.p_("button", "Yes, please"))
    await client.tap(t.p_("button", "✅ Book this appointment"))
    assert await _appointments(world) == [(THURSDAY_1030, "legal", "booked", "client")]


async def test_the_hints_way_out_leads_to_the_menu_and_ends_the_booking(world: World) -> None:
    t = world.t("fa_AF")
    client, _ = await _booking(world, 6002, "fa_AF")
    await client.send("نمیدانم")
    sent = await client.tap(t.p_("button", "⬅️ Back to the menu"))
    assert sent[-1].text == views.main_menu(t).text
    # The booking is over: a topic typed now is no longer taken as one.
    sent = await client.send("مسکن")
    assert sent[-1].text != bv.mode_picker(t, [Mode.IN_PERSON]).text


async def test_a_typed_day_without_free_times_says_so_and_keeps_the_days(world: World) -> None:
    t, zone = world.t("ar"), world.zone
    client, _ = await _booking(world, 6003, "ar")
    await client.tap(labels.life_area(t, LifeArea.WORK))
    await client.tap(labels.mode(t, Mode.IN_PERSON))

    sent = await client.send("الاثنين")  # Monday: no hours
    head = btv.no_free_day(t, labels.weekday(t, 0))
    assert [s.text for s in sent] == [f"{head}\n\n{bv.day_picker(t, [], zone).text}"]
    assert labels.day_label(t, BERLIN_THURSDAY_9, zone) in sent[0].labels
    # A date without hours, typed with Arabic digits: the same, with the date named.
    sent = await client.send("٣٠/١١")
    assert (sent[0].text or "").startswith(btv.no_free_day(t, "")[:8])
    # The day buttons of the answer work, and so does typing a day offered.
    sent = await client.tap(labels.day_label(t, BERLIN_THURSDAY_9, zone))
    assert sent[-1].labels[:2] == ["09:00", "09:30"]
    assert await _appointments(world) == []


async def test_a_typed_time_not_free_offers_the_nearest_free_times(world: World) -> None:
    t, zone = world.t("en"), world.zone
    client, _ = await _booking(world, 6004, "en")
    await client.tap(labels.life_area(t, LifeArea.WORK))
    await client.tap(labels.mode(t, Mode.IN_PERSON))
    await client.send("thursday")

    sent = await client.send("2:30 pm")
    wanted = BERLIN_THURSDAY_9.replace(hour=13, minute=30)  # 14:30 in Berlin
    head = btv.time_not_free(
        t, format_clock(wanted, "en", zone), labels.day_label(t, BERLIN_THURSDAY_9, zone)
    )
    closest = t._("Here are the free times closest to the one you chose:")
    assert [s.text for s in sent] == [f"{head}\n{closest}"]
    # Nearest first: 10:30 that Thursday, then 10:00.
    assert sent[0].labels[:2] == [
        labels.when(t, THURSDAY_1030, zone),
        labels.when(t, BERLIN_THURSDAY_9 + timedelta(minutes=60), zone),
    ]
    sent = await client.tap(labels.when(t, THURSDAY_1030, zone))
    assert sent[-1].text == bv.interpreter_question(t).text
    await client.tap(t.p_("button", "No, thank you"))
    await client.tap(t.p_("button", "✅ Book this appointment"))
    assert await _appointments(world) == [(THURSDAY_1030, "work", "booked", "client")]


async def test_a_client_moves_an_appointment_by_typing(world: World) -> None:
    t, zone = world.t("ps"), world.zone
    await site_with_case_manager(world)
    client = await consented_client(world, 6005, "ps")
    await book_by_buttons(client, t, "09:00", area=LifeArea.FAMILY)
    await client.tap(t.p_("button", "🗓 My appointments"))
    await client.tap(labels.when(t, BERLIN_THURSDAY_9, zone))
    await client.tap(t.p_("button", "🔁 Change the time"))

    sent = await client.send("بله")  # "yes": no day
    assert [s.text for s in sent] == [btv.day_hint(t, labels.weekday(t, 3))]
    sent = await client.send("پنجشنبه")
    assert "10:30" in sent[-1].labels
    summary = (await client.send("۱۰:۳۰"))[-1]
    assert t.p_("button", "✅ Book this appointment") in summary.labels
    assert labels.when(t, THURSDAY_1030, zone) in (summary.text or "")
    sent = await client.send("هو")  # the summary has buttons only
    assert [s.text for s in sent] == [btv.buttons_hint(t)]
    await client.tap_on(summary, t.p_("button", "✅ Book this appointment"))
    assert await _appointments(world) == [(THURSDAY_1030, "family", "booked", "client")]


async def test_a_case_manager_books_for_a_client_by_typing(world: World) -> None:
    t, zone = world.t("de"), world.zone
    manager = await site_with_case_manager(world)
    client = await client_of(world, STAFF_ID, 6006, "Mina", locale="fa_AF")
    await manager.press(f"sc:book:{id_of(client)}:")

    sent = await manager.send("Wohnen")
    assert sent[-1].text == scv.modes(t, id_of(client), [Mode.IN_PERSON]).text
    await manager.tap(labels.mode(t, Mode.IN_PERSON))
    sent = await manager.send("was auch immer")
    assert [s.text for s in sent] == [btv.day_hint(t, labels.weekday(t, 3))]
    assert sent[0].labels == [t.p_("button", "⬅️ Back")]  # to the client's entry
    sent = await manager.send("morgen")
    assert sent[-1].labels[:2] == ["09:00", "09:30"]
    sent = await manager.send("11:30")
    assert (sent[-1].text or "").startswith(
        btv.time_not_free(t, "11:30", labels.day_label(t, BERLIN_THURSDAY_9, zone))
    )
    sent = await manager.send("9:30")
    assert sent[-1].text == scv.interpreter(t, client).text
    await manager.tap(t.p_("button", "No, thank you"))
    await manager.tap(t.p_("button", "✅ Book this appointment"))
    assert await _appointments(world) == [(THURSDAY_930, "housing", "booked", "staff")]


async def test_nothing_of_the_typed_text_reaches_the_logs(
    world: World, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    client, _ = await _booking(world, 6007, "de")
    typed = ["Wohnung Geheimstraße", "Wohnung", "Geheimtag", "Donnerstag", "Geheimzeit", "9:30"]
    await client.send(typed[0])
    await client.send(typed[1])
    await client.tap(labels.mode(world.t("de"), Mode.IN_PERSON))
    for text in typed[2:]:
        await client.send(text)
    assert await _appointments(world) == []  # not yet confirmed
    logged = "\n".join(f"{record.getMessage()} {record.__dict__}" for record in caplog.records)
    assert caplog.records  # the flow did log (ids and names)
    for text in ("Geheim", "Wohnung", "Donnerstag"):
        assert text not in logged
