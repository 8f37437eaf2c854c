"""Booking, moving and cancelling appointments.

The same functions run from the client's chat, the case manager's chat, the CLI
and the tests. Double booking is prevented by the database (a partial unique
index on staff and start time), not by a check-then-insert.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime

from bot.domain import (
    Appointment,
    AppointmentStatus,
    AuditEntry,
    CancelReason,
    Client,
    LifeArea,
    Mode,
    Slot,
    Staff,
)
from bot.ports import Clock, DuplicateError, UnitOfWork, UnitOfWorkFactory
from bot.services.audit import Refused
from bot.services.booking_offer import off_duty, offered_staff, staff_slots
from bot.services.reminders import plan_reminders
from bot.services.waitlist_events import freed_by, time_taken
from bot.slots import BookingPolicy, nearest_first


class BookingError(Exception):
    """Base: the reason is the class; handlers turn it into a localised sentence."""


class NoSiteError(BookingError):
    pass


class SlotTakenError(BookingError):
    """Someone else booked the slot first. `alternatives`: the free slots nearest to it
    first."""

    def __init__(self, alternatives: list[Slot]) -> None:
        super().__init__("taken")
        self.alternatives = alternatives


class SlotUnavailableError(BookingError):
    """The slot is not offered (past, too soon, outside hours, forged)."""


class SlotTooSoonError(SlotUnavailableError):
    """The slot starts sooner than the lead time (BOOKING_LEAD) from now: it was offered,
    and time passed while the client looked at it. `alternatives`: the free slots nearest
    to it first."""

    def __init__(self, alternatives: list[Slot]) -> None:
        super().__init__("slot too soon")
        self.alternatives = alternatives


class TooManyAppointmentsError(BookingError):
    pass


class NotYoursError(BookingError, Refused):
    """The appointment (or client) does not belong to the person who pressed the button."""


class NotBookedError(BookingError):
    """Cancelled or moved already (a second tap, a stale button)."""


@dataclass(frozen=True)
class BookingOutcome:
    appointment: Appointment
    client: Client
    staff: Staff
    #: The case manager's notice of this change arrives without a sound: they are off
    #: duty (outside their hours, or a public holiday). Decided here, with the change.
    notice_silent: bool = False


async def _others(
    uow: UnitOfWork, candidates: list[Staff], now: datetime, policy: BookingPolicy, wanted: datetime
) -> list[Slot]:
    """The candidates' free slots, those nearest to the `wanted` start first."""
    return nearest_first(await staff_slots(uow, candidates, now, policy), wanted)


async def _not_offered(
    uow: UnitOfWork,
    candidates: list[Staff],
    staff_id: int,
    starts_at: datetime,
    now: datetime,
    policy: BookingPolicy,
) -> BookingError:
    """Why the slot of `staff_id` at `starts_at` is not offered: too soon now, or taken
    (both with the nearest free slots), or no slot at all."""
    if policy.too_soon(starts_at, now):
        return SlotTooSoonError(await _others(uow, candidates, now, policy, starts_at))
    if await uow.appointments.booked_between([staff_id], starts_at, starts_at):
        return SlotTakenError(await _others(uow, candidates, now, policy, starts_at))
    return SlotUnavailableError("slot")


async def offered_slots(
    uow_factory: UnitOfWorkFactory,
    clock: Clock,
    policy: BookingPolicy,
    *,
    client_id: int,
    site_id: int | None = None,
    mode: Mode | None = None,
    client: Client | None = None,
) -> list[Slot]:
    """The free slots this client is offered. `client`: their record as read in this
    update, if the caller has it (saves a read; booking itself reads it again)."""
    async with uow_factory() as uow:
        if client is None or client.id != client_id:
            client = await uow.clients.get(client_id)
        if client is None:
            return []
        today = clock.now().astimezone(policy.zone).date()
        candidates = await offered_staff(uow, client, site_id, today)
        slots = await staff_slots(uow, candidates, clock.now(), policy)
    return [s for s in slots if mode is None or s.mode is mode]


async def offered_modes(
    uow_factory: UnitOfWorkFactory,
    clock: Clock,
    policy: BookingPolicy,
    *,
    client_id: int,
    site_id: int | None = None,
) -> list[Mode]:
    slots = await offered_slots(uow_factory, clock, policy, client_id=client_id, site_id=site_id)
    return [mode for mode in Mode if any(s.mode is mode for s in slots)]


async def may_book_another(
    uow_factory: UnitOfWorkFactory, clock: Clock, policy: BookingPolicy, *, client_id: int
) -> bool:
    """Fewer open appointments (booked, not over) than MAX_OPEN_APPOINTMENTS: asked when
    the client starts to book, so they are not refused only at the end."""
    async with uow_factory() as uow:
        count = await uow.appointments.count_open_for_client(client_id, clock.now())
    return count < policy.max_open


async def book_appointment(
    uow_factory: UnitOfWorkFactory,
    clock: Clock,
    policy: BookingPolicy,
    *,
    client_id: int,
    staff_id: int,
    starts_at: datetime,
    topic: LifeArea,
    interpreter: str | None = None,
    site_id: int | None = None,
    booked_by: str = "client",
    then: Callable[[UnitOfWork, Appointment], Awaitable[None]] | None = None,
) -> BookingOutcome:
    """Book a slot that is really offered; the loser of a race gets the next free ones.
    `then` runs in the booking's transaction (a waiting-list offer taken with it)."""
    now = clock.now()
    async with uow_factory() as uow:
        client = await uow.clients.get(client_id)
        if client is None or client.id is None:
            raise NotYoursError("client", client_id)
        candidates = await offered_staff(uow, client, site_id, now.astimezone(policy.zone).date())
        if booked_by == "staff":
            # A case manager books for a client of their own site, in their own hours.
            staff_member = await uow.staff.get(staff_id)
            same_site = staff_member is not None and client.site_id == staff_member.site_id
            candidates = (
                [staff_member] if staff_member and staff_member.active and same_site else []
            )
        chosen = [s for s in candidates if s.id == staff_id]
        if not chosen:
            raise SlotUnavailableError("staff")
        if await uow.appointments.count_open_for_client(client.id, now) >= policy.max_open:
            raise TooManyAppointmentsError()
        slots = await staff_slots(uow, chosen, now, policy)
        slot = next((s for s in slots if s.starts_at == starts_at), None)
        if slot is None:
            raise await _not_offered(uow, candidates, staff_id, starts_at, now, policy)
        try:
            appointment = await uow.appointments.add(
                Appointment(
                    id=None,
                    client_id=client.id,
                    staff_id=staff_id,
                    starts_at=slot.starts_at,
                    ends_at=slot.ends_at,
                    mode=slot.mode,
                    topic=topic,
                    address=slot.address,
                    interpreter=interpreter,
                    booked_by=booked_by,
                ),
                now,
            )
        except DuplicateError:
            await uow.rollback()
            raise SlotTakenError(await _others(uow, candidates, now, policy, starts_at)) from None
        # The schedule is the database: reminders are written in the same transaction.
        await plan_reminders(uow, appointment, now, policy)
        if then is not None:
            await then(uow, appointment)
        await time_taken(uow, appointment, now, policy)
        if client.case_manager_id is None:
            client.case_manager_id = staff_id
        if client.site_id is None:
            client.site_id = chosen[0].site_id
        client = await uow.clients.update(client)
        silent = await off_duty(uow, staff_id, now, policy)
        await uow.commit()
        return BookingOutcome(appointment, client, chosen[0], silent)


async def _owned(
    uow: UnitOfWork, appointment_id: int, *, client_id: int | None, staff: Staff | None
) -> Appointment:
    appointment = await uow.appointments.get(appointment_id)
    if appointment is None:
        raise NotYoursError("appointment", appointment_id)
    if client_id is not None and appointment.client_id != client_id:
        raise NotYoursError("appointment", appointment_id)
    if staff is not None:
        owner = await uow.clients.get(appointment.client_id)
        if owner is None or owner.site_id != staff.site_id:
            raise NotYoursError("appointment", appointment_id)
    if client_id is None and staff is None:
        raise NotYoursError("appointment", appointment_id)
    return appointment


async def upcoming_appointments(
    uow_factory: UnitOfWorkFactory, clock: Clock, *, client_id: int
) -> list[Appointment]:
    async with uow_factory() as uow:
        return await uow.appointments.upcoming_for_client(client_id, clock.now())


async def appointment_for(
    uow_factory: UnitOfWorkFactory,
    *,
    appointment_id: int,
    client_id: int | None = None,
    staff: Staff | None = None,
) -> BookingOutcome:
    async with uow_factory() as uow:
        appointment = await _owned(uow, appointment_id, client_id=client_id, staff=staff)
        client = await uow.clients.get(appointment.client_id)
        owner = await uow.staff.get(appointment.staff_id)
        assert client is not None and owner is not None
        return BookingOutcome(appointment, client, owner)


async def cancel_appointment(
    uow_factory: UnitOfWorkFactory,
    clock: Clock,
    *,
    appointment_id: int,
    client_id: int | None = None,
    staff: Staff | None = None,
    reason: str | None = None,
    policy: BookingPolicy | None = None,
) -> BookingOutcome:
    """Cancel a booked appointment (a second tap: NotBookedError). With `policy`, the
    outcome says whether the case manager's notice should be silent."""
    if reason is not None and reason not in set(CancelReason):
        reason = CancelReason.OTHER
    async with uow_factory() as uow:
        await _owned(uow, appointment_id, client_id=client_id, staff=staff)
        appointment = await uow.appointments.set_status(
            appointment_id, AppointmentStatus.CANCELLED, clock.now(), reason
        )
        if appointment is None:
            raise NotBookedError()
        await uow.reminders.cancel_for(appointment_id)
        await freed_by(uow, appointment)  # offered to those waiting at the next tick
        client = await uow.clients.get(appointment.client_id)
        owner = await uow.staff.get(appointment.staff_id)
        now = clock.now()
        silent = policy is not None and await off_duty(uow, appointment.staff_id, now, policy)
        await uow.commit()
        assert client is not None and owner is not None
        return BookingOutcome(appointment, client, owner, silent)


async def move_appointment(
    uow_factory: UnitOfWorkFactory,
    clock: Clock,
    policy: BookingPolicy,
    *,
    appointment_id: int,
    staff_id: int,
    starts_at: datetime,
    client_id: int | None = None,
    staff: Staff | None = None,
) -> tuple[BookingOutcome, datetime]:
    """Move to a new slot in one statement: the old time is freed as the new one is taken.

    Returns the outcome and the old start time.
    """
    now = clock.now()
    async with uow_factory() as uow:
        current = await _owned(uow, appointment_id, client_id=client_id, staff=staff)
        if current.status is not AppointmentStatus.BOOKED:
            raise NotBookedError()
        client = await uow.clients.get(current.client_id)
        assert client is not None
        candidates = await offered_staff(uow, client, None, now.astimezone(policy.zone).date())
        chosen = [s for s in candidates if s.id == staff_id]
        if not chosen:
            raise SlotUnavailableError("staff")
        slot = next(
            (s for s in await staff_slots(uow, chosen, now, policy) if s.starts_at == starts_at),
            None,
        )
        if slot is None:
            raise await _not_offered(uow, candidates, staff_id, starts_at, now, policy)
        try:
            moved = await uow.appointments.reschedule(appointment_id, slot, now)
        except DuplicateError:
            await uow.rollback()
            raise SlotTakenError(await _others(uow, candidates, now, policy, starts_at)) from None
        if moved is None:
            raise NotBookedError()
        await plan_reminders(uow, moved, now, policy)
        await freed_by(uow, current)  # the old time, for those waiting
        await time_taken(uow, moved, now, policy)
        silent = await off_duty(uow, staff_id, now, policy)
        await uow.commit()
        return BookingOutcome(moved, client, chosen[0], silent), current.starts_at


async def staff_is_working(
    uow_factory: UnitOfWorkFactory, clock: Clock, policy: BookingPolicy, *, staff_id: int
) -> bool:
    """Notices outside working hours arrive silently."""
    async with uow_factory() as uow:
        return not await off_duty(uow, staff_id, clock.now(), policy)


async def clients_of_staff_site(uow_factory: UnitOfWorkFactory, *, staff: Staff) -> list[Client]:
    """The site's consented clients, this case manager's own first."""
    async with uow_factory() as uow:
        clients = await uow.clients.of_site(staff.site_id)
    return sorted(clients, key=lambda c: (c.case_manager_id != staff.id, c.id or 0))


async def client_for_staff(
    uow_factory: UnitOfWorkFactory, clock: Clock, *, staff: Staff, client_id: int
) -> tuple[Client, list[Appointment]]:
    """A client of the staff member's site with their upcoming appointments."""
    async with uow_factory() as uow:
        client = await uow.clients.get(client_id)
        if client is None or client.site_id != staff.site_id or not client.has_consented:
            raise NotYoursError("client", client_id)
        upcoming = await uow.appointments.upcoming_for_client(client_id, clock.now())
        # Reading a client's record is audited (who, when, which client).
        await uow.audit.record(
            AuditEntry(
                at=clock.now(),
                staff_id=staff.id,
                site_id=staff.site_id,
                action="client.view",
                client_id=client_id,
            )
        )
        await uow.commit()
        return client, upcoming


async def slots_of_staff(
    uow_factory: UnitOfWorkFactory,
    clock: Clock,
    policy: BookingPolicy,
    *,
    staff: Staff,
    mode: Mode | None = None,
) -> list[Slot]:
    async with uow_factory() as uow:
        slots = await staff_slots(uow, [staff], clock.now(), policy)
    return [s for s in slots if mode is None or s.mode is mode]
