"""What a client types outside a flow (issue 19): a request leads to its screen; any
other words reach a person at once (the advisor, the town's advisors, or after the
client chose a town); nothing of the text is logged or stored in plain."""

from __future__ import annotations

import logging
from html import escape

import pytest
from aiogram.methods import SendMessage
from sqlalchemy import select, text

from handlers import relay_views as rv
from handlers import views
from handlers.client import booking_views as bv
from handlers.client import typed_views as tv
from storage.relay_models import RelayRow
from tests.telegram.harness import Sent
from tests.telegram.world import World, case_manager, client_of, consented_client

STAFF, CLIENT = 850, 5
TEAM = (
    "✅ Sent to the advisors in your town. One of them will answer you here. "
    "You can write more at any time."
)
JOBCENTER = "سلام، یک نامه از جاب سنتر گرفتم، کمک میخواهم"  # the issue's own example


def _texts_to(sent: list[Sent], chat_id: int) -> list[str]:
    return [s.text or "" for s in sent if s.chat_id == chat_id and isinstance(s.raw, SendMessage)]


async def test_a_question_goes_to_the_advisor_at_once(world: World) -> None:
    await case_manager(world, STAFF)
    client = await client_of(world, STAFF, CLIENT, "Ahmad K.")
    ahmad, dari = world.harness.person(CLIENT, "fa"), world.t("fa_AF")
    sent = await ahmad.send(JOBCENTER)
    to_staff = _texts_to(sent, STAFF)
    assert len(to_staff) == 1 and JOBCENTER in to_staff[0] and "Ahmad K." in to_staff[0]
    ack = _texts_to(sent, CLIENT)[-1]
    assert ack.startswith(dari._("✅ Sent to your advisor. You can write more at any time."))
    async with world.engine.connect() as connection:
        rows = (await connection.execute(select(RelayRow.direction, RelayRow.client_id))).all()
    assert [tuple(r) for r in rows] == [("in", client.id)]


async def test_without_an_advisor_the_towns_advisors_get_it(world: World) -> None:
    await case_manager(world, STAFF)  # of Essen
    person = await consented_client(world, CLIENT, "ar")  # came by Essen's link
    arabic = world.t("ar")
    question = "عندي رسالة من المحكمة ولا أفهمها"  # I have a letter from the court
    sent = await person.send(question)
    assert any(question in t for t in _texts_to(sent, STAFF))
    ack = _texts_to(sent, CLIENT)[-1]
    assert ack.startswith(arabic._(TEAM))


async def test_without_a_town_the_message_waits_for_it_encrypted(world: World) -> None:
    await case_manager(world, STAFF)  # Essen has a case manager
    person = await consented_client(world, CLIENT, "fr", start="/start")  # no town
    fr = world.t("fr")
    first = "J'ai reçu une lettre du Jobcenter, je ne comprends pas"
    sent = await person.send(first)
    assert _texts_to(sent, STAFF) == []  # nobody to send it to yet
    assert person.last_text() == tv.town_first(fr, []).text
    sent = await person.send("Elle est arrivée hier")
    assert _texts_to(sent, CLIENT)[-1] == tv.kept_too(fr)
    async with world.engine.connect() as connection:
        raw = await connection.scalar(text("SELECT CAST(data AS TEXT) FROM conversations"))
    assert raw is not None and "Jobcenter" not in raw  # kept, but never in plain text
    sent = await person.tap("Essen")
    to_staff = "\n".join(_texts_to(sent, STAFF))
    assert escape(first) in to_staff and "Elle est arrivée hier" in to_staff
    assert _texts_to(sent, CLIENT)[-1].startswith(fr._(TEAM))
    async with world.engine.connect() as connection:
        left = await connection.scalar(text("SELECT count(*) FROM conversations"))
    assert left == 0  # nothing of it stays behind
    sent = await person.press("rl:town:1")  # a second tap
    assert _texts_to(sent, STAFF) == []


async def test_a_waiting_message_can_be_dropped(world: World) -> None:
    await case_manager(world, STAFF)
    person = await consented_client(world, CLIENT, "ps", start="/start")
    pashto = world.t("ps")
    await person.send("زه له جاب سنټر څخه یو لیک لرم")
    sent = await person.tap(pashto.p_("button", "✖️ Do not send it"))
    assert _texts_to(sent, STAFF) == []
    assert person.last_text() == views.main_menu(pashto, intro=tv.not_sent(pashto)).text


async def test_nobody_anywhere_is_said_so(world: World) -> None:
    person = await consented_client(world, CLIENT, "de", start="/start")  # no site at all
    await person.send("Ich brauche Hilfe mit einem Brief vom Amt")
    assert person.last_text() == rv.nobody_to_write_to(world.t("de")).text


@pytest.mark.parametrize(
    ("locale", "typed", "screen"),
    [
        ("en", "I want to book an appointment", "topics"),
        ("de", "termin machen", "topics"),
        ("en", "my appointments", "appointments"),
        ("en", "change language", "language"),
        ("de", "Hilfe", "help"),
    ],
)
async def test_a_typed_request_opens_its_screen(
    world: World, locale: str, typed: str, screen: str
) -> None:
    await case_manager(world, STAFF)
    await client_of(world, STAFF, CLIENT, "Ahmad K.", locale=locale)
    person, t = world.harness.person(CLIENT, locale[:2]), world.t(locale)
    sent = await person.send(typed)
    expected = {
        "topics": bv.topic_picker(t).text,
        "appointments": bv.appointment_list(t, [], world.settings.zone).text,
        "language": views.language_picker(t, guessed=(locale,), current=locale).text,
        "help": views.main_menu(t, intro=views.help_text(t)).text,
    }[screen]
    assert person.last_text() == expected
    assert _texts_to(sent, STAFF) == []  # a request is not a message for the advisor


async def test_nothing_typed_before_consent_is_kept_or_sent(world: World) -> None:
    await case_manager(world, STAFF)
    person = world.harness.person(CLIENT, "fa")
    await person.send("/start site-essen")
    sent = await person.send(JOBCENTER)
    assert _texts_to(sent, STAFF) == []
    async with world.engine.connect() as connection:
        raw = await connection.scalar(text("SELECT count(*) FROM relay_messages"))
    assert raw == 0


async def test_the_typed_words_are_in_no_log_line(
    world: World, caplog: pytest.LogCaptureFixture
) -> None:
    await case_manager(world, STAFF)
    await client_of(world, STAFF, CLIENT, "Ahmad K.")
    person = world.harness.person(CLIENT, "fa")
    caplog.set_level(logging.DEBUG)
    await person.send(JOBCENTER)
    await person.send("وقت بگیرم")  # a request: only its name is logged
    logged = "\n".join(f"{r.getMessage()} {r.__dict__}" for r in caplog.records)
    assert "typed" in logged
    for word in ("جاب سنتر", "نامه", "وقت بگیرم"):
        assert word not in logged


async def test_leaving_the_town_question_drops_the_waiting_words(world: World) -> None:
    await case_manager(world, STAFF)
    person = await consented_client(world, CLIENT, "de", start="/start")
    await person.send("Ich habe einen Brief vom Jobcenter bekommen")
    await person.send("/menu")  # away from the question: nothing waits any more
    async with world.engine.connect() as connection:
        left = await connection.scalar(text("SELECT count(*) FROM conversations"))
    assert left == 0
    sent = await person.press("rl:town:1")  # the old town button
    assert _texts_to(sent, STAFF) == []


async def test_a_town_without_staff_any_more_shows_the_towns_as_they_are(world: World) -> None:
    await case_manager(world, STAFF)  # Essen
    await case_manager(world, STAFF + 1, slug="borken")
    person = await consented_client(world, CLIENT, "en", start="/start")
    en = world.t("en")
    await person.send("I got a letter and do not understand it")
    async with world.uow_factory() as uow:
        essen = await uow.sites.by_slug("essen")
        staff = await uow.staff.by_telegram_id(STAFF)
        assert essen is not None and staff is not None
        staff.active = False
        await uow.staff.update(staff)
        await uow.commit()
    sent = await person.press(f"rl:town:{essen.id}")
    assert _texts_to(sent, STAFF) == []
    assert person.last_text() == tv.town_first(en, []).text  # asked again
    assert "Borken" in sent[-1].labels and "Essen" not in sent[-1].labels


async def test_a_leftover_stop_button_is_not_sent_to_the_advisor(world: World) -> None:
    await case_manager(world, STAFF)
    await client_of(world, STAFF, CLIENT, "Ahmad K.", locale="de")
    person = world.harness.person(CLIENT, "de")
    sent = await person.send(bv.stop_label(world.t("de")))
    assert _texts_to(sent, STAFF) == []
    assert person.last_text() == views.main_menu(world.t("de")).text
