"""Moving an appointment: a new day and time of the same case manager, then confirm.
Started from 'My appointments' (handlers/client/appointments.py); the day, time and
confirm steps are the booking flow's (handlers/client/booking_steps.py, and typed:
handlers/client/booking_typed.py) with the MovingBooker."""

from __future__ import annotations

from aiogram import F, Router
from aiogram.filters import StateFilter
from aiogram.types import CallbackQuery, Message

from bot.domain import Slot
from handlers.callbacks import BookCb, BookStep
from handlers.client.access import Consented
from handlers.client.booker import MovesAnAppointment, MovingBooker
from handlers.client.booker_protocol import Where
from handlers.client.booking_steps import chosen_time, confirm_step, day_step
from handlers.client.booking_typed import TYPED, buttons_only, day_typed, typed_slot
from handlers.states import MoveSG

MOVING = StateFilter(MoveSG)


async def time_of_the_move(
    callback: CallbackQuery, callback_data: BookCb, booker: MovingBooker
) -> None:
    """Topic, mode and interpreter stay the appointment's: straight to the summary."""
    slot = await chosen_time(callback, callback_data, booker)
    if slot is None:
        return
    await _to_the_summary(callback, booker, slot)


async def time_of_the_move_typed(message: Message, booker: MovingBooker) -> None:
    """A time typed for the move ("14:30"): the summary, as after a tap."""
    slot = await typed_slot(message, booker)
    if slot is not None:
        await _to_the_summary(message, booker, slot)


async def _to_the_summary(where: Where, booker: MovingBooker, slot: Slot) -> None:
    """Topic, mode and interpreter stay the appointment's: straight to the summary."""
    state = booker.turn.state
    await state.set_state(MoveSG.summary)
    await booker.show_summary(where, await state.get_data(), slot)


def moving_router() -> Router:
    router = Router(name="moving")
    router.callback_query.filter(MovesAnAppointment())
    router.callback_query.register(day_step, BookCb.filter(F.step == BookStep.DAY), MOVING)
    router.callback_query.register(time_of_the_move, BookCb.filter(F.step == BookStep.TIME), MOVING)
    router.callback_query.register(confirm_step, BookCb.filter(F.step == BookStep.CONFIRM), MOVING)
    # Typed instead of tapped; messages pass no router filter, so consent is checked here.
    booker = (Consented(), MovesAnAppointment())
    router.message.register(day_typed, MoveSG.day, *TYPED, *booker)
    router.message.register(time_of_the_move_typed, MoveSG.time, *TYPED, *booker)
    router.message.register(buttons_only, MoveSG.summary, *TYPED, *booker)
    return router
