"""A case manager's clients: the list, a search, one client's entry and cancelling for
them; booking for them is handlers/staff/booking.py (the client booking steps).

Every action re-reads the staff role (router filter) and checks that the client
belongs to the staff member's site (ClientOfTheSite); the client is told in their
language.
"""

from __future__ import annotations

import logging

from aiogram import Bot, F, Router
from aiogram.filters import Command
from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery, Message

from bot.domain import Appointment, CancelReason, Client, Staff
from bot.i18n import Catalogs, Translator
from bot.ports import Clock, UnitOfWorkFactory
from bot.services import booking as booking_service
from bot.services import notes as notes_service
from bot.slots import BookingPolicy
from handlers import labels
from handlers.callbacks import ClientAction, ClientCb
from handlers.client import booking_views as bv
from handlers.common import show, tell
from handlers.staff import caseload_views as cv
from handlers.staff import client_views as scv
from handlers.staff.access import ClientOfTheSite, IsStaff
from handlers.staff.booking import staff_booking_router
from handlers.states import ClientsSG

log = logging.getLogger("lotse.staff")


def staff_clients_router() -> Router:
    router = Router(name="staff-clients")
    router.message.filter(F.chat.type == "private", IsStaff())
    router.callback_query.filter(IsStaff())

    @router.message(Command("clients"))
    async def clients_command(
        message: Message,
        state: FSMContext,
        staff: Staff,
        t: Translator,
        uow_factory: UnitOfWorkFactory,
        clock: Clock,
        policy: BookingPolicy,
    ) -> None:
        await state.clear()
        query = (message.text or "").partition(" ")[2].strip()[:40]
        summaries = await notes_service.list_clients(
            uow_factory, clock, staff=staff, everyone=bool(query), search=query
        )
        screen = cv.clients(t, summaries, policy.zone, everyone=False, search=query)
        await message.answer(screen.text, reply_markup=screen.markup)

    @router.message(ClientsSG.search, F.text, ~F.text.startswith("/"))
    async def clients_search(
        message: Message,
        state: FSMContext,
        staff: Staff,
        t: Translator,
        uow_factory: UnitOfWorkFactory,
        clock: Clock,
        policy: BookingPolicy,
    ) -> None:
        await state.clear()
        query = (message.text or "").strip()[:40]
        summaries = await notes_service.list_clients(
            uow_factory, clock, staff=staff, everyone=True, search=query
        )
        screen = cv.clients(t, summaries, policy.zone, everyone=True, search=query)
        await message.answer(screen.text, reply_markup=screen.markup)

    @router.callback_query(ClientCb.filter(F.action == ClientAction.LIST))
    async def client_list(
        callback: CallbackQuery,
        callback_data: ClientCb,
        bot: Bot,
        state: FSMContext,
        staff: Staff,
        t: Translator,
        uow_factory: UnitOfWorkFactory,
        clock: Clock,
        policy: BookingPolicy,
    ) -> None:
        everyone = callback_data.value == "all"
        await state.clear()
        summaries = await notes_service.list_clients(
            uow_factory, clock, staff=staff, everyone=everyone
        )
        await callback.answer()
        await show(
            callback, bot, cv.clients(t, summaries, policy.zone, everyone=everyone, search="")
        )

    @router.callback_query(ClientCb.filter(F.action == ClientAction.FIND))
    async def find(callback: CallbackQuery, bot: Bot, state: FSMContext, t: Translator) -> None:
        await state.set_state(ClientsSG.search)
        await callback.answer()
        await show(callback, bot, cv.search_ask(t))

    router.include_routers(_one_client_router(), staff_booking_router())
    return router


def _one_client_router() -> Router:
    """Buttons about one client of the site (ClientOfTheSite checks that they are)."""
    router = Router(name="staff-one-client")
    router.callback_query.middleware(ClientOfTheSite())

    @router.callback_query(ClientCb.filter(F.action == ClientAction.VIEW))
    async def view(
        callback: CallbackQuery,
        bot: Bot,
        state: FSMContext,
        client: Client,
        upcoming: list[Appointment],
        t: Translator,
        policy: BookingPolicy,
    ) -> None:
        await state.clear()
        await callback.answer()
        await show(callback, bot, scv.client_entry(t, client, upcoming, policy.zone))

    @router.callback_query(
        ClientCb.filter(F.action == ClientAction.CANCEL), ClientCb.filter(F.value.isdigit())
    )
    async def cancel(
        callback: CallbackQuery,
        callback_data: ClientCb,
        bot: Bot,
        staff: Staff,
        client: Client,
        t: Translator,
        catalogs: Catalogs,
        uow_factory: UnitOfWorkFactory,
        clock: Clock,
        policy: BookingPolicy,
    ) -> None:
        try:
            outcome = await booking_service.cancel_appointment(
                uow_factory,
                clock,
                appointment_id=int(callback_data.value),
                staff=staff,
                reason=CancelReason.OTHER,
            )
        except (booking_service.NotYoursError, booking_service.NotBookedError):
            await callback.answer(bv.not_bookable(t), show_alert=True)
            return
        ct = catalogs.translator(client.locale)
        when = labels.when(ct, outcome.appointment.starts_at, policy.zone)
        await tell(bot, client.chat_id, scv.client_told_cancelled(ct, when))
        who = labels.client_name(t, client.nickname, client.id or 0)
        await callback.answer(scv.cancelled_for_client(t, who)[:200], show_alert=False)
        _, upcoming = await booking_service.client_for_staff(
            uow_factory, clock, staff=staff, client_id=client.id or 0
        )
        await show(callback, bot, scv.client_entry(t, client, upcoming, policy.zone))

    return router
