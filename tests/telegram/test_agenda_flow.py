"""The agenda through feed_update: /today, marks (client told), cancel, cancel my day,
a note for an appointment, and refusals of stale or foreign buttons."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from aiogram.methods import SendDocument
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.domain import AppointmentStatus, Client, LifeArea, Mode
from handlers import labels, views
from handlers.client import booking_views as bv
from handlers.staff import agenda_views as agv
from handlers.staff import note_views as nv
from storage.models import AppointmentRow
from tests.helpers import id_of
from tests.telegram.harness import Person
from tests.telegram.world import (
    World,
    add_hours,
    booked_by_the_service,
    calendar_files,
    case_manager,
    client_of,
)

STAFF_ID = 820
NOON = datetime(2026, 11, 25, 11, 0, tzinfo=UTC)  # 12:00 in Berlin, Wednesday


async def _day_with_two(world: World, locale: str = "de") -> tuple[Person, Client, Client]:
    """The case manager STAFF_ID (reading `locale`) with two appointments today: Ahmad K.
    at 12:00 (with a Dari interpreter) and Samira, who reads Arabic, at 12:30."""
    manager = await case_manager(world, STAFF_ID, locale=locale)
    await add_hours(world, STAFF_ID, weekday=2, hours=(12, 14), address="Rathaus")
    first = await client_of(world, STAFF_ID, 1, "Ahmad K.")
    second = await client_of(world, STAFF_ID, 2, "Samira", locale="ar")
    await booked_by_the_service(world, first, STAFF_ID, NOON, interpreter="fa_AF")
    await booked_by_the_service(world, second, STAFF_ID, NOON.replace(minute=30))
    return manager, first, second


@pytest.mark.parametrize("locale", ["de", "fa_AF"])
async def test_today_lists_and_marks_a_no_show(world: World, locale: str) -> None:
    t, harness, engine = world.t(locale), world.harness, world.engine
    manager, first, _ = await _day_with_two(world, locale)
    sent = await manager.send("/today")
    text = sent[-1].text or ""
    assert "Ahmad K." in text and "Samira" in text
    assert labels.life_area(t, LifeArea.HOUSING) in text and labels.mode(t, Mode.IN_PERSON) in text
    assert labels.language_in(t, "fa_AF") in text  # the interpreter
    sent = await manager.tap("Ahmad K.")
    # Before it begins (10:00, the appointment is at 12:00) there is nothing to mark...
    assert t.p_("button", "❌ Did not come") not in sent[-1].labels
    before = len([s for s in harness.session.calls if s.chat_id == first.chat_id])
    await manager.press(f"ag:noshow:{await _appt_id(engine, id_of(first))}:")  # forged, too early
    assert harness.answers()[-1].text == agv.too_early(t)
    assert len([s for s in harness.session.calls if s.chat_id == first.chat_id]) == before
    # ... and once it has begun, there is.
    world.clock.advance(hours=2, minutes=10)
    await manager.send("/today")
    await manager.tap("Ahmad K.")
    sent = await manager.tap(t.p_("button", "❌ Did not come"))
    ct = world.t("fa_AF")
    told = [s for s in sent if s.chat_id == first.chat_id]
    assert told and told[-1].text == agv.client_missed(ct, labels.when(ct, NOON, world.zone)).text
    async with engine.connect() as connection:
        statuses = dict(
            (await connection.execute(select(AppointmentRow.client_id, AppointmentRow.status)))
            .tuples()
            .all()
        )
    assert statuses[id_of(first)] == AppointmentStatus.NO_SHOW.value
    before = len([s for s in harness.session.calls if s.chat_id == first.chat_id])
    await manager.press(f"ag:noshow:{await _appt_id(engine, id_of(first))}:")  # a second tap
    assert harness.answers()[-1].text == views.stale_button(t)
    assert len([s for s in harness.session.calls if s.chat_id == first.chat_id]) == before


async def _appt_id(engine: AsyncEngine, client_id: int) -> int:
    async with engine.connect() as connection:
        return (
            await connection.execute(
                select(AppointmentRow.id).where(AppointmentRow.client_id == client_id)
            )
        ).scalar_one()


async def test_cancel_my_day_tells_every_client_in_their_language(world: World) -> None:
    t = world.t("de")
    manager, first, second = await _day_with_two(world)
    await manager.send("/today")
    # A confirmation left over from another day cancels nothing.
    sent = await manager.press("ag:cdayok:0:2026-11-24")
    assert world.harness.answers()[-1].text == views.stale_button(t)
    assert [s for s in sent if s.chat_id in (first.chat_id, second.chat_id)] == []
    await manager.send("/today")
    await manager.tap(t.p_("button", "🤒 Cancel my day"))
    sent = await manager.tap(t.p_("button", "🤒 Yes, cancel my day"))
    for client, minute in ((first, 0), (second, 30)):
        ct = world.t(client.locale)
        expected = agv.client_staff_ill(
            ct, labels.when(ct, NOON.replace(minute=minute), world.zone)
        )
        got = [s for s in sent if s.chat_id == client.chat_id]
        told = [s for s in got if s.method == "SendMessage"]
        assert told and told[-1].text == expected.text
        assert ct.p_("button", "📅 Book an appointment") in told[-1].labels
        # With the calendar file that takes it out of their calendar, in their language.
        (file, calendar, event) = calendar_files(got, client.chat_id)[-1]
        assert calendar["method"] == "CANCEL" and event["status"] == "CANCELLED"
        assert event.decoded("dtstart") == NOON.replace(minute=minute)
        assert event["sequence"] == 1  # the booking's file had 0
        assert isinstance(file.raw, SendDocument)
        assert file.raw.caption == bv.calendar_cancel_caption(ct)
    assert agv.day_cancelled(t, 2) in [s.text for s in sent]
    async with world.engine.connect() as connection:
        rows = (
            (await connection.execute(select(AppointmentRow.status, AppointmentRow.cancel_reason)))
            .tuples()
            .all()
        )
    assert rows == [("cancelled", "staff_ill")] * 2
    # A second confirmation cancels nothing more and tells nobody again.
    sent = await manager.press(f"ag:cdayok:0:{NOON.date().isoformat()}")
    assert [s for s in sent if s.chat_id in (first.chat_id, second.chat_id)] == []


async def test_a_note_for_this_appointment_and_foreign_buttons(world: World) -> None:
    t, engine = world.t("de"), world.engine
    manager, first, _ = await _day_with_two(world)
    appointment_id = await _appt_id(engine, id_of(first))
    await manager.press(f"ag:view:{appointment_id}:")
    sent = await manager.tap(t.p_("button", "📝 Note for this appointment"))
    # The appointment's topic is chosen already: one tap to the text.
    assert "✅ " + labels.life_area(t, LifeArea.HOUSING) in sent[-1].labels
    await manager.tap(t.p_("button", "✍️ Next: type the note"))
    sent = await manager.send("Mietvertrag besprochen")
    assert "Ahmad K." in (sent[-1].text or "")
    stranger = await case_manager(world, 821, slug="borken")
    for data in (
        f"ag:view:{appointment_id}:",
        f"ag:att:{appointment_id}:",
        f"ag:cancel:{appointment_id}:",
        f"nt:appt:{appointment_id}:",
    ):
        await stranger.press(data)
        assert world.harness.answers()[-1].text in (views.stale_button(t), nv.not_found(t))
    async with engine.connect() as connection:
        status = (
            await connection.execute(
                select(AppointmentRow.status).where(AppointmentRow.id == appointment_id)
            )
        ).scalar_one()
    assert status == "booked"


@pytest.mark.parametrize("locale", ["de", "ps"])
async def test_an_expired_reminder_shows_in_the_agenda(world: World, locale: str) -> None:
    from sqlalchemy import update

    from storage.models import ReminderRow

    t = world.t(locale)
    manager, first, _ = await _day_with_two(world, locale)
    warning = t._("⚠️ The reminder did not reach the person. Please remind them yourself.")
    assert warning not in ((await manager.send("/today"))[-1].text or "")
    appointment_id = await _appt_id(world.engine, id_of(first))
    async with world.engine.begin() as connection:
        await connection.execute(
            update(ReminderRow)
            .where(ReminderRow.appointment_id == appointment_id)
            .values(status="expired")
        )
    text = (await manager.send("/today"))[-1].text or ""
    ahmad, samira = text.split("Samira")[0], text.split("Samira")[1]
    assert warning in ahmad and warning not in samira  # under Ahmad's appointment only
