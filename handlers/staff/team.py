"""Handover of a client and absences with a deputy; everyone concerned is told."""

from __future__ import annotations

import logging

from aiogram import Bot, Router
from aiogram.types import CallbackQuery

from bot.domain import Staff
from bot.i18n import Catalogs, Translator
from bot.ports import Clock, UnitOfWorkFactory
from bot.services import team as team_service
from bot.services.notes import NoteAccessError
from bot.slots import BookingPolicy
from handlers import views
from handlers.callbacks import TeamCb
from handlers.common import send, show, tell
from handlers.staff import team_views as tv
from handlers.staff import views as sv
from handlers.staff.access import IsStaff
from handlers.views import Screen

log = logging.getLogger("lotse.team")


def team_router() -> Router:
    router = Router(name="team")
    router.callback_query.filter(IsStaff())

    @router.callback_query(TeamCb.filter())
    async def team_action(
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
        today = clock.now().astimezone(zone).date()
        action, ident, value = callback_data.action, callback_data.id, callback_data.value
        try:
            if action == "ho":
                client = await team_service.client_for_handover(
                    uow_factory, staff=staff, client_id=ident
                )
                people = await team_service.colleagues(uow_factory, staff=staff)
                people = [p for p in people if p.id != client.case_manager_id]
                await callback.answer()
                await show(callback, bot, tv.handover_pick(t, client, people))
            elif action == "hto" and value.isdigit():
                # First the question: a handover tells the client at once.
                client = await team_service.client_for_handover(
                    uow_factory, staff=staff, client_id=ident
                )
                people = {p.id: p for p in await team_service.colleagues(uow_factory, staff=staff)}
                colleague = people.get(int(value))
                if colleague is None:
                    raise team_service.TeamError("colleague")
                await callback.answer()
                await show(callback, bot, tv.confirm_handover(t, client, colleague))
            elif action == "hok" and value.isdigit():
                done = await team_service.hand_over(
                    uow_factory, clock, staff=staff, client_id=ident, to_staff_id=int(value)
                )
                ct = catalogs.translator(done.client.locale)
                await tell(bot, done.client.chat_id, tv.client_new_advisor(ct, done.new))
                if done.new.id != staff.id:
                    nt = catalogs.translator(done.new.locale)
                    await tell(
                        bot,
                        done.new.telegram_user_id,
                        Screen(tv.got_client(nt, done.client, staff)),
                    )
                await callback.answer()
                await show(callback, bot, tv.handed_over(t, done.client, done.new))
            elif action == "away":
                periods = await team_service.absences(uow_factory, staff=staff, today=today)
                await callback.answer()
                await show(callback, bot, tv.away(t, periods, zone))
            elif action == "dep":
                people = await team_service.colleagues(uow_factory, staff=staff)
                await callback.answer()
                await show(callback, bot, tv.pick_deputy(t, people))
            elif action == "dper" and value.isdigit():
                people = {p.id: p for p in await team_service.colleagues(uow_factory, staff=staff)}
                deputy = people.get(int(value))
                if deputy is None:
                    raise team_service.TeamError("colleague")
                await callback.answer()
                await show(callback, bot, tv.pick_period(t, deputy, team_service.PERIODS))
            elif action == "dset" and value.count("-") == 1:
                deputy_id, _, days = value.partition("-")
                if not (deputy_id.isdigit() and days.isdigit()):
                    raise team_service.TeamError("value")
                absence = await team_service.name_deputy(
                    uow_factory,
                    clock,
                    staff=staff,
                    deputy_id=int(deputy_id),
                    days=int(days),
                    today=today,
                )
                for client in absence.clients:
                    ct = catalogs.translator(client.locale)
                    await tell(
                        bot,
                        client.chat_id,
                        tv.client_deputy(ct, absence.deputy, absence.ends_on, zone),
                    )
                dt = catalogs.translator(absence.deputy.locale)
                await tell(
                    bot,
                    absence.deputy.telegram_user_id,
                    Screen(tv.deputy_told(dt, staff, absence.ends_on, len(absence.clients), zone)),
                )
                await callback.answer()
                await show(
                    callback,
                    bot,
                    tv.deputy_named(t, absence.deputy, absence.ends_on, len(absence.clients), zone),
                )
            elif action == "dend":
                await team_service.end_absence(uow_factory, clock, staff=staff, row_id=ident)
                periods = await team_service.absences(uow_factory, staff=staff, today=today)
                await callback.answer()
                await show(callback, bot, tv.away(t, periods, zone))
            else:
                raise team_service.TeamError("action")
        except team_service.NotAllowedError:
            await callback.answer(tv.handover_refused(t), show_alert=True)
        except (team_service.TeamError, NoteAccessError):
            await callback.answer(views.stale_button(t), show_alert=True)
            await send(bot, callback.from_user.id, sv.menu(t))

    return router
