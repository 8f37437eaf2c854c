"""'My appointments': the list, one appointment, cancelling it (with a reason), moving it
(the day and time steps of handlers/client/moving.py). One handler per button."""

from __future__ import annotations

from aiogram import F, Router
from aiogram.types import CallbackQuery, InlineKeyboardMarkup

from bot.domain import AppointmentStatus, CancelReason
from bot.services import booking as booking_service
from bot.services import waitlist as waitlist_service
from bot.services.booking import BookingOutcome
from handlers import views
from handlers.callbacks import ApptAction, ApptCb, MenuCb, MenuItem
from handlers.client import booking_views as bv
from handlers.client import waitlist_views as wv
from handlers.client.access import ClientTurn, Consented
from handlers.client.booking_steps import BookingDesk, show_days
from handlers.common import refuse_button, send, show
from handlers.notify import outcome_details, send_calendar_file, tell_case_manager
from handlers.states import MoveSG
from handlers.views import Screen


async def appointments_screen(turn: ClientTurn) -> Screen:
    """The client's upcoming appointments, and their wishes on the waiting list (each with
    a button to leave it)."""
    client_id = turn.client.id or 0
    upcoming = await booking_service.upcoming_appointments(
        turn.uow_factory, turn.clock, client_id=client_id
    )
    screen = bv.appointment_list(turn.t, upcoming, turn.policy.zone)
    wishes = await waitlist_service.wishes_of(turn.uow_factory, client_id=client_id)
    if not wishes or screen.markup is None:
        return screen
    rows = screen.markup.inline_keyboard
    markup = InlineKeyboardMarkup(
        inline_keyboard=[*rows[:-1], *wv.leave_buttons(turn.t, wishes), rows[-1]]
    )
    return Screen(f"{screen.text}\n\n{wv.wish_lines(turn.t, wishes)}", markup)


async def _show_list(callback: CallbackQuery, turn: ClientTurn) -> None:
    await show(callback, turn.bot, await appointments_screen(turn))


async def _refuse(callback: CallbackQuery, turn: ClientTurn) -> None:
    """An old or forged button: the menu."""
    await refuse_button(callback, turn.bot, turn.t, views.main_menu(turn.t))


async def _open_appointment(
    callback: CallbackQuery, callback_data: ApptCb, turn: ClientTurn
) -> BookingOutcome | None:
    """The client's own appointment, still booked and not over; else the button is
    refused (someone else's, cancelled or moved already, or past) and None."""
    try:
        outcome = await booking_service.appointment_for(
            turn.uow_factory, appointment_id=callback_data.id, client_id=turn.client.id
        )
    except booking_service.NotYoursError:
        outcome = None
    if (
        outcome is None
        or outcome.appointment.status is not AppointmentStatus.BOOKED
        or outcome.appointment.ends_at <= turn.clock.now()
    ):
        await _refuse(callback, turn)
        return None
    return outcome


def appointments_router() -> Router:
    """Every button here passes Consented, which hands over the turn."""
    router = Router(name="appointments")
    router.callback_query.filter(Consented())

    @router.callback_query(MenuCb.filter(F.item == MenuItem.APPOINTMENTS))
    async def my_appointments(callback: CallbackQuery, turn: ClientTurn) -> None:
        await callback.answer()
        await turn.state.clear()
        await _show_list(callback, turn)

    @router.callback_query(ApptCb.filter(F.action == ApptAction.LIST_BELOW))
    async def my_appointments_below(callback: CallbackQuery, turn: ClientTurn) -> None:
        # Pressed on a confirmation: that stays the client's record; the list comes below.
        await callback.answer()
        await turn.state.clear()
        await send(turn.bot, callback.from_user.id, await appointments_screen(turn))

    @router.callback_query(ApptCb.filter(F.action == ApptAction.LIST))
    async def back_to_list(callback: CallbackQuery, turn: ClientTurn) -> None:
        await callback.answer()
        await _show_list(callback, turn)

    @router.callback_query(ApptCb.filter(F.action == ApptAction.VIEW))
    async def view(callback: CallbackQuery, callback_data: ApptCb, turn: ClientTurn) -> None:
        outcome = await _open_appointment(callback, callback_data, turn)
        if outcome is None:
            return
        await callback.answer()
        details = outcome_details(turn.t, outcome, turn.policy)
        await show(callback, turn.bot, bv.appointment_detail(turn.t, outcome.appointment, details))

    @router.callback_query(ApptCb.filter(F.action == ApptAction.CANCEL))
    async def ask_reason(callback: CallbackQuery, callback_data: ApptCb, turn: ClientTurn) -> None:
        outcome = await _open_appointment(callback, callback_data, turn)
        if outcome is None:
            return
        await turn.show(callback, bv.cancel_question(turn.t, outcome.appointment))

    @router.callback_query(ApptCb.filter(F.action == ApptAction.REASON))
    async def cancel(callback: CallbackQuery, callback_data: ApptCb, turn: ClientTurn) -> None:
        outcome = await _open_appointment(callback, callback_data, turn)
        if outcome is None:
            return
        if callback_data.value not in CancelReason.of_clients():
            await _refuse(callback, turn)
            return
        try:
            done = await booking_service.cancel_appointment(
                turn.uow_factory,
                turn.clock,
                appointment_id=callback_data.id,
                client_id=turn.client.id,
                reason=callback_data.value,
                policy=turn.policy,
            )
        except (booking_service.NotBookedError, booking_service.NotYoursError):
            await _refuse(callback, turn)
            return
        await turn.show(callback, bv.cancelled(turn.t))
        await send_calendar_file(turn, turn.t, done)  # takes it out of their calendar
        await tell_case_manager(turn.bot, turn.catalogs, turn.policy, done, "cancelled")

    @router.callback_query(ApptCb.filter(F.action == ApptAction.MOVE))
    async def move(
        callback: CallbackQuery, callback_data: ApptCb, turn: ClientTurn, desk: BookingDesk
    ) -> None:
        # A new day and time of the same case manager; the rest stays the appointment's.
        outcome = await _open_appointment(callback, callback_data, turn)
        if outcome is None:
            return
        appointment = outcome.appointment
        await callback.answer()
        await turn.state.set_state(MoveSG.day)
        await turn.state.set_data(
            {
                "move_id": appointment.id,
                "move_staff_id": appointment.staff_id,
                "topic": appointment.topic.value,
                "mode": appointment.mode.value,
                "interpreter": appointment.interpreter,
            }
        )
        await show_days(callback, turn, desk, moving=True)

    return router
