"""/privacy through feed_update: download my data, delete my data (recent bot messages
deleted, the case manager told without details), and no client text in the logs."""

from __future__ import annotations

import json
import logging

import pytest
from aiogram.methods import DeleteMessage, SendDocument, SendMessage
from aiogram.types import BufferedInputFile
from sqlalchemy import select

from bot.domain import Appointment, Client, LifeArea, Mode
from bot.services import booking
from handlers import labels, views
from handlers.client import privacy_views as pv
from storage.models import AppointmentRow, ClientRow
from storage.note_models import BotMessageRow
from tests.helpers import id_of
from tests.telegram.harness import Person
from tests.telegram.world import World, add_hours, booked_by_the_service, case_manager, client_of

STAFF, CLIENT = 850, 3


async def _booked(world: World) -> tuple[Person, Client, Appointment]:
    """The case manager STAFF at work Thursdays by phone, and their client Ahmad K. booked
    in the first slot offered."""
    manager = await case_manager(world, STAFF)
    await add_hours(world, STAFF, weekday=3, hours=(9, 12), mode=Mode.PHONE)
    client = await client_of(world, STAFF, CLIENT, "Ahmad K.")
    slots = await booking.offered_slots(
        world.uow_factory, world.clock, world.policy, client_id=id_of(client)
    )
    appointment = await booked_by_the_service(world, client, STAFF, slots[0].starts_at)
    return manager, client, appointment


async def test_download_my_data(world: World) -> None:
    _, client, appointment = await _booked(world)
    person = world.harness.person(CLIENT, "fa")
    dari = world.t("fa_AF")
    await person.send("/privacy")
    sent = await person.tap(dari.p_("button", "📦 Download my data"))
    summary = [s for s in sent if isinstance(s.raw, SendMessage)][0].text
    assert summary is not None
    assert labels.when(dari, appointment.starts_at, world.zone) in summary
    document = [s.raw for s in sent if isinstance(s.raw, SendDocument)][0].document
    assert isinstance(document, BufferedInputFile)  # the bot uploads the file
    data = json.loads(document.data.decode())
    assert data["clients"][0]["nickname"] == "Ahmad K." and len(data["appointments"]) == 1


async def test_delete_my_data_deletes_recent_messages_and_tells_the_case_manager(
    world: World,
) -> None:
    _, client, appointment = await _booked(world)
    person = world.harness.person(CLIENT, "fa")
    dari, de = world.t("fa_AF"), world.t("de")
    shown = await person.send("/privacy")
    bot_ids = [s.message_id for s in shown if s.chat_id == CLIENT and s.message_id]
    await person.tap(dari.p_("button", "🗑 Delete my data"))
    sent = await person.tap(dari.p_("button", "Yes, delete my data"))
    deleted = {
        s.raw.message_id for s in sent if isinstance(s.raw, DeleteMessage) and s.chat_id == CLIENT
    }
    assert set(bot_ids) <= deleted
    told = [s.text for s in sent if s.chat_id == STAFF and isinstance(s.raw, SendMessage)]
    assert told == [
        pv.staff_told_erased(
            de, cancelled=[appointment.starts_at], notes=0, anonymised=False, zone=world.zone
        )
    ]
    assert told[0] is not None
    assert "Ahmad" not in told[0]
    assert [s.text for s in sent if s.chat_id == CLIENT and isinstance(s.raw, SendMessage)][
        -1
    ] == views.deleted(dari).text
    async with world.engine.connect() as connection:
        assert (await connection.execute(select(ClientRow))).all() == []
        assert (await connection.execute(select(AppointmentRow))).all() == []
        # The goodbye went out, but no row keeps the erased person's chat id.
        chats = (await connection.execute(select(BotMessageRow.chat_id))).scalars().all()
    assert CLIENT not in chats


async def test_no_client_text_in_the_logs(world: World, caplog: pytest.LogCaptureFixture) -> None:
    marker = "Zebrastreifen-Kuchen-4711"
    caplog.set_level(logging.DEBUG)
    manager, client, _ = await _booked(world)
    person = world.harness.person(CLIENT, "fa")
    dari, de = world.t("fa_AF"), world.t("de")
    await person.send(f"hello {marker}")  # free text outside a flow
    await person.press("menu:write")
    sent = await person.send(f"{marker} سلام")
    relayed = [s for s in sent if s.chat_id == STAFF][0]
    assert relayed.message_id is not None
    await manager.reply(f"Antwort {marker}", relayed.message_id)
    await manager.send("/note")
    await manager.tap("Ahmad K.")
    await manager.tap(labels.life_area(de, LifeArea.WORK))
    await manager.tap(de.p_("button", "✍️ Next: type the note"))
    await manager.send(f"Notiz {marker}")
    await person.send(f"/{marker}")
    await person.send("/privacy")
    await person.tap(dari.p_("button", "🗑 Delete my data"))
    await person.tap(dari.p_("button", "Yes, delete my data"))
    assert caplog.records  # the flow did log
    for record in caplog.records:
        assert marker not in record.getMessage()
        assert all(marker not in str(value) for value in record.__dict__.values())


async def test_stats_for_coordinators_only(world: World) -> None:
    from aiogram.methods import SendPhoto

    from bot.domain import StaffRole

    manager, _, _ = await _booked(world)
    de = world.t("de")
    sent = await manager.send("/stats")
    assert sent[-1].text == de._("📊 Statistics are for coordinators.")
    coordinator = await case_manager(world, 851, role=StaffRole.COORDINATOR)
    for locale in ("de", "ar"):
        if locale != "de":
            await coordinator.press(f"st:setlang:{locale}")
        sent = await coordinator.send("/stats")
        assert any(isinstance(s.raw, SendPhoto) for s in sent)
        text = sent[-1].text or ""
        assert "<5" in text and "Ahmad" not in text
