"""Booking on a real database: two clients racing for one slot, and a move and cancellations
that change the stored appointments. The rest of the booking logic is tested on the fake
unit of work (tests/unit/test_booking_service.py, tests/unit/test_team_service.py)."""

from __future__ import annotations

import asyncio
from datetime import datetime

import pytest
from sqlalchemy import func, select

from bot.services import booking
from bot.services.booking_calendar import calendar_file_sent
from storage.models import AppointmentRow
from tests.helpers import id_of
from tests.integration.conftest import Db
from tests.unit.service_setup import POLICY, booking_world

BOOKED = select(func.count()).select_from(AppointmentRow).where(AppointmentRow.status == "booked")


async def _free(db: Db, client_id: int) -> set[datetime]:
    slots = await booking.offered_slots(db.uow_factory, db.clock, POLICY, client_id=client_id)
    return {s.starts_at for s in slots}


async def test_two_clients_racing_for_one_slot(db: Db) -> None:
    (thm,), (first, second, _) = await booking_world(db.uow_factory, db.clock)
    slot = (await booking.offered_slots(db.uow_factory, db.clock, POLICY, client_id=id_of(first)))[
        0
    ]

    async def attempt(client_id: int) -> booking.BookingOutcome | booking.SlotTakenError:
        try:
            return await db.book(client_id, id_of(thm), slot.starts_at)
        except booking.SlotTakenError as exc:
            return exc

    results = await asyncio.gather(attempt(id_of(first)), attempt(id_of(second)))
    winners = [r for r in results if isinstance(r, booking.BookingOutcome)]
    losers = [r for r in results if isinstance(r, booking.SlotTakenError)]
    assert len(winners) == 1 and len(losers) == 1
    assert losers[0].alternatives and slot.starts_at not in {
        s.starts_at for s in losers[0].alternatives
    }
    assert await db.scalar(BOOKED) == 1


async def test_move_is_atomic_and_cancel_frees_the_slot(db: Db) -> None:
    (thm,), (client, other, _) = await booking_world(db.uow_factory, db.clock)
    slots = await booking.offered_slots(db.uow_factory, db.clock, POLICY, client_id=id_of(client))
    outcome = await db.book(id_of(client), id_of(thm), slots[0].starts_at)
    taken_by_other = await db.book(id_of(other), id_of(thm), slots[1].starts_at)
    # Moving onto a taken slot fails and changes nothing.
    with pytest.raises((booking.SlotTakenError, booking.SlotUnavailableError)):
        await db.move(outcome, slots[1].starts_at)
    moved, old = await db.move(outcome, slots[2].starts_at)
    assert old == slots[0].starts_at and moved.appointment.starts_at == slots[2].starts_at
    assert moved.appointment.id == outcome.appointment.id
    free = await _free(db, id_of(client))
    assert slots[0].starts_at in free and slots[2].starts_at not in free
    assert await db.scalar(BOOKED) == 2

    async def cancel(appointment: booking.BookingOutcome, reason: str | None = None) -> None:
        await booking.cancel_appointment(
            db.uow_factory,
            db.clock,
            appointment_id=id_of(appointment.appointment),
            client_id=id_of(client),
            reason=reason,
        )

    # A forged appointment id (someone else's) is refused and changes nothing.
    with pytest.raises(booking.NotYoursError):
        await cancel(taken_by_other)
    assert await db.scalar(BOOKED) == 2
    await cancel(outcome, reason="ill")
    with pytest.raises(booking.NotBookedError):  # a second tap
        await cancel(outcome)
    assert slots[2].starts_at in await _free(db, id_of(client))
    assert await db.scalar(BOOKED) == 1


async def test_moves_and_cancellations_raise_the_revision_and_keep_the_calendar_file(
    db: Db,
) -> None:
    """The .ics SEQUENCE (the revision) grows with each change; the last calendar file sent
    is remembered across them (issue 18, item 8)."""
    (thm,), (client, *_) = await booking_world(db.uow_factory, db.clock)
    slots = await booking.offered_slots(db.uow_factory, db.clock, POLICY, client_id=id_of(client))
    outcome = await db.book(id_of(client), id_of(thm), slots[0].starts_at)
    assert outcome.appointment.revision == 0 and outcome.appointment.calendar_message_id is None
    appointment_id = id_of(outcome.appointment)
    await calendar_file_sent(
        db.uow_factory, appointment_id=appointment_id, message_id=123, at=db.clock.now()
    )
    moved, _ = await db.move(outcome, slots[1].starts_at)
    assert moved.appointment.revision == 1
    assert moved.appointment.calendar_message_id == 123
    assert moved.appointment.calendar_sent_at == db.clock.now()
    cancelled = await booking.cancel_appointment(
        db.uow_factory, db.clock, appointment_id=appointment_id, client_id=id_of(client)
    )
    assert cancelled.appointment.revision == 2
    assert cancelled.appointment.calendar_message_id == 123
    async with db.uow_factory() as uow:
        stored = await uow.appointments.get(appointment_id)
    assert stored is not None and stored.revision == 2
