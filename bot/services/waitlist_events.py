"""The waiting list's domain events, written in the transaction of the change itself:
times came free (a cancellation, "cancel my day", a move, new hours, a day off taken
back, an erased client's appointments), or a time was booked (offers of it are gone).
Kept apart from bot/services/waitlist.py, which books through the booking service."""

from __future__ import annotations

from datetime import datetime

from bot.domain import Appointment, FreedTimes
from bot.ports import UnitOfWork
from bot.slots import BookingPolicy


async def times_freed(uow: UnitOfWork, freed: FreedTimes) -> None:
    """Times of a staff member may have come free: offers are made from this at the next
    tick of the scheduler (bot.services.waitlist.offer_freed_times)."""
    await uow.waitlist.record_freed(freed)


async def freed_by(uow: UnitOfWork, appointment: Appointment) -> None:
    """An appointment's time came free (cancelled, moved away, its client erased)."""
    await times_freed(
        uow, FreedTimes(appointment.staff_id, appointment.starts_at, appointment.ends_at)
    )


async def time_taken(
    uow: UnitOfWork, appointment: Appointment, now: datetime, policy: BookingPolicy
) -> None:
    """A time was booked: waiting clients who were offered it are told it is gone (out of
    quiet hours); offers of it not sent yet are dropped."""
    due = now
    if policy.quiet is not None and policy.quiet.contains(now):
        due = policy.quiet.ends_after(now)
    await uow.waitlist.others_lost(appointment.staff_id, appointment.starts_at, None, due)
