"""A case manager's clients: the list, a search, one client's entry and cancelling for
them; booking for them is handlers/staff/booking.py (the client booking steps).

Every action re-reads the staff role (router filter) and checks that the client
belongs to the staff member's site (ClientOfTheSite); the client is told in their
language.
"""

from __future__ import annotations

import logging

from aiogram import F, Router
from aiogram.filters import Command
from aiogram.types import CallbackQuery, Message

from bot.domain import Appointment, CancelReason, Client
from bot.services import booking as booking_service
from bot.services import notes as notes_service
from bot.services import referrals as referral_service
from handlers import labels
from handlers.callbacks import ClientAction, ClientCb
from handlers.client import booking_views as bv
from handlers.common import answer, show, tell
from handlers.notify import send_calendar_file
from handlers.staff import caseload_views as cv
from handlers.staff import client_views as scv
from handlers.staff.access import ClientOfTheSite, StaffTurn, staff_only_router
from handlers.staff.booking import client_entry, client_entry_now, staff_booking_router
from handlers.states import ClientsSG
from handlers.views import Screen

log = logging.getLogger("lotse.staff")


async def _clients(turn: StaffTurn, *, everyone: bool, search: str, listed_as_all: bool) -> Screen:
    """The staff member's clients (`everyone`: the whole site's) matching `search`;
    `listed_as_all` heads the list as the site's and marks the staff member's own."""
    summaries = await notes_service.list_clients(
        turn.uow_factory, turn.clock, staff=turn.staff, everyone=everyone, search=search
    )
    return cv.clients(turn.t, summaries, turn.policy.zone, everyone=listed_as_all, search=search)


def staff_clients_router() -> Router:
    router = staff_only_router("staff-clients")

    @router.message(Command("clients"))
    async def clients_command(message: Message, turn: StaffTurn) -> None:
        await turn.state.clear()
        query = (message.text or "").partition(" ")[2].strip()[:40]
        # With a name the whole site is searched; without, the staff member's own.
        await answer(
            message, await _clients(turn, everyone=bool(query), search=query, listed_as_all=False)
        )

    @router.message(ClientsSG.search, F.text, ~F.text.startswith("/"))
    async def clients_search(message: Message, turn: StaffTurn) -> None:
        await turn.state.clear()
        query = (message.text or "").strip()[:40]
        await answer(message, await _clients(turn, everyone=True, search=query, listed_as_all=True))

    @router.callback_query(ClientCb.filter(F.action == ClientAction.LIST))
    async def client_list(
        callback: CallbackQuery, callback_data: ClientCb, turn: StaffTurn
    ) -> None:
        everyone = callback_data.value == "all"
        await turn.state.clear()
        screen = await _clients(turn, everyone=everyone, search="", listed_as_all=everyone)
        await turn.show(callback, screen)

    @router.callback_query(ClientCb.filter(F.action == ClientAction.FIND))
    async def find(callback: CallbackQuery, turn: StaffTurn) -> None:
        await turn.state.set_state(ClientsSG.search)
        await turn.show(callback, cv.search_ask(turn.t))

    router.include_routers(_one_client_router(), staff_booking_router())
    return router


async def _tell_cancelled(turn: StaffTurn, outcome: booking_service.BookingOutcome) -> None:
    """The client is told, in their language, that the appointment is cancelled, with the
    calendar file that takes it out of their calendar."""
    ct = turn.speaking(outcome.client.locale)
    when = labels.when(ct, outcome.appointment.starts_at, turn.policy.zone)
    await tell(turn.bot, outcome.client.chat_id, scv.client_told_cancelled(ct, when))
    await send_calendar_file(turn, ct, outcome)


def _one_client_router() -> Router:
    """Buttons about one client of the site (ClientOfTheSite checks that they are)."""
    router = Router(name="staff-one-client")
    router.callback_query.middleware(ClientOfTheSite())

    @router.callback_query(ClientCb.filter(F.action == ClientAction.VIEW))
    async def view(
        callback: CallbackQuery, turn: StaffTurn, client: Client, upcoming: list[Appointment]
    ) -> None:
        await turn.state.clear()
        referrals = await referral_service.referrals_of_client(
            turn.uow_factory, client_id=client.id or 0
        )
        await turn.show(callback, client_entry(turn, client, upcoming, referrals))

    @router.callback_query(
        ClientCb.filter(F.action == ClientAction.CANCEL), ClientCb.filter(F.value.isdigit())
    )
    async def cancel(
        callback: CallbackQuery, callback_data: ClientCb, turn: StaffTurn, client: Client
    ) -> None:
        t = turn.t
        try:
            outcome = await booking_service.cancel_appointment(
                turn.uow_factory,
                turn.clock,
                appointment_id=int(callback_data.value),
                staff=turn.staff,
                reason=CancelReason.OTHER,
            )
        except (booking_service.NotYoursError, booking_service.NotBookedError) as error:
            if isinstance(error, booking_service.NotYoursError):
                await turn.audit_refusal(error)
            await callback.answer(bv.not_bookable(t), show_alert=True)
            return
        await _tell_cancelled(turn, outcome)
        who = labels.client_name(t, client.nickname, client.id or 0)
        await callback.answer(scv.cancelled_for_client(t, who)[:200], show_alert=False)
        await show(callback, turn.bot, await client_entry_now(turn, client))

    return router
