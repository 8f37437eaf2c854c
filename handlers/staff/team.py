"""Handover of a client and absences with a deputy; everyone concerned is told.

One handler per action, chosen by the typed callback data; a button whose value does not
fit its action (an old or forged one) falls through to the catch handler registered last.
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import date
from zoneinfo import ZoneInfo

from aiogram import Bot, F, Router
from aiogram.types import CallbackQuery

from bot.domain import Client, Staff
from bot.i18n import Catalogs, Translator
from bot.ports import Clock, UnitOfWorkFactory
from bot.services import team as team_service
from bot.services.notes import NoteAccessError
from bot.slots import BookingPolicy
from handlers.callbacks import TeamAction, TeamCb
from handlers.common import refuse_button, show, tell
from handlers.staff import team_views as tv
from handlers.staff import views as sv
from handlers.staff.access import IsStaff
from handlers.views import Screen

log = logging.getLogger("lotse.team")

#: A staff id (or client id) in `value`.
_ID = F.value.isdigit()
#: `deputy-days` in `value`; whether both parts are numbers is checked by the handler.
_DEPUTY_PERIOD = F.value.count("-") == 1


@asynccontextmanager
async def _refusals(callback: CallbackQuery, bot: Bot, t: Translator) -> AsyncIterator[None]:
    """What the services refuse: not theirs to hand over, or an old or forged button."""
    try:
        yield
    except team_service.NotAllowedError:
        await callback.answer(tv.handover_refused(t), show_alert=True)
    except (team_service.TeamError, NoteAccessError):
        await refuse_button(callback, bot, t, sv.menu(t))


async def _answer_and_show(callback: CallbackQuery, bot: Bot, screen: Screen) -> None:
    await callback.answer()
    await show(callback, bot, screen)


def _today(clock: Clock, zone: ZoneInfo) -> date:
    return clock.now().astimezone(zone).date()


async def _client(uow_factory: UnitOfWorkFactory, staff: Staff, callback_data: TeamCb) -> Client:
    """The client of the button, if the pressing case manager may hand them over."""
    return await team_service.client_for_handover(
        uow_factory, staff=staff, client_id=callback_data.id
    )


async def _colleague(uow_factory: UnitOfWorkFactory, staff: Staff, value: str) -> Staff:
    """A colleague of the site named by the button, or TeamError."""
    people = {p.id: p for p in await team_service.colleagues(uow_factory, staff=staff)}
    colleague = people.get(int(value))
    if colleague is None:
        raise team_service.TeamError("colleague")
    return colleague


async def _show_absences(
    callback: CallbackQuery,
    bot: Bot,
    t: Translator,
    uow_factory: UnitOfWorkFactory,
    staff: Staff,
    today: date,
    zone: ZoneInfo,
) -> None:
    periods = await team_service.absences(uow_factory, staff=staff, today=today)
    await _answer_and_show(callback, bot, tv.away(t, periods, zone))


async def _tell_handover(
    bot: Bot, catalogs: Catalogs, staff: Staff, done: team_service.Handover
) -> None:
    """The client hears of the new case manager; the new one, unless it is oneself."""
    ct = catalogs.translator(done.client.locale)
    await tell(bot, done.client.chat_id, tv.client_new_advisor(ct, done.new))
    if done.new.id != staff.id:
        nt = catalogs.translator(done.new.locale)
        await tell(bot, done.new.telegram_user_id, Screen(tv.got_client(nt, done.client, staff)))


async def _tell_absence(
    bot: Bot, catalogs: Catalogs, staff: Staff, absence: team_service.Absence, zone: ZoneInfo
) -> None:
    """Each client hears of the deputy, then the deputy of the clients."""
    for client in absence.clients:
        ct = catalogs.translator(client.locale)
        await tell(bot, client.chat_id, tv.client_deputy(ct, absence.deputy, absence.ends_on, zone))
    dt = catalogs.translator(absence.deputy.locale)
    await tell(
        bot,
        absence.deputy.telegram_user_id,
        Screen(tv.deputy_told(dt, staff, absence.ends_on, len(absence.clients), zone)),
    )


def team_router() -> Router:
    router = Router(name="team")
    router.callback_query.filter(IsStaff())

    @router.callback_query(TeamCb.filter(F.action == TeamAction.HANDOVER))
    async def handover(
        callback: CallbackQuery,
        callback_data: TeamCb,
        bot: Bot,
        staff: Staff,
        t: Translator,
        uow_factory: UnitOfWorkFactory,
    ) -> None:
        async with _refusals(callback, bot, t):
            client = await _client(uow_factory, staff, callback_data)
            people = await team_service.colleagues(uow_factory, staff=staff)
            people = [p for p in people if p.id != client.case_manager_id]
            await _answer_and_show(callback, bot, tv.handover_pick(t, client, people))

    @router.callback_query(TeamCb.filter((F.action == TeamAction.HANDOVER_TO) & _ID))
    async def handover_to(
        callback: CallbackQuery,
        callback_data: TeamCb,
        bot: Bot,
        staff: Staff,
        t: Translator,
        uow_factory: UnitOfWorkFactory,
    ) -> None:
        # First the question: a handover tells the client at once.
        async with _refusals(callback, bot, t):
            client = await _client(uow_factory, staff, callback_data)
            colleague = await _colleague(uow_factory, staff, callback_data.value)
            await _answer_and_show(callback, bot, tv.confirm_handover(t, client, colleague))

    @router.callback_query(TeamCb.filter((F.action == TeamAction.HANDOVER_CONFIRMED) & _ID))
    async def handover_confirmed(
        callback: CallbackQuery,
        callback_data: TeamCb,
        bot: Bot,
        staff: Staff,
        t: Translator,
        catalogs: Catalogs,
        uow_factory: UnitOfWorkFactory,
        clock: Clock,
    ) -> None:
        async with _refusals(callback, bot, t):
            done = await team_service.hand_over(
                uow_factory,
                clock,
                staff=staff,
                client_id=callback_data.id,
                to_staff_id=int(callback_data.value),
            )
            await _tell_handover(bot, catalogs, staff, done)
            await _answer_and_show(callback, bot, tv.handed_over(t, done.client, done.new))

    @router.callback_query(TeamCb.filter(F.action == TeamAction.AWAY))
    async def away(
        callback: CallbackQuery,
        bot: Bot,
        staff: Staff,
        t: Translator,
        uow_factory: UnitOfWorkFactory,
        clock: Clock,
        policy: BookingPolicy,
    ) -> None:
        async with _refusals(callback, bot, t):
            today = _today(clock, policy.zone)
            await _show_absences(callback, bot, t, uow_factory, staff, today, policy.zone)

    @router.callback_query(TeamCb.filter(F.action == TeamAction.DEPUTY))
    async def deputy(
        callback: CallbackQuery,
        bot: Bot,
        staff: Staff,
        t: Translator,
        uow_factory: UnitOfWorkFactory,
    ) -> None:
        async with _refusals(callback, bot, t):
            people = await team_service.colleagues(uow_factory, staff=staff)
            await _answer_and_show(callback, bot, tv.pick_deputy(t, people))

    @router.callback_query(TeamCb.filter((F.action == TeamAction.DEPUTY_PERIOD) & _ID))
    async def deputy_period(
        callback: CallbackQuery,
        callback_data: TeamCb,
        bot: Bot,
        staff: Staff,
        t: Translator,
        uow_factory: UnitOfWorkFactory,
    ) -> None:
        async with _refusals(callback, bot, t):
            deputy = await _colleague(uow_factory, staff, callback_data.value)
            await _answer_and_show(callback, bot, tv.pick_period(t, deputy, team_service.PERIODS))

    @router.callback_query(TeamCb.filter((F.action == TeamAction.DEPUTY_SET) & _DEPUTY_PERIOD))
    async def deputy_set(
        callback: CallbackQuery,
        callback_data: TeamCb,
        bot: Bot,
        staff: Staff,
        t: Translator,
        catalogs: Catalogs,
        uow_factory: UnitOfWorkFactory,
        clock: Clock,
        policy: BookingPolicy,
    ) -> None:
        zone = policy.zone
        async with _refusals(callback, bot, t):
            deputy_id, _, days = callback_data.value.partition("-")
            if not (deputy_id.isdigit() and days.isdigit()):
                raise team_service.TeamError("value")
            absence = await team_service.name_deputy(
                uow_factory,
                clock,
                staff=staff,
                deputy_id=int(deputy_id),
                days=int(days),
                today=_today(clock, zone),
            )
            await _tell_absence(bot, catalogs, staff, absence, zone)
            count = len(absence.clients)
            screen = tv.deputy_named(t, absence.deputy, absence.ends_on, count, zone)
            await _answer_and_show(callback, bot, screen)

    @router.callback_query(TeamCb.filter(F.action == TeamAction.DEPUTY_END))
    async def deputy_end(
        callback: CallbackQuery,
        callback_data: TeamCb,
        bot: Bot,
        staff: Staff,
        t: Translator,
        uow_factory: UnitOfWorkFactory,
        clock: Clock,
        policy: BookingPolicy,
    ) -> None:
        async with _refusals(callback, bot, t):
            today = _today(clock, policy.zone)
            await team_service.end_absence(uow_factory, clock, staff=staff, row_id=callback_data.id)
            await _show_absences(callback, bot, t, uow_factory, staff, today, policy.zone)

    @router.callback_query(TeamCb.filter())
    async def out_of_order(callback: CallbackQuery, bot: Bot, staff: Staff, t: Translator) -> None:
        # Registered last: a value that does not fit its action (an old or forged button).
        await refuse_button(callback, bot, t, sv.menu(t))

    return router
