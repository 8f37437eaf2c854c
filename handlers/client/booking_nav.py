"""'Back' and 'Stop' inside booking and moving: one handler per step the button is
pressed in (the FSM state decides where back leads)."""

from __future__ import annotations

from aiogram import Bot, F, Router
from aiogram.filters import StateFilter
from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery

from bot.domain import Client
from bot.i18n import Translator
from handlers import views
from handlers.callbacks import BookCb, BookStep
from handlers.client import booking_views as bv
from handlers.client.booking_steps import BookingDesk, show_days
from handlers.common import show
from handlers.states import BookingSG, MoveSG

BACK = BookCb.filter(F.step == BookStep.BACK)


def booking_nav_router() -> Router:
    router = Router(name="booking-nav")

    @router.callback_query(BookCb.filter(F.step == BookStep.CANCEL))
    async def stop(callback: CallbackQuery, bot: Bot, state: FSMContext, t: Translator) -> None:
        await state.clear()
        await callback.answer()
        await show(callback, bot, views.main_menu(t, intro=bv.stopped(t)))

    @router.callback_query(BACK, StateFilter(BookingSG.day, BookingSG.phone))
    async def back_to_modes(
        callback: CallbackQuery,
        bot: Bot,
        state: FSMContext,
        client: Client,
        t: Translator,
        desk: BookingDesk,
    ) -> None:
        await callback.answer()
        modes = await desk.modes(client, await state.get_data())
        await state.set_state(BookingSG.mode)
        await show(callback, bot, bv.mode_picker(t, modes))

    @router.callback_query(BACK, StateFilter(BookingSG.time))
    async def back_to_days(
        callback: CallbackQuery,
        bot: Bot,
        state: FSMContext,
        client: Client,
        t: Translator,
        desk: BookingDesk,
    ) -> None:
        await callback.answer()
        await show_days(callback, bot, state, client, t, desk)

    @router.callback_query(BACK, StateFilter(MoveSG.time, MoveSG.summary))
    async def back_to_days_of_the_move(
        callback: CallbackQuery,
        bot: Bot,
        state: FSMContext,
        client: Client,
        t: Translator,
        desk: BookingDesk,
    ) -> None:
        await callback.answer()
        await show_days(callback, bot, state, client, t, desk, moving=True)

    @router.callback_query(BACK, StateFilter(BookingSG.interpreter, BookingSG.summary))
    async def back_to_times(
        callback: CallbackQuery,
        bot: Bot,
        state: FSMContext,
        client: Client,
        t: Translator,
        desk: BookingDesk,
    ) -> None:
        await callback.answer()
        data = await state.get_data()
        slots = await desk.on_day(client, data, data.get("day"))
        if not slots:
            await show_days(callback, bot, state, client, t, desk)
            return
        await state.set_state(BookingSG.time)
        await show(callback, bot, bv.time_picker(t, slots, desk.policy.zone))

    @router.callback_query(BACK, StateFilter(BookingSG.mode))
    async def back_to_topics(
        callback: CallbackQuery, bot: Bot, state: FSMContext, t: Translator
    ) -> None:
        await callback.answer()
        await state.set_state(BookingSG.topic)
        await show(callback, bot, bv.topic_picker(t))

    @router.callback_query(BACK)
    async def back_to_menu(
        callback: CallbackQuery, bot: Bot, state: FSMContext, t: Translator
    ) -> None:
        # From the first step (or from no flow at all): the menu.
        await callback.answer()
        await state.clear()
        await show(callback, bot, views.main_menu(t))

    return router
