"""Moving an appointment: a new day and time of the same case manager, then confirm.
Started from 'My appointments' (handlers/client/appointments.py); the day, time and
confirm steps are the booking flow's (handlers/client/booking_steps.py) with the
MovingBooker."""

from __future__ import annotations

from aiogram import F, Router
from aiogram.filters import StateFilter
from aiogram.types import CallbackQuery

from handlers.callbacks import BookCb, BookStep
from handlers.client.booker import MovesAnAppointment, MovingBooker
from handlers.client.booking_steps import chosen_time, confirm_step, day_step
from handlers.states import MoveSG

MOVING = StateFilter(MoveSG)


async def time_of_the_move(
    callback: CallbackQuery, callback_data: BookCb, booker: MovingBooker
) -> None:
    """Topic, mode and interpreter stay the appointment's: straight to the summary."""
    slot = await chosen_time(callback, callback_data, booker)
    if slot is None:
        return
    state = booker.turn.state
    await state.set_state(MoveSG.summary)
    await booker.show_summary(callback, await state.get_data(), slot)


def moving_router() -> Router:
    router = Router(name="moving")
    router.callback_query.filter(MovesAnAppointment())
    router.callback_query.register(day_step, BookCb.filter(F.step == BookStep.DAY), MOVING)
    router.callback_query.register(time_of_the_move, BookCb.filter(F.step == BookStep.TIME), MOVING)
    router.callback_query.register(confirm_step, BookCb.filter(F.step == BookStep.CONFIRM), MOVING)
    return router
