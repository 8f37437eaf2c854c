"""Whose free slots a client is offered, and which: the reads under booking and moving
(bot/services/booking.py), inside the caller's unit of work."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from bot.domain import Client, Slot, Staff, StaffRole
from bot.ports import UnitOfWork
from bot.slots import BookingPolicy, free_slots, is_public_holiday, within_hours


async def off_duty(uow: UnitOfWork, staff_id: int, now: datetime, policy: BookingPolicy) -> bool:
    """Outside the staff member's working hours, or a public holiday: notices arrive silently."""
    hours = await uow.hours.for_staff([staff_id])
    return is_public_holiday(now.astimezone(policy.zone).date()) or not within_hours(
        hours, now, policy.zone
    )


async def offered_staff(
    uow: UnitOfWork, client: Client, site_id: int | None, today: date
) -> list[Staff]:
    """Whose slots this client is offered: their own case manager (and a deputy named for
    today), else the site's THM (those who speak the client's language first)."""
    if client.case_manager_id is not None:
        staff = await uow.staff.get(client.case_manager_id)
        if staff is not None and staff.active:
            people = [staff]
            for deputy_id in await uow.deputies.deputies_of(client.case_manager_id, today):
                deputy = await uow.staff.get(deputy_id)
                if deputy is not None and deputy.active and deputy.site_id == staff.site_id:
                    people.append(deputy)
            return people
    site = site_id or client.site_id
    if site is None:
        return []
    people = [s for s in await uow.staff.active_of_site(site) if s.role is StaffRole.THM]
    if not people:
        people = await uow.staff.active_of_site(site)
    return sorted(people, key=lambda s: (client.locale not in s.spoken, s.id or 0))


async def staff_slots(
    uow: UnitOfWork, staff: list[Staff], now: datetime, policy: BookingPolicy
) -> list[Slot]:
    """The free slots of these staff members from now to the horizon, sorted by time; one
    per time and mode, of the first of them who has it."""
    ids = [s.id for s in staff if s.id is not None]
    if not ids:
        return []
    end = now + timedelta(days=policy.horizon_days + 1)
    days_off = await uow.days_off.for_staff(
        ids, now.astimezone(policy.zone).date(), end.astimezone(policy.zone).date()
    )
    taken = await uow.appointments.booked_between(ids, now, end)
    slots = free_slots(
        hours=await uow.hours.for_staff(ids),
        days_off=days_off,
        taken=taken,
        now=now,
        policy=policy,
        # Same time with several case managers: keep the preferred one (language first).
        prefer=ids,
    )
    return slots
