"""/today and /week for case managers: marks, cancelling, and "cancel my day"."""

from __future__ import annotations

import logging

from aiogram import Bot, F, Router
from aiogram.filters import Command
from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery, Message

from bot.domain import Staff
from bot.i18n import Catalogs, Translator
from bot.ports import Clock, UnitOfWorkFactory
from bot.services import agenda as agenda_service
from bot.services.booking import NotBookedError, NotYoursError, cancel_appointment
from bot.slots import BookingPolicy
from handlers import labels, views
from handlers.callbacks import AgendaCb
from handlers.common import send, show, tell
from handlers.staff import agenda_views as agv
from handlers.staff import client_views as scv
from handlers.staff import views as sv
from handlers.staff.access import IsStaff
from handlers.views import Screen

log = logging.getLogger("lotse.agenda")


def agenda_router() -> Router:
    router = Router(name="agenda")
    router.message.filter(F.chat.type == "private", IsStaff())
    router.callback_query.filter(IsStaff())

    @router.message(Command("today"))
    @router.message(Command("week"))
    async def agenda_command(
        message: Message,
        state: FSMContext,
        staff: Staff,
        t: Translator,
        uow_factory: UnitOfWorkFactory,
        clock: Clock,
        policy: BookingPolicy,
    ) -> None:
        await state.clear()
        week = (message.text or "").split()[0].split("@")[0] == "/week"
        items = await agenda_service.agenda(
            uow_factory, clock, policy.zone, staff=staff, days=7 if week else 1
        )
        today = clock.now().astimezone(policy.zone).date()
        screen = agv.agenda(t, items, policy.zone, week=week, today=today)
        await message.answer(screen.text, reply_markup=screen.markup)

    @router.callback_query(AgendaCb.filter())
    async def agenda_action(
        callback: CallbackQuery,
        callback_data: AgendaCb,
        bot: Bot,
        state: FSMContext,
        staff: Staff,
        t: Translator,
        catalogs: Catalogs,
        uow_factory: UnitOfWorkFactory,
        clock: Clock,
        policy: BookingPolicy,
    ) -> None:
        zone = policy.zone
        action, ident = callback_data.action, callback_data.id
        today = clock.now().astimezone(zone).date()

        async def back_to_day() -> None:
            items = await agenda_service.agenda(uow_factory, clock, zone, staff=staff)
            await show(callback, bot, agv.agenda(t, items, zone, week=False, today=today))

        try:
            if action in ("today", "week"):
                await state.clear()
                items = await agenda_service.agenda(
                    uow_factory, clock, zone, staff=staff, days=7 if action == "week" else 1
                )
                await callback.answer()
                screen = agv.agenda(t, items, zone, week=action == "week", today=today)
                await show(callback, bot, screen)
            elif action == "view":
                item = await agenda_service.appointment_of_staff(
                    uow_factory, staff=staff, appointment_id=ident
                )
                await callback.answer()
                await show(callback, bot, agv.appointment(t, item, zone, clock.now()))
            elif action in agenda_service.MARKS:
                try:
                    item = await agenda_service.mark(
                        uow_factory, clock, staff=staff, appointment_id=ident, mark=action
                    )
                except agenda_service.NotStartedError:
                    await callback.answer(agv.too_early(t), show_alert=True)
                    return
                ct = catalogs.translator(item.client.locale)
                when = labels.when(ct, item.appointment.starts_at, zone)
                await tell(
                    bot,
                    item.client.chat_id,
                    agv.client_attended(ct) if action == "att" else agv.client_missed(ct, when),
                )
                await callback.answer(agv.marked(t))
                await show(callback, bot, agv.appointment(t, item, zone, clock.now()))
            elif action == "cancel":
                outcome = await cancel_appointment(
                    uow_factory, clock, appointment_id=ident, staff=staff, reason="other"
                )
                ct = catalogs.translator(outcome.client.locale)
                await tell(
                    bot,
                    outcome.client.chat_id,
                    scv.client_told_cancelled(
                        ct, labels.when(ct, outcome.appointment.starts_at, zone)
                    ),
                )
                await callback.answer(agv.marked(t))
                await back_to_day()
            elif action == "cday":
                items = await agenda_service.agenda(uow_factory, clock, zone, staff=staff)
                booked = [i for i in items if i.appointment.status.value == "booked"]
                await callback.answer()
                if not booked:
                    await back_to_day()
                    return
                await show(callback, bot, agv.confirm_cancel_day(t, len(booked), today))
            elif action == "cdayok":
                if callback_data.value != today.isoformat():
                    raise NotBookedError()  # a confirmation left over from another day
                outcomes = await agenda_service.cancel_my_day(
                    uow_factory, clock, zone, staff=staff, day=today
                )
                for outcome in outcomes:
                    ct = catalogs.translator(outcome.client.locale)
                    await tell(
                        bot,
                        outcome.client.chat_id,
                        agv.client_staff_ill(
                            ct, labels.when(ct, outcome.appointment.starts_at, zone)
                        ),
                    )
                await callback.answer()
                await send(bot, callback.from_user.id, Screen(agv.day_cancelled(t, len(outcomes))))
                await back_to_day()
        except (NotYoursError, NotBookedError):
            await callback.answer(views.stale_button(t), show_alert=True)
            await send(bot, callback.from_user.id, sv.menu(t))

    return router
