"""Which calendar file of an appointment the client has in their chat: remembered when
one is sent, so that the next one (a move, a cancellation) can replace it."""

from __future__ import annotations

from datetime import datetime

from bot.ports import UnitOfWork, UnitOfWorkFactory
from bot.services.updates import Write


def calendar_file_write(appointment_id: int, message_id: int, at: datetime) -> Write:
    """The calendar file of the appointment went out as message `message_id` at `at`: as
    a write that can wait for the end of the update (handlers.plumbing.deferred)."""

    async def write(uow: UnitOfWork) -> None:
        await uow.appointments.remember_calendar_file(appointment_id, message_id, at)

    return write


async def calendar_file_sent(
    uow_factory: UnitOfWorkFactory, *, appointment_id: int, message_id: int, at: datetime
) -> None:
    """calendar_file_write at once, in a transaction of its own (outside an update)."""
    async with uow_factory() as uow:
        await calendar_file_write(appointment_id, message_id, at)(uow)
        await uow.commit()
