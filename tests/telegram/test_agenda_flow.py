"""The agenda through feed_update: /today, marks (client told), cancel, cancel my day,
a note for an appointment, and refusals of stale or foreign buttons."""

from __future__ import annotations

from datetime import UTC, datetime, time

import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.domain import AppointmentStatus, Client, LifeArea, Mode
from bot.i18n import Catalogs
from bot.ports import UnitOfWorkFactory
from bot.services import booking
from bot.services import staff as staff_service
from bot.slots import BookingPolicy
from handlers import labels, views
from handlers.staff import agenda_views as agv
from handlers.staff import note_views as nv
from storage.models import AppointmentRow
from tests.fakes import FakeClock
from tests.helpers import id_of
from tests.telegram.harness import Person, TelegramHarness
from tests.telegram.test_notes_flow import _client_of, _manager

STAFF_ID = 820
NOON = datetime(2026, 11, 25, 11, 0, tzinfo=UTC)  # 12:00 in Berlin, Wednesday


async def _day_with_two(
    harness: TelegramHarness,
    uow_factory: UnitOfWorkFactory,
    clock: FakeClock,
    policy: BookingPolicy,
    locale: str = "de",
) -> tuple[Person, Client, Client]:
    manager = await _manager(harness, uow_factory, clock, "essen", STAFF_ID, locale)
    await staff_service.add_hours(
        uow_factory,
        telegram_user_id=STAFF_ID,
        weekday=2,
        start=time(12),
        end=time(14),
        slot_minutes=30,
        mode=Mode.IN_PERSON,
        address="Rathaus",
    )
    staff = await staff_service.active_staff(uow_factory, STAFF_ID)
    assert staff is not None
    first = await _client_of(uow_factory, clock, STAFF_ID, 1, "Ahmad K.")
    second = await _client_of(uow_factory, clock, STAFF_ID, 2, "Samira")
    async with uow_factory() as uow:  # the second client reads Arabic
        second.locale = "ar"
        await uow.clients.update(second)
        await uow.commit()
    for client, minute in ((first, 0), (second, 30)):
        await booking.book_appointment(
            uow_factory,
            clock,
            policy,
            client_id=id_of(client),
            staff_id=id_of(staff),
            starts_at=NOON.replace(minute=minute),
            topic=LifeArea.HOUSING,
            interpreter="fa_AF" if minute == 0 else None,
        )
    return manager, first, second


@pytest.mark.parametrize("locale", ["de", "fa_AF"])
async def test_today_lists_and_marks_a_no_show(
    harness: TelegramHarness,
    catalogs: Catalogs,
    uow_factory: UnitOfWorkFactory,
    clock: FakeClock,
    engine: AsyncEngine,
    policy: BookingPolicy,
    locale: str,
) -> None:
    t = catalogs.translator(locale)
    manager, first, _ = await _day_with_two(harness, uow_factory, clock, policy, locale)
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
    clock.advance(hours=2, minutes=10)
    await manager.send("/today")
    await manager.tap("Ahmad K.")
    sent = await manager.tap(t.p_("button", "❌ Did not come"))
    ct = catalogs.translator("fa_AF")
    told = [s for s in sent if s.chat_id == first.chat_id]
    assert told and told[-1].text == agv.client_missed(ct, labels.when(ct, NOON, policy.zone)).text
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


async def test_cancel_my_day_tells_every_client_in_their_language(
    harness: TelegramHarness,
    catalogs: Catalogs,
    uow_factory: UnitOfWorkFactory,
    clock: FakeClock,
    engine: AsyncEngine,
    policy: BookingPolicy,
) -> None:
    t = catalogs.translator("de")
    manager, first, second = await _day_with_two(harness, uow_factory, clock, policy)
    await manager.send("/today")
    # A confirmation left over from another day cancels nothing.
    sent = await manager.press("ag:cdayok:0:2026-11-24")
    assert harness.answers()[-1].text == views.stale_button(t)
    assert [s for s in sent if s.chat_id in (first.chat_id, second.chat_id)] == []
    await manager.send("/today")
    await manager.tap(t.p_("button", "🤒 Cancel my day"))
    sent = await manager.tap(t.p_("button", "🤒 Yes, cancel my day"))
    for client, minute in ((first, 0), (second, 30)):
        ct = catalogs.translator(client.locale)
        expected = agv.client_staff_ill(
            ct, labels.when(ct, NOON.replace(minute=minute), policy.zone)
        )
        got = [s for s in sent if s.chat_id == client.chat_id]
        assert got and got[-1].text == expected.text
        assert ct.p_("button", "📅 Book an appointment") in got[-1].labels
    assert agv.day_cancelled(t, 2) in [s.text for s in sent]
    async with engine.connect() as connection:
        rows = (
            (await connection.execute(select(AppointmentRow.status, AppointmentRow.cancel_reason)))
            .tuples()
            .all()
        )
    assert rows == [("cancelled", "staff_ill")] * 2
    # A second confirmation cancels nothing more and tells nobody again.
    sent = await manager.press(f"ag:cdayok:0:{NOON.date().isoformat()}")
    assert [s for s in sent if s.chat_id in (first.chat_id, second.chat_id)] == []


async def test_a_note_for_this_appointment_and_foreign_buttons(
    harness: TelegramHarness,
    catalogs: Catalogs,
    uow_factory: UnitOfWorkFactory,
    clock: FakeClock,
    engine: AsyncEngine,
    policy: BookingPolicy,
) -> None:
    t = catalogs.translator("de")
    manager, first, _ = await _day_with_two(harness, uow_factory, clock, policy)
    appointment_id = await _appt_id(engine, id_of(first))
    await manager.press(f"ag:view:{appointment_id}:")
    sent = await manager.tap(t.p_("button", "📝 Note for this appointment"))
    # The appointment's topic is chosen already: one tap to the text.
    assert "✅ " + labels.life_area(t, LifeArea.HOUSING) in sent[-1].labels
    await manager.tap(t.p_("button", "✍️ Next: type the note"))
    sent = await manager.send("Mietvertrag besprochen")
    assert "Ahmad K." in (sent[-1].text or "")
    stranger = await _manager(harness, uow_factory, clock, "borken", 821, "de")
    for data in (
        f"ag:view:{appointment_id}:",
        f"ag:att:{appointment_id}:",
        f"ag:cancel:{appointment_id}:",
        f"nt:appt:{appointment_id}:",
    ):
        await stranger.press(data)
        assert harness.answers()[-1].text in (views.stale_button(t), nv.not_found(t))
    async with engine.connect() as connection:
        status = (
            await connection.execute(
                select(AppointmentRow.status).where(AppointmentRow.id == appointment_id)
            )
        ).scalar_one()
    assert status == "booked"
