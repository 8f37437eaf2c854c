"""/today and /week for case managers: marks, cancelling, and "cancel my day".

One handler per action of AgendaCb (and per command); the agenda keeps no FSM state.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import date
from zoneinfo import ZoneInfo

from aiogram import Bot, F, Router
from aiogram.filters import Command
from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery, Message

from bot.domain import CancelReason, Staff
from bot.i18n import Catalogs, Translator
from bot.ports import Clock, UnitOfWorkFactory
from bot.services import agenda as agenda_service
from bot.services.booking import NotBookedError, NotYoursError, cancel_appointment
from bot.slots import BookingPolicy
from handlers import labels
from handlers.callbacks import AgendaAction, AgendaCb
from handlers.common import refuse_button, send, show, tell
from handlers.staff import agenda_views as agv
from handlers.staff import client_views as scv
from handlers.staff import views as sv
from handlers.staff.access import IsStaff
from handlers.views import Screen

log = logging.getLogger("lotse.agenda")

#: What a client reads after a mark, in their language; `when` is the appointment's time.
ClientScreen = Callable[[Translator, str], Screen]


def _today(clock: Clock, zone: ZoneInfo) -> date:
    return clock.now().astimezone(zone).date()


async def _agenda(
    staff: Staff,
    t: Translator,
    uow_factory: UnitOfWorkFactory,
    clock: Clock,
    zone: ZoneInfo,
    *,
    days: int,
    week: bool,
) -> Screen:
    """The day (days=1) or the week (days=7) from today on, every status."""
    today = _today(clock, zone)
    items = await agenda_service.agenda(uow_factory, clock, zone, staff=staff, days=days)
    return agv.agenda(t, items, zone, week=week, today=today)


async def _back_to_day(
    callback: CallbackQuery,
    bot: Bot,
    staff: Staff,
    t: Translator,
    uow_factory: UnitOfWorkFactory,
    clock: Clock,
    zone: ZoneInfo,
) -> None:
    await show(callback, bot, await _agenda(staff, t, uow_factory, clock, zone, days=1, week=False))


async def _refuse(callback: CallbackQuery, bot: Bot, t: Translator) -> None:
    """Not this staff member's appointment, or no longer booked: the menu instead."""
    await refuse_button(callback, bot, t, sv.menu(t))


async def _mark(
    callback: CallbackQuery,
    callback_data: AgendaCb,
    bot: Bot,
    staff: Staff,
    t: Translator,
    catalogs: Catalogs,
    uow_factory: UnitOfWorkFactory,
    clock: Clock,
    policy: BookingPolicy,
    client_screen: ClientScreen,
) -> None:
    """Came or did not come (the pressed action, a key of agenda_service.MARKS); the client
    is told with `client_screen`."""
    zone = policy.zone
    try:
        item = await agenda_service.mark(
            uow_factory,
            clock,
            staff=staff,
            appointment_id=callback_data.id,
            mark=callback_data.action,
        )
    except agenda_service.NotStartedError:
        await callback.answer(agv.too_early(t), show_alert=True)
        return
    except (NotYoursError, NotBookedError):
        await _refuse(callback, bot, t)
        return
    ct = catalogs.translator(item.client.locale)
    when = labels.when(ct, item.appointment.starts_at, zone)
    await tell(bot, item.client.chat_id, client_screen(ct, when))
    await callback.answer(agv.marked(t))
    await show(callback, bot, agv.appointment(t, item, zone, clock.now()))


def _came(ct: Translator, when: str) -> Screen:
    return agv.client_attended(ct)


def _missed(ct: Translator, when: str) -> Screen:
    return agv.client_missed(ct, when)


def agenda_router() -> Router:
    router = Router(name="agenda")
    router.message.filter(F.chat.type == "private", IsStaff())
    router.callback_query.filter(IsStaff())

    @router.message(Command("today"))
    async def today_command(
        message: Message,
        state: FSMContext,
        staff: Staff,
        t: Translator,
        uow_factory: UnitOfWorkFactory,
        clock: Clock,
        policy: BookingPolicy,
    ) -> None:
        await state.clear()
        screen = await _agenda(staff, t, uow_factory, clock, policy.zone, days=1, week=False)
        await message.answer(screen.text, reply_markup=screen.markup)

    @router.message(Command("week"))
    async def week_command(
        message: Message,
        state: FSMContext,
        staff: Staff,
        t: Translator,
        uow_factory: UnitOfWorkFactory,
        clock: Clock,
        policy: BookingPolicy,
    ) -> None:
        await state.clear()
        screen = await _agenda(staff, t, uow_factory, clock, policy.zone, days=7, week=True)
        await message.answer(screen.text, reply_markup=screen.markup)

    @router.callback_query(AgendaCb.filter(F.action == AgendaAction.TODAY))
    async def today_pressed(
        callback: CallbackQuery,
        bot: Bot,
        state: FSMContext,
        staff: Staff,
        t: Translator,
        uow_factory: UnitOfWorkFactory,
        clock: Clock,
        policy: BookingPolicy,
    ) -> None:
        await state.clear()
        screen = await _agenda(staff, t, uow_factory, clock, policy.zone, days=1, week=False)
        await callback.answer()
        await show(callback, bot, screen)

    @router.callback_query(AgendaCb.filter(F.action == AgendaAction.WEEK))
    async def week_pressed(
        callback: CallbackQuery,
        bot: Bot,
        state: FSMContext,
        staff: Staff,
        t: Translator,
        uow_factory: UnitOfWorkFactory,
        clock: Clock,
        policy: BookingPolicy,
    ) -> None:
        await state.clear()
        screen = await _agenda(staff, t, uow_factory, clock, policy.zone, days=7, week=True)
        await callback.answer()
        await show(callback, bot, screen)

    @router.callback_query(AgendaCb.filter(F.action == AgendaAction.VIEW))
    async def view_appointment(
        callback: CallbackQuery,
        callback_data: AgendaCb,
        bot: Bot,
        staff: Staff,
        t: Translator,
        uow_factory: UnitOfWorkFactory,
        clock: Clock,
        policy: BookingPolicy,
    ) -> None:
        try:
            item = await agenda_service.appointment_of_staff(
                uow_factory, staff=staff, appointment_id=callback_data.id
            )
        except (NotYoursError, NotBookedError):
            await _refuse(callback, bot, t)
            return
        await callback.answer()
        await show(callback, bot, agv.appointment(t, item, policy.zone, clock.now()))

    @router.callback_query(AgendaCb.filter(F.action == AgendaAction.ATTENDED))
    async def attended(
        callback: CallbackQuery,
        callback_data: AgendaCb,
        bot: Bot,
        staff: Staff,
        t: Translator,
        catalogs: Catalogs,
        uow_factory: UnitOfWorkFactory,
        clock: Clock,
        policy: BookingPolicy,
    ) -> None:
        await _mark(
            callback, callback_data, bot, staff, t, catalogs, uow_factory, clock, policy, _came
        )

    @router.callback_query(AgendaCb.filter(F.action == AgendaAction.NO_SHOW))
    async def no_show(
        callback: CallbackQuery,
        callback_data: AgendaCb,
        bot: Bot,
        staff: Staff,
        t: Translator,
        catalogs: Catalogs,
        uow_factory: UnitOfWorkFactory,
        clock: Clock,
        policy: BookingPolicy,
    ) -> None:
        await _mark(
            callback, callback_data, bot, staff, t, catalogs, uow_factory, clock, policy, _missed
        )

    @router.callback_query(AgendaCb.filter(F.action == AgendaAction.CANCEL))
    async def cancel(
        callback: CallbackQuery,
        callback_data: AgendaCb,
        bot: Bot,
        staff: Staff,
        t: Translator,
        catalogs: Catalogs,
        uow_factory: UnitOfWorkFactory,
        clock: Clock,
        policy: BookingPolicy,
    ) -> None:
        zone = policy.zone
        try:
            outcome = await cancel_appointment(
                uow_factory,
                clock,
                appointment_id=callback_data.id,
                staff=staff,
                reason=CancelReason.OTHER,
            )
        except (NotYoursError, NotBookedError):
            await _refuse(callback, bot, t)
            return
        ct = catalogs.translator(outcome.client.locale)
        when = labels.when(ct, outcome.appointment.starts_at, zone)
        await tell(bot, outcome.client.chat_id, scv.client_told_cancelled(ct, when))
        await callback.answer(agv.marked(t))
        await _back_to_day(callback, bot, staff, t, uow_factory, clock, zone)

    @router.callback_query(AgendaCb.filter(F.action == AgendaAction.CANCEL_DAY))
    async def cancel_day(
        callback: CallbackQuery,
        bot: Bot,
        staff: Staff,
        t: Translator,
        uow_factory: UnitOfWorkFactory,
        clock: Clock,
        policy: BookingPolicy,
    ) -> None:
        zone = policy.zone
        today = _today(clock, zone)
        items = await agenda_service.agenda(uow_factory, clock, zone, staff=staff)
        booked = [i for i in items if i.appointment.status.value == "booked"]
        await callback.answer()
        if not booked:  # nothing left to cancel: the day as it is
            await _back_to_day(callback, bot, staff, t, uow_factory, clock, zone)
            return
        await show(callback, bot, agv.confirm_cancel_day(t, len(booked), today))

    @router.callback_query(AgendaCb.filter(F.action == AgendaAction.CANCEL_DAY_CONFIRMED))
    async def cancel_day_confirmed(
        callback: CallbackQuery,
        callback_data: AgendaCb,
        bot: Bot,
        staff: Staff,
        t: Translator,
        catalogs: Catalogs,
        uow_factory: UnitOfWorkFactory,
        clock: Clock,
        policy: BookingPolicy,
    ) -> None:
        zone = policy.zone
        today = _today(clock, zone)
        if callback_data.value != today.isoformat():
            await _refuse(callback, bot, t)  # a confirmation left over from another day
            return
        outcomes = await agenda_service.cancel_my_day(
            uow_factory, clock, zone, staff=staff, day=today
        )
        for outcome in outcomes:
            ct = catalogs.translator(outcome.client.locale)
            when = labels.when(ct, outcome.appointment.starts_at, zone)
            await tell(bot, outcome.client.chat_id, agv.client_staff_ill(ct, when))
        await callback.answer()
        await send(bot, callback.from_user.id, Screen(agv.day_cancelled(t, len(outcomes))))
        await _back_to_day(callback, bot, staff, t, uow_factory, clock, zone)

    return router
