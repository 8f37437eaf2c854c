"""Handover of a client and absences with a deputy; everyone concerned is told.

One handler per action, chosen by the typed callback data; a button whose value does not
fit its action (an old or forged one) falls through to the catch handler registered last.
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import date

from aiogram import F, Router
from aiogram.types import CallbackQuery

from bot.domain import Client, Staff
from bot.services import team as team_service
from bot.services.notes import NoteAccessError
from handlers.callbacks import TeamAction, TeamCb
from handlers.common import refuse_button, tell
from handlers.staff import team_views as tv
from handlers.staff import views as sv
from handlers.staff.access import IsStaff, StaffTurn
from handlers.views import Screen

log = logging.getLogger("lotse.team")

#: A staff id (or client id) in `value`.
_ID = F.value.isdigit()
#: `deputy-days` in `value`; whether both parts are numbers is checked by the handler.
_DEPUTY_PERIOD = F.value.count("-") == 1


async def _refuse(callback: CallbackQuery, turn: StaffTurn) -> None:
    """An old or forged button: the menu instead."""
    await refuse_button(callback, turn.bot, turn.t, sv.menu(turn.t))


@asynccontextmanager
async def _refusals(callback: CallbackQuery, turn: StaffTurn) -> AsyncIterator[None]:
    """What the services refuse: not theirs to hand over, or an old or forged button."""
    try:
        yield
    except team_service.NotAllowedError:
        await callback.answer(tv.handover_refused(turn.t), show_alert=True)
    except NoteAccessError as refused:
        await turn.audit_refusal(refused)
        await _refuse(callback, turn)
    except team_service.TeamError:
        await _refuse(callback, turn)


def _today(turn: StaffTurn) -> date:
    return turn.clock.now().astimezone(turn.policy.zone).date()


async def _client(turn: StaffTurn, callback_data: TeamCb) -> Client:
    """The client of the button, if the pressing case manager may hand them over."""
    return await team_service.client_for_handover(
        turn.uow_factory, staff=turn.staff, client_id=callback_data.id
    )


async def _colleague(turn: StaffTurn, value: str) -> Staff:
    """A colleague of the site named by the button, or TeamError."""
    people = {p.id: p for p in await team_service.colleagues(turn.uow_factory, staff=turn.staff)}
    colleague = people.get(int(value))
    if colleague is None:
        raise team_service.TeamError("colleague")
    return colleague


async def _show_absences(callback: CallbackQuery, turn: StaffTurn, today: date) -> None:
    periods = await team_service.absences(turn.uow_factory, staff=turn.staff, today=today)
    await turn.show(callback, tv.away(turn.t, periods, turn.policy.zone))


async def _tell_handover(turn: StaffTurn, done: team_service.Handover) -> None:
    """The client hears of the new case manager; the new one, unless it is oneself."""
    ct = turn.speaking(done.client.locale)
    await tell(turn.bot, done.client.chat_id, tv.client_new_advisor(ct, done.new))
    if done.new.id != turn.staff.id:
        nt = turn.speaking(done.new.locale)
        await tell(
            turn.bot,
            done.new.telegram_user_id,
            Screen(tv.got_client(nt, done.client, turn.staff)),
        )


async def _tell_absence(turn: StaffTurn, absence: team_service.Absence) -> None:
    """Each client hears of the deputy, then the deputy of the clients."""
    zone = turn.policy.zone
    for client in absence.clients:
        ct = turn.speaking(client.locale)
        await tell(
            turn.bot, client.chat_id, tv.client_deputy(ct, absence.deputy, absence.ends_on, zone)
        )
    dt = turn.speaking(absence.deputy.locale)
    await tell(
        turn.bot,
        absence.deputy.telegram_user_id,
        Screen(tv.deputy_told(dt, turn.staff, absence.ends_on, len(absence.clients), zone)),
    )


def team_router() -> Router:
    router = Router(name="team")
    router.callback_query.filter(IsStaff())

    @router.callback_query(TeamCb.filter(F.action == TeamAction.HANDOVER))
    async def handover(callback: CallbackQuery, callback_data: TeamCb, turn: StaffTurn) -> None:
        async with _refusals(callback, turn):
            client = await _client(turn, callback_data)
            people = await team_service.colleagues(turn.uow_factory, staff=turn.staff)
            people = [p for p in people if p.id != client.case_manager_id]
            await turn.show(callback, tv.handover_pick(turn.t, client, people))

    @router.callback_query(TeamCb.filter((F.action == TeamAction.HANDOVER_TO) & _ID))
    async def handover_to(callback: CallbackQuery, callback_data: TeamCb, turn: StaffTurn) -> None:
        # First the question: a handover tells the client at once.
        async with _refusals(callback, turn):
            client = await _client(turn, callback_data)
            colleague = await _colleague(turn, callback_data.value)
            await turn.show(callback, tv.confirm_handover(turn.t, client, colleague))

    @router.callback_query(TeamCb.filter((F.action == TeamAction.HANDOVER_CONFIRMED) & _ID))
    async def handover_confirmed(
        callback: CallbackQuery, callback_data: TeamCb, turn: StaffTurn
    ) -> None:
        async with _refusals(callback, turn):
            done = await team_service.hand_over(
                turn.uow_factory,
                turn.clock,
                staff=turn.staff,
                client_id=callback_data.id,
                to_staff_id=int(callback_data.value),
            )
            await _tell_handover(turn, done)
            await turn.show(callback, tv.handed_over(turn.t, done.client, done.new))

    @router.callback_query(TeamCb.filter(F.action == TeamAction.AWAY))
    async def away(callback: CallbackQuery, turn: StaffTurn) -> None:
        async with _refusals(callback, turn):
            await _show_absences(callback, turn, _today(turn))

    @router.callback_query(TeamCb.filter(F.action == TeamAction.DEPUTY))
    async def deputy(callback: CallbackQuery, turn: StaffTurn) -> None:
        async with _refusals(callback, turn):
            people = await team_service.colleagues(turn.uow_factory, staff=turn.staff)
            await turn.show(callback, tv.pick_deputy(turn.t, people))

    @router.callback_query(TeamCb.filter((F.action == TeamAction.DEPUTY_PERIOD) & _ID))
    async def deputy_period(
        callback: CallbackQuery, callback_data: TeamCb, turn: StaffTurn
    ) -> None:
        async with _refusals(callback, turn):
            deputy = await _colleague(turn, callback_data.value)
            screen = tv.pick_period(turn.t, deputy, team_service.PERIODS)
            await turn.show(callback, screen)

    @router.callback_query(TeamCb.filter((F.action == TeamAction.DEPUTY_SET) & _DEPUTY_PERIOD))
    async def deputy_set(callback: CallbackQuery, callback_data: TeamCb, turn: StaffTurn) -> None:
        async with _refusals(callback, turn):
            deputy_id, _, days = callback_data.value.partition("-")
            if not (deputy_id.isdigit() and days.isdigit()):
                raise team_service.TeamError("value")
            absence = await team_service.name_deputy(
                turn.uow_factory,
                turn.clock,
                staff=turn.staff,
                deputy_id=int(deputy_id),
                days=int(days),
                today=_today(turn),
            )
            await _tell_absence(turn, absence)
            count = len(absence.clients)
            screen = tv.deputy_named(
                turn.t, absence.deputy, absence.ends_on, count, turn.policy.zone
            )
            await turn.show(callback, screen)

    @router.callback_query(TeamCb.filter(F.action == TeamAction.DEPUTY_END))
    async def deputy_end(callback: CallbackQuery, callback_data: TeamCb, turn: StaffTurn) -> None:
        async with _refusals(callback, turn):
            today = _today(turn)
            await team_service.end_absence(
                turn.uow_factory, turn.clock, staff=turn.staff, row_id=callback_data.id
            )
            await _show_absences(callback, turn, today)

    @router.callback_query(TeamCb.filter())
    async def out_of_order(callback: CallbackQuery, turn: StaffTurn) -> None:
        # Registered last: a value that does not fit its action (an old or forged button).
        await _refuse(callback, turn)

    return router
