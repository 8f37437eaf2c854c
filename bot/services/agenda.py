"""A case manager's agenda: today and the week, marks, and "cancel my day" (illness)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from bot.domain import (
    Appointment,
    AppointmentStatus,
    CancelReason,
    Client,
    Staff,
)
from bot.ports import Clock, UnitOfWorkFactory
from bot.services.booking import BookingOutcome, NotBookedError, NotYoursError, cancel_appointment
from bot.services.notes import audit

MARKS = {"att": AppointmentStatus.ATTENDED, "noshow": AppointmentStatus.NO_SHOW}


@dataclass(frozen=True)
class AgendaItem:
    appointment: Appointment
    client: Client
    #: A reminder of it expired undelivered (Telegram refused until too late): the case
    #: manager should remind the client themselves.
    reminder_expired: bool = False


def day_bounds(day: date, zone: ZoneInfo, days: int = 1) -> tuple[datetime, datetime]:
    start = datetime.combine(day, time(0), zone)
    return start, datetime.combine(day + timedelta(days=days), time(0), zone)


async def agenda(
    uow_factory: UnitOfWorkFactory, clock: Clock, zone: ZoneInfo, *, staff: Staff, days: int = 1
) -> list[AgendaItem]:
    """Own appointments from the start of today (local) for `days` days, every status."""
    assert staff.id is not None
    start, end = day_bounds(clock.now().astimezone(zone).date(), zone, days)
    async with uow_factory() as uow:
        # Three queries for the whole week, not two per appointment (console benchmark).
        appointments = await uow.appointments.of_staff_between(staff.id, start, end)
        clients = await uow.clients.get_many([a.client_id for a in appointments])
        expired = await uow.reminders.expired_among([a.id for a in appointments if a.id])
        items = [
            AgendaItem(appointment, clients[appointment.client_id], appointment.id in expired)
            for appointment in appointments
            if appointment.client_id in clients and appointment.id is not None
        ]
        await audit(uow, clock, staff, "agenda.read")
        await uow.commit()
    return items


async def appointment_of_staff(
    uow_factory: UnitOfWorkFactory, *, staff: Staff, appointment_id: int
) -> AgendaItem:
    async with uow_factory() as uow:
        appointment = await uow.appointments.get(appointment_id)
        client = await uow.clients.get(appointment.client_id) if appointment else None
    if appointment is None or client is None or client.site_id != staff.site_id:
        raise NotYoursError("appointment", appointment_id)
    return AgendaItem(appointment, client)


class NotStartedError(Exception):
    """Came / did not come, before the appointment began."""


async def mark(
    uow_factory: UnitOfWorkFactory, clock: Clock, *, staff: Staff, appointment_id: int, mark: str
) -> AgendaItem:
    """Attended or no-show; only a booked appointment of the site (a second tap: NotBooked),
    once it has begun (NotStartedError)."""
    status = MARKS[mark]
    item = await appointment_of_staff(uow_factory, staff=staff, appointment_id=appointment_id)
    if item.appointment.starts_at > clock.now():
        raise NotStartedError()
    async with uow_factory() as uow:
        changed = await uow.appointments.set_status(appointment_id, status, clock.now())
        if changed is None:
            raise NotBookedError()
        await uow.reminders.cancel_for(appointment_id)
        await audit(uow, clock, staff, f"appt.{mark}", client_id=item.client.id)
        await uow.commit()
    return AgendaItem(changed, item.client)


async def cancel_my_day(
    uow_factory: UnitOfWorkFactory, clock: Clock, zone: ZoneInfo, *, staff: Staff, day: date
) -> list[BookingOutcome]:
    """Every booked appointment of the day cancelled (reason staff_ill); each one once."""
    assert staff.id is not None
    start, end = day_bounds(day, zone)
    async with uow_factory() as uow:
        booked = await uow.appointments.upcoming_for_staff(staff.id, start, end)
    outcomes = []
    for appointment in booked:
        assert appointment.id is not None
        try:
            outcomes.append(
                await cancel_appointment(
                    uow_factory,
                    clock,
                    appointment_id=appointment.id,
                    staff=staff,
                    reason=CancelReason.STAFF_ILL,
                )
            )
        except (NotBookedError, NotYoursError):
            continue  # cancelled meanwhile (the client, or a second tap)
    return outcomes
