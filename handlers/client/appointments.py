"""'My appointments': the list, one appointment, cancelling it (with a reason), moving it
(the day and time steps of handlers/client/moving.py). One handler per button."""

from __future__ import annotations

from aiogram import Bot, F, Router
from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery

from bot.domain import AppointmentStatus, CancelReason, Client
from bot.i18n import Catalogs, Translator
from bot.services import booking as booking_service
from bot.services.booking import BookingOutcome
from handlers import views
from handlers.callbacks import ApptAction, ApptCb, MenuCb, MenuItem
from handlers.client import booking_views as bv
from handlers.client.access import Consented
from handlers.client.booking_steps import BookingDesk, show_days
from handlers.common import refuse_button, show
from handlers.notify import outcome_details, tell_case_manager
from handlers.states import MoveSG


async def _show_list(
    callback: CallbackQuery, bot: Bot, client: Client, t: Translator, desk: BookingDesk
) -> None:
    upcoming = await booking_service.upcoming_appointments(
        desk.uow_factory, desk.clock, client_id=client.id or 0
    )
    await show(callback, bot, bv.appointment_list(t, upcoming, desk.policy.zone))


async def _open_appointment(
    callback: CallbackQuery,
    callback_data: ApptCb,
    bot: Bot,
    client: Client,
    t: Translator,
    desk: BookingDesk,
) -> BookingOutcome | None:
    """The client's own appointment, still booked and not over; else the button is
    refused (someone else's, cancelled or moved already, or past) and None."""
    try:
        outcome = await booking_service.appointment_for(
            desk.uow_factory, appointment_id=callback_data.id, client_id=client.id
        )
    except booking_service.NotYoursError:
        outcome = None
    if (
        outcome is None
        or outcome.appointment.status is not AppointmentStatus.BOOKED
        or outcome.appointment.ends_at <= desk.clock.now()
    ):
        await refuse_button(callback, bot, t, views.main_menu(t))
        return None
    return outcome


def appointments_router() -> Router:
    router = Router(name="appointments")
    router.callback_query.filter(Consented())

    @router.callback_query(MenuCb.filter(F.item == MenuItem.APPOINTMENTS))
    async def my_appointments(
        callback: CallbackQuery,
        bot: Bot,
        state: FSMContext,
        client: Client,
        t: Translator,
        desk: BookingDesk,
    ) -> None:
        await callback.answer()
        await state.clear()
        await _show_list(callback, bot, client, t, desk)

    @router.callback_query(ApptCb.filter(F.action == ApptAction.LIST))
    async def back_to_list(
        callback: CallbackQuery, bot: Bot, client: Client, t: Translator, desk: BookingDesk
    ) -> None:
        await callback.answer()
        await _show_list(callback, bot, client, t, desk)

    @router.callback_query(ApptCb.filter(F.action == ApptAction.VIEW))
    async def view(
        callback: CallbackQuery,
        callback_data: ApptCb,
        bot: Bot,
        client: Client,
        t: Translator,
        desk: BookingDesk,
    ) -> None:
        outcome = await _open_appointment(callback, callback_data, bot, client, t, desk)
        if outcome is None:
            return
        await callback.answer()
        details = outcome_details(t, outcome, desk.policy)
        await show(callback, bot, bv.appointment_detail(t, outcome.appointment, details))

    @router.callback_query(ApptCb.filter(F.action == ApptAction.CANCEL))
    async def ask_reason(
        callback: CallbackQuery,
        callback_data: ApptCb,
        bot: Bot,
        client: Client,
        t: Translator,
        desk: BookingDesk,
    ) -> None:
        outcome = await _open_appointment(callback, callback_data, bot, client, t, desk)
        if outcome is None:
            return
        await callback.answer()
        await show(callback, bot, bv.cancel_question(t, outcome.appointment))

    @router.callback_query(ApptCb.filter(F.action == ApptAction.REASON))
    async def cancel(
        callback: CallbackQuery,
        callback_data: ApptCb,
        bot: Bot,
        client: Client,
        t: Translator,
        desk: BookingDesk,
        catalogs: Catalogs,
    ) -> None:
        outcome = await _open_appointment(callback, callback_data, bot, client, t, desk)
        if outcome is None:
            return
        if callback_data.value not in CancelReason.of_clients():
            await refuse_button(callback, bot, t, views.main_menu(t))
            return
        try:
            done = await booking_service.cancel_appointment(
                desk.uow_factory,
                desk.clock,
                appointment_id=callback_data.id,
                client_id=client.id,
                reason=callback_data.value,
                policy=desk.policy,
            )
        except (booking_service.NotBookedError, booking_service.NotYoursError):
            await refuse_button(callback, bot, t, views.main_menu(t))
            return
        await callback.answer()
        await show(callback, bot, bv.cancelled(t))
        await tell_case_manager(bot, catalogs, desk.policy, done, "cancelled")

    @router.callback_query(ApptCb.filter(F.action == ApptAction.MOVE))
    async def move(
        callback: CallbackQuery,
        callback_data: ApptCb,
        bot: Bot,
        state: FSMContext,
        client: Client,
        t: Translator,
        desk: BookingDesk,
    ) -> None:
        # A new day and time of the same case manager; the rest stays the appointment's.
        outcome = await _open_appointment(callback, callback_data, bot, client, t, desk)
        if outcome is None:
            return
        appointment = outcome.appointment
        await callback.answer()
        await state.set_state(MoveSG.day)
        await state.set_data(
            {
                "move_id": appointment.id,
                "move_staff_id": appointment.staff_id,
                "topic": appointment.topic.value,
                "mode": appointment.mode.value,
                "interpreter": appointment.interpreter,
            }
        )
        await show_days(callback, bot, state, client, t, desk, moving=True)

    return router
