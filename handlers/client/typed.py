"""What a client types outside a flow (issue 19): a request Lotse can do leads straight
to it; anything else is a message for a person and goes to one at once.

Recognition is bot.intents (word lists per language, kept with the catalogs). One
request: its screen, as the menu button opens it. Several: a button each. None: the
words go through the relay (translated, original kept, quiet hours and 110/112 as for
"Message my advisor") to the advisor, or to the town's advisors while nobody has taken
the client on; a client with no town yet chooses it first, and the message (kept in
the conversation state, which is encrypted at rest) goes out after.

Sent at once rather than after "Send this to my advisor?": those who type instead of
tapping are often those who read least, and a question answered with another question
is where they gave up before. They are told at once where their words went and when to
expect an answer. Only the request's name is logged, never the text.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from contextlib import suppress
from dataclasses import replace

from aiogram import F, Router
from aiogram.exceptions import TelegramAPIError
from aiogram.filters import StateFilter
from aiogram.types import CallbackQuery, Message, ReplyKeyboardRemove

from bot.intents import Intent, recognise
from bot.services import booking as booking_service
from bot.services import relay as relay_service
from bot.services.arrival import choose_site, sites_with_staff
from handlers import relay_views as rv
from handlers import views
from handlers.callbacks import RelayAction, RelayCb, TypedCb
from handlers.client import booking_views as bv
from handlers.client import typed_views as tv
from handlers.client.access import ClientTurn, Consented
from handlers.client.booking_steps import first_booking_step
from handlers.client.messages import relay_from_client, start_writing
from handlers.client.privacy import overview
from handlers.common import KEPT, answer, leave_flow, refuse_button, show
from handlers.states import RelaySG
from handlers.views import Screen

log = logging.getLogger("lotse.typed")

#: Typed messages waiting for the town (FSM data KEPT, handlers.common): [message id,
#: text] pairs, oldest first; only the last KEPT_MAX are kept.
KEPT_MAX = 5
#: Requests that open the same screen: changing or cancelling starts from the list.
_SCREEN_OF = {Intent.MOVE: Intent.APPOINTMENTS, Intent.CANCEL: Intent.APPOINTMENTS}


def typed_router() -> Router:
    """After the flows' own text handlers and the relay, before the fallback."""
    router = Router(name="typed")
    router.message.filter(F.chat.type == "private")

    @router.message(StateFilter(None), F.text, ~F.text.startswith("/"), Consented())
    async def typed(message: Message, turn: ClientTurn) -> None:
        text = message.text or ""
        if text == bv.stop_label(turn.t):  # a phone step's keyboard left behind: not words
            await message.answer(bv.stopped(turn.t), reply_markup=ReplyKeyboardRemove())
            await answer(message, views.main_menu(turn.t))
            return
        intents = list(
            dict.fromkeys(_SCREEN_OF.get(i, i) for i in recognise(text, turn.client.locale))
        )
        log.info("typed", extra={"intent": _name(intents)})  # never the text
        if len(intents) == 1:
            await answer(message, await _screen(turn, intents[0]))
        elif intents:
            await answer(message, tv.which_one(turn.t, intents))
        else:
            await to_a_person(message, turn, text)

    @router.callback_query(TypedCb.filter(), Consented())
    async def meant(callback: CallbackQuery, callback_data: TypedCb, turn: ClientTurn) -> None:
        await callback.answer()
        await show(callback, turn.bot, await _screen(turn, callback_data.intent))

    @router.message(RelaySG.town, F.text, ~F.text.startswith("/"), Consented())
    async def more_while_waiting(message: Message, turn: ClientTurn) -> None:
        kept = (await turn.state.get_data()).get(KEPT, [])
        kept = [*kept, [message.message_id, message.text or ""]][-KEPT_MAX:]
        await turn.state.update_data({KEPT: kept})
        await message.answer(tv.kept_too(turn.t))

    @router.callback_query(RelayCb.filter(F.action == RelayAction.TOWN), RelaySG.town, Consented())
    async def town(callback: CallbackQuery, callback_data: RelayCb, turn: ClientTurn) -> None:
        sites = {s.id for s in await sites_with_staff(turn.uow_factory)}
        client = None
        if callback_data.id in sites:
            client = await choose_site(
                turn.uow_factory, telegram_user_id=callback.from_user.id, site_id=callback_data.id
            )
        if client is None:  # a town that has no staff (any more): the towns as they are now
            now = await sites_with_staff(turn.uow_factory)
            screen = tv.town_first(turn.t, now) if now else rv.nobody_to_write_to(turn.t)
            if not now:
                await turn.state.clear()
            await refuse_button(callback, turn.bot, turn.t, screen)
            return
        kept = (await turn.state.get_data()).get(KEPT, [])
        await turn.state.clear()
        await callback.answer()
        await _take_buttons_away(callback)
        if not kept:
            await show(callback, turn.bot, views.main_menu(turn.t))
            return
        # One message with all they typed meanwhile, under the id of the last.
        text = "\n\n".join(str(t) for _, t in kept)
        await relay_from_client(
            replace(turn, client=client),
            chat_id=callback.from_user.id,
            message_id=int(kept[-1][0]),
            text=text,
        )

    @router.callback_query(RelayCb.filter(F.action == RelayAction.DROP), RelaySG.town, Consented())
    async def drop(callback: CallbackQuery, turn: ClientTurn) -> None:
        await turn.state.clear()
        await callback.answer()
        await show(callback, turn.bot, views.main_menu(turn.t, intro=tv.not_sent(turn.t)))

    return router


def _name(intents: list[Intent]) -> str:
    return intents[0].value if len(intents) == 1 else "several" if intents else "none"


async def _take_buttons_away(callback: CallbackQuery) -> None:
    if isinstance(callback.message, Message):
        with suppress(TelegramAPIError):
            await callback.message.edit_reply_markup(reply_markup=None)


async def to_a_person(message: Message, turn: ClientTurn, text: str) -> None:
    """Words that ask for nothing Lotse does: to the advisor (or the town's advisors) at
    once; with no town yet, kept until the client chooses one."""
    client = turn.client
    if await relay_service.someone_to_write_to(
        turn.uow_factory, turn.clock, turn.policy, client=client
    ):
        await relay_from_client(
            turn, chat_id=message.chat.id, message_id=message.message_id, text=text
        )
        return
    sites = await sites_with_staff(turn.uow_factory) if client.site_id is None else []
    if not sites:
        await answer(message, rv.nobody_to_write_to(turn.t))
        return
    await turn.state.set_state(RelaySG.town)
    await turn.state.set_data({KEPT: [[message.message_id, text]]})
    await answer(message, tv.town_first(turn.t, sites))


async def _appointments(turn: ClientTurn) -> Screen:
    await leave_flow(turn.state)
    upcoming = await booking_service.upcoming_appointments(
        turn.uow_factory, turn.clock, client_id=turn.client.id or 0
    )
    return bv.appointment_list(turn.t, upcoming, turn.policy.zone)


async def _language(turn: ClientTurn) -> Screen:
    await leave_flow(turn.state)
    locale = turn.client.locale
    return views.language_picker(turn.t, guessed=(locale,), current=locale)


async def _privacy(turn: ClientTurn) -> Screen:
    await leave_flow(turn.state)
    return overview(turn)


async def _help(turn: ClientTurn) -> Screen:
    await leave_flow(turn.state)
    return views.main_menu(turn.t, intro=views.help_text(turn.t))


#: The screen each request opens, as its menu button (or command) opens it.
_SCREENS: dict[Intent, Callable[[ClientTurn], Awaitable[Screen]]] = {
    Intent.BOOK: first_booking_step,
    Intent.APPOINTMENTS: _appointments,
    Intent.MOVE: _appointments,  # changing or cancelling starts from the list
    Intent.CANCEL: _appointments,
    Intent.MESSAGE: start_writing,
    Intent.LANGUAGE: _language,
    Intent.PRIVACY: _privacy,
    Intent.HELP: _help,
}


async def _screen(turn: ClientTurn, intent: Intent) -> Screen:
    return await _SCREENS[intent](turn)
