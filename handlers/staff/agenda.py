"""/today and /week for case managers: marks, cancelling, and "cancel my day".

One handler per action of AgendaCb (and per command); the agenda keeps no FSM state.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import date

from aiogram import F, Router
from aiogram.filters import Command
from aiogram.types import CallbackQuery, Message

from bot.domain import CancelReason
from bot.i18n import Translator
from bot.services import agenda as agenda_service
from bot.services import referrals as referral_service
from bot.services.booking import BookingOutcome, NotBookedError, NotYoursError, cancel_appointment
from handlers import labels
from handlers.callbacks import AgendaAction, AgendaCb
from handlers.client import referral_views as rfv
from handlers.common import answer, refuse_button, send, show, tell
from handlers.notify import send_calendar_file
from handlers.staff import agenda_views as agv
from handlers.staff import client_views as scv
from handlers.staff import views as sv
from handlers.staff.access import StaffTurn, staff_only_router
from handlers.views import Screen

log = logging.getLogger("lotse.agenda")

#: What a client reads after a change, in their language; `when` is the appointment's time.
ClientScreen = Callable[[Translator, str], Screen]


def _today(turn: StaffTurn) -> date:
    return turn.clock.now().astimezone(turn.policy.zone).date()


async def _agenda(turn: StaffTurn, *, days: int, week: bool) -> Screen:
    """The day (days=1) or the week (days=7) from today on, every status."""
    zone = turn.policy.zone
    today = _today(turn)
    items = await agenda_service.agenda(
        turn.uow_factory, turn.clock, zone, staff=turn.staff, days=days
    )
    answers, new = await referral_service.followups_for_staff(
        turn.uow_factory, turn.clock, staff=turn.staff
    )
    followups = rfv.agenda_lines(turn.t, answers, new=new)
    return agv.agenda(turn.t, items, zone, week=week, today=today, followups=followups)


async def _agenda_pressed(
    callback: CallbackQuery, turn: StaffTurn, *, days: int, week: bool
) -> None:
    """The day or the week on the message the button sat on."""
    await turn.state.clear()
    screen = await _agenda(turn, days=days, week=week)
    await turn.show(callback, screen)


async def _back_to_day(callback: CallbackQuery, turn: StaffTurn) -> None:
    await show(callback, turn.bot, await _agenda(turn, days=1, week=False))


async def _refuse(callback: CallbackQuery, turn: StaffTurn, error: Exception | None = None) -> None:
    """Not this staff member's appointment (audited), or no longer booked: the menu."""
    if isinstance(error, NotYoursError):
        await turn.audit_refusal(error)
    await refuse_button(callback, turn.bot, turn.t, sv.menu(turn.t))


def _appointment(turn: StaffTurn, item: agenda_service.AgendaItem) -> Screen:
    """One appointment with its buttons, as its case manager sees it now."""
    return agv.appointment(turn.t, item, turn.policy.zone, turn.clock.now())


async def _tell_client(
    turn: StaffTurn, item: agenda_service.AgendaItem | BookingOutcome, screen: ClientScreen
) -> None:
    """The client of the appointment reads `screen` in their language."""
    ct = turn.speaking(item.client.locale)
    when = labels.when(ct, item.appointment.starts_at, turn.policy.zone)
    await tell(turn.bot, item.client.chat_id, screen(ct, when))


async def _send_cancellation_file(turn: StaffTurn, outcome: BookingOutcome) -> None:
    """The cancelled appointment's calendar file, in the client's language."""
    await send_calendar_file(turn, turn.speaking(outcome.client.locale), outcome)


async def _mark(
    callback: CallbackQuery, callback_data: AgendaCb, turn: StaffTurn, client_screen: ClientScreen
) -> None:
    """Came or did not come (the pressed action, a key of agenda_service.MARKS); the client
    is told with `client_screen`."""
    try:
        item = await agenda_service.mark(
            turn.uow_factory,
            turn.clock,
            staff=turn.staff,
            appointment_id=callback_data.id,
            mark=callback_data.action,
        )
    except agenda_service.NotStartedError:
        await callback.answer(agv.too_early(turn.t), show_alert=True)
        return
    except (NotYoursError, NotBookedError) as error:
        await _refuse(callback, turn, error)
        return
    await _tell_client(turn, item, client_screen)
    await callback.answer(agv.marked(turn.t))
    await show(callback, turn.bot, _appointment(turn, item))


def _came(ct: Translator, when: str) -> Screen:
    return agv.client_attended(ct)


def _missed(ct: Translator, when: str) -> Screen:
    return agv.client_missed(ct, when)


def agenda_router() -> Router:
    router = staff_only_router("agenda")

    @router.message(Command("today"))
    async def today_command(message: Message, turn: StaffTurn) -> None:
        await turn.state.clear()
        await answer(message, await _agenda(turn, days=1, week=False))

    @router.message(Command("week"))
    async def week_command(message: Message, turn: StaffTurn) -> None:
        await turn.state.clear()
        await answer(message, await _agenda(turn, days=7, week=True))

    @router.callback_query(AgendaCb.filter(F.action == AgendaAction.TODAY))
    async def today_pressed(callback: CallbackQuery, turn: StaffTurn) -> None:
        await _agenda_pressed(callback, turn, days=1, week=False)

    @router.callback_query(AgendaCb.filter(F.action == AgendaAction.WEEK))
    async def week_pressed(callback: CallbackQuery, turn: StaffTurn) -> None:
        await _agenda_pressed(callback, turn, days=7, week=True)

    @router.callback_query(AgendaCb.filter(F.action == AgendaAction.VIEW))
    async def view_appointment(
        callback: CallbackQuery, callback_data: AgendaCb, turn: StaffTurn
    ) -> None:
        try:
            item = await agenda_service.appointment_of_staff(
                turn.uow_factory, staff=turn.staff, appointment_id=callback_data.id
            )
        except (NotYoursError, NotBookedError) as error:
            await _refuse(callback, turn, error)
            return
        await turn.show(callback, _appointment(turn, item))

    @router.callback_query(AgendaCb.filter(F.action == AgendaAction.ATTENDED))
    async def attended(callback: CallbackQuery, callback_data: AgendaCb, turn: StaffTurn) -> None:
        await _mark(callback, callback_data, turn, _came)

    @router.callback_query(AgendaCb.filter(F.action == AgendaAction.NO_SHOW))
    async def no_show(callback: CallbackQuery, callback_data: AgendaCb, turn: StaffTurn) -> None:
        await _mark(callback, callback_data, turn, _missed)

    @router.callback_query(AgendaCb.filter(F.action == AgendaAction.CANCEL))
    async def cancel(callback: CallbackQuery, callback_data: AgendaCb, turn: StaffTurn) -> None:
        try:
            outcome = await cancel_appointment(
                turn.uow_factory,
                turn.clock,
                appointment_id=callback_data.id,
                staff=turn.staff,
                reason=CancelReason.OTHER,
            )
        except (NotYoursError, NotBookedError) as error:
            await _refuse(callback, turn, error)
            return
        await _tell_client(turn, outcome, scv.client_told_cancelled)
        await _send_cancellation_file(turn, outcome)
        await callback.answer(agv.marked(turn.t))
        await _back_to_day(callback, turn)

    @router.callback_query(AgendaCb.filter(F.action == AgendaAction.CANCEL_DAY))
    async def cancel_day(callback: CallbackQuery, turn: StaffTurn) -> None:
        today = _today(turn)
        items = await agenda_service.agenda(
            turn.uow_factory, turn.clock, turn.policy.zone, staff=turn.staff
        )
        booked = [i for i in items if i.appointment.status.value == "booked"]
        await callback.answer()
        if not booked:  # nothing left to cancel: the day as it is
            await _back_to_day(callback, turn)
            return
        await show(callback, turn.bot, agv.confirm_cancel_day(turn.t, len(booked), today))

    @router.callback_query(AgendaCb.filter(F.action == AgendaAction.CANCEL_DAY_CONFIRMED))
    async def cancel_day_confirmed(
        callback: CallbackQuery, callback_data: AgendaCb, turn: StaffTurn
    ) -> None:
        today = _today(turn)
        if callback_data.value != today.isoformat():
            await _refuse(callback, turn)  # a confirmation left over from another day
            return
        outcomes = await agenda_service.cancel_my_day(
            turn.uow_factory, turn.clock, turn.policy.zone, staff=turn.staff, day=today
        )
        for outcome in outcomes:
            await _tell_client(turn, outcome, agv.client_staff_ill)
            await _send_cancellation_file(turn, outcome)
        await callback.answer()
        await send(
            turn.bot, callback.from_user.id, Screen(agv.day_cancelled(turn.t, len(outcomes)))
        )
        await _back_to_day(callback, turn)

    return router
