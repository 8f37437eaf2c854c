"""'Back' and 'Stop' inside booking and moving: one handler per step the button is
pressed in (the FSM state decides where back leads)."""

from __future__ import annotations

from aiogram import F, Router
from aiogram.filters import StateFilter
from aiogram.types import CallbackQuery

from handlers import views
from handlers.callbacks import BookCb, BookStep
from handlers.client import booking_views as bv
from handlers.client.access import ClientTurn
from handlers.client.booking_steps import BookingDesk, show_days
from handlers.common import show
from handlers.states import BookingSG, MoveSG

BACK = BookCb.filter(F.step == BookStep.BACK)


def booking_nav_router() -> Router:
    """Under the booking router, whose Consented filter hands over the turn."""
    router = Router(name="booking-nav")

    @router.callback_query(BookCb.filter(F.step == BookStep.CANCEL))
    async def stop(callback: CallbackQuery, turn: ClientTurn) -> None:
        await turn.state.clear()
        await turn.show(callback, views.main_menu(turn.t, intro=bv.stopped(turn.t)))

    @router.callback_query(BACK, StateFilter(BookingSG.day, BookingSG.phone))
    async def back_to_modes(callback: CallbackQuery, turn: ClientTurn, desk: BookingDesk) -> None:
        await callback.answer()
        modes = await desk.modes(turn.client, await turn.state.get_data())
        await turn.state.set_state(BookingSG.mode)
        await show(callback, turn.bot, bv.mode_picker(turn.t, modes))

    @router.callback_query(BACK, StateFilter(BookingSG.time))
    async def back_to_days(callback: CallbackQuery, turn: ClientTurn, desk: BookingDesk) -> None:
        await callback.answer()
        await show_days(callback, turn, desk)

    @router.callback_query(BACK, StateFilter(MoveSG.time, MoveSG.summary))
    async def back_to_days_of_the_move(
        callback: CallbackQuery, turn: ClientTurn, desk: BookingDesk
    ) -> None:
        await callback.answer()
        await show_days(callback, turn, desk, moving=True)

    @router.callback_query(BACK, StateFilter(BookingSG.interpreter, BookingSG.summary))
    async def back_to_times(callback: CallbackQuery, turn: ClientTurn, desk: BookingDesk) -> None:
        await callback.answer()
        data = await turn.state.get_data()
        slots = await desk.on_day(turn.client, data, data.get("day"))
        if not slots:
            await show_days(callback, turn, desk)
            return
        await turn.state.set_state(BookingSG.time)
        screen = bv.time_picker(turn.t, slots, turn.policy.zone, wish=True)
        await show(callback, turn.bot, screen)

    @router.callback_query(BACK, StateFilter(BookingSG.mode))
    async def back_to_topics(callback: CallbackQuery, turn: ClientTurn) -> None:
        await callback.answer()
        await turn.state.set_state(BookingSG.topic)
        await show(callback, turn.bot, bv.topic_picker(turn.t))

    @router.callback_query(BACK)
    async def back_to_menu(callback: CallbackQuery, turn: ClientTurn) -> None:
        # From the first step (or from no flow at all): the menu.
        await callback.answer()
        await turn.state.clear()
        await show(callback, turn.bot, views.main_menu(turn.t))

    return router
