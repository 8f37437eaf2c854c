"""Moving an appointment: a new day and time of the same case manager, then confirm.
Started from 'My appointments' (handlers/client/appointments.py); the day and time
steps are the booking flow's (handlers/client/booking_steps.py)."""

from __future__ import annotations

from aiogram import Bot, F, Router
from aiogram.filters import StateFilter
from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery

from bot.domain import Client
from bot.i18n import Catalogs, Translator
from bot.services import booking as booking_service
from handlers import views
from handlers.callbacks import BookCb, BookStep
from handlers.client.booking_confirm import confirmed
from handlers.client.booking_steps import (
    BookingDesk,
    chosen_time,
    parse_slot_value,
    pick_day,
)
from handlers.common import refuse_button, show
from handlers.states import MoveSG

MOVING = StateFilter(MoveSG)


def moving_router() -> Router:
    router = Router(name="moving")

    @router.callback_query(BookCb.filter(F.step == BookStep.DAY), MOVING)
    async def day(
        callback: CallbackQuery,
        callback_data: BookCb,
        bot: Bot,
        state: FSMContext,
        client: Client,
        t: Translator,
        desk: BookingDesk,
    ) -> None:
        await pick_day(callback, callback_data, bot, state, client, t, desk, moving=True)

    @router.callback_query(BookCb.filter(F.step == BookStep.TIME), MOVING)
    async def time(
        callback: CallbackQuery,
        callback_data: BookCb,
        bot: Bot,
        state: FSMContext,
        client: Client,
        t: Translator,
        desk: BookingDesk,
    ) -> None:
        slot = await chosen_time(callback, callback_data, bot, state, client, t, desk, moving=True)
        if slot is None:
            return
        data = await state.get_data()
        # Topic, mode and interpreter stay the appointment's: straight to the summary.
        await state.set_state(MoveSG.summary)
        await show(callback, bot, desk.summary(t, data, slot))

    @router.callback_query(BookCb.filter(F.step == BookStep.CONFIRM), MOVING)
    async def confirm(
        callback: CallbackQuery,
        bot: Bot,
        state: FSMContext,
        client: Client,
        t: Translator,
        desk: BookingDesk,
        catalogs: Catalogs,
    ) -> None:
        data = await state.get_data()
        parsed = parse_slot_value(data.get("slot") or "")
        if parsed is None or not data.get("topic") or not data.get("move_id"):
            await refuse_button(callback, bot, t, views.main_menu(t))
            return
        attempt = booking_service.move_appointment(
            desk.uow_factory,
            desk.clock,
            desk.policy,
            appointment_id=int(data["move_id"]),
            staff_id=parsed[0],
            starts_at=parsed[1],
            client_id=client.id,
        )
        await confirmed(callback, bot, state, t, desk, catalogs, attempt, data, moving=True)

    return router
