"""'My appointments': list, details, cancel (with a reason), move (reuses the booking steps)."""

from __future__ import annotations

from aiogram import Bot, F, Router
from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery

from bot.domain import Client
from bot.i18n import Catalogs, Translator
from bot.ports import Clock, UnitOfWorkFactory
from bot.services import booking as booking_service
from bot.slots import BookingPolicy
from handlers import views
from handlers.callbacks import ApptCb, MenuCb
from handlers.client import booking_views as bv
from handlers.client.access import Consented
from handlers.client.booking_steps import show_days
from handlers.common import refuse_button, show
from handlers.notify import outcome_details, tell_case_manager
from handlers.states import BookingSG


def appointments_router() -> Router:
    router = Router(name="appointments")
    router.callback_query.filter(Consented())

    async def _list(
        callback: CallbackQuery,
        bot: Bot,
        client: Client,
        t: Translator,
        uow_factory: UnitOfWorkFactory,
        clock: Clock,
        policy: BookingPolicy,
    ) -> None:
        upcoming = await booking_service.upcoming_appointments(
            uow_factory, clock, client_id=client.id or 0
        )
        await show(callback, bot, bv.appointment_list(t, upcoming, policy.zone))

    @router.callback_query(MenuCb.filter(F.item == "appts"))
    async def my_appointments(
        callback: CallbackQuery,
        bot: Bot,
        state: FSMContext,
        client: Client,
        t: Translator,
        uow_factory: UnitOfWorkFactory,
        clock: Clock,
        policy: BookingPolicy,
    ) -> None:
        await callback.answer()
        await state.clear()
        await _list(callback, bot, client, t, uow_factory, clock, policy)

    @router.callback_query(ApptCb.filter())
    async def appointment_action(
        callback: CallbackQuery,
        callback_data: ApptCb,
        bot: Bot,
        state: FSMContext,
        client: Client,
        t: Translator,
        uow_factory: UnitOfWorkFactory,
        clock: Clock,
        policy: BookingPolicy,
        catalogs: Catalogs,
    ) -> None:
        action = callback_data.action
        if action == "list":
            await callback.answer()
            await _list(callback, bot, client, t, uow_factory, clock, policy)
            return
        try:
            outcome = await booking_service.appointment_for(
                uow_factory, appointment_id=callback_data.id, client_id=client.id
            )
        except booking_service.NotYoursError:
            await refuse_button(callback, bot, t, views.main_menu(t))
            return
        booked = outcome.appointment.status.value == "booked"
        if not booked or outcome.appointment.ends_at <= clock.now():
            await refuse_button(callback, bot, t, views.main_menu(t))
            return
        if action == "view":
            await callback.answer()
            await show(
                callback,
                bot,
                bv.appointment_detail(t, outcome.appointment, outcome_details(t, outcome, policy)),
            )
        elif action == "cancel":
            await callback.answer()
            await show(callback, bot, bv.cancel_question(t, outcome.appointment))
        elif action == "reason":
            if callback_data.value not in bv.CANCEL_REASONS:
                await refuse_button(callback, bot, t, views.main_menu(t))
                return
            try:
                done = await booking_service.cancel_appointment(
                    uow_factory,
                    clock,
                    appointment_id=callback_data.id,
                    client_id=client.id,
                    reason=callback_data.value,
                )
            except (booking_service.NotBookedError, booking_service.NotYoursError):
                await refuse_button(callback, bot, t, views.main_menu(t))
                return
            await callback.answer()
            await show(callback, bot, bv.cancelled(t))
            await tell_case_manager(bot, catalogs, uow_factory, clock, policy, done, "cancelled")
        else:  # move: pick a new day and time of the same case manager
            await callback.answer()
            await state.set_state(BookingSG.day)
            await state.set_data(
                {
                    "move_id": outcome.appointment.id,
                    "move_staff_id": outcome.appointment.staff_id,
                    "topic": outcome.appointment.topic.value,
                    "mode": outcome.appointment.mode.value,
                    "interpreter": outcome.appointment.interpreter,
                }
            )
            await show_days(
                callback,
                bot,
                state,
                client,
                t,
                {"uow_factory": uow_factory, "clock": clock, "policy": policy},
            )

    return router
