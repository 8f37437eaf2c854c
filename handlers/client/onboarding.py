"""Client onboarding: /start, the language picker, the privacy notice and consent.

Routed, not branched: /start and "start again" by whether the person has consented; a
language button by whether its code is shipped, the presser's consent and whether they are
still onboarding; a consent button by its action and by who presses it (a consented client,
someone with a record, or no one we know)."""

from __future__ import annotations

from aiogram import F, Router
from aiogram.filters import Command, CommandObject, CommandStart, MagicData, StateFilter
from aiogram.types import CallbackQuery, Message

from bot.domain import Client
from bot.i18n import SUPPORTED_LOCALES, Translator
from bot.services.arrival import Arrival, arrive
from bot.services.onboarding import (
    choose_language,
    clean_start_code,
    give_consent,
    refuse_consent,
)
from handlers import views
from handlers.callbacks import ConsentAction, ConsentCb, LangCb, StartCb
from handlers.client.access import ClientTurn, Consented
from handlers.client.fallback import refuse_stale_button
from handlers.client.menu import to_menu
from handlers.common import answer, answer_and_show, leave_flow, show
from handlers.plumbing.commands import set_chat_commands
from handlers.states import OnboardingSG
from handlers.turn import Turn

#: A language button whose code is a shipped locale, spelt exactly as the picker spells it.
SHIPPED = F.code.in_(SUPPORTED_LOCALES)
#: Someone with a client record (consented or not); without one the catch-all refuses.
HAS_RECORD = MagicData(F.client.is_not(None))


def onboarding_router() -> Router:
    router = Router(name="onboarding")
    router.message.filter(F.chat.type == "private")

    @router.message(CommandStart(), Consented())
    async def start_consented(message: Message, command: CommandObject, turn: ClientTurn) -> None:
        code = clean_start_code(command.args)
        arrival = Arrival.NOTHING
        if code:
            telegram_user_id = turn.client.telegram_user_id
            arrival = await arrive(
                turn.uow_factory, turn.clock, telegram_user_id=telegram_user_id, code=code
            )
        await leave_flow(turn.state)
        await answer(message, views.main_menu(turn.t, intro=views.arrival_note(turn.t, arrival)))

    @router.message(CommandStart())
    async def start(
        message: Message, command: CommandObject, turn: Turn, client: Client | None
    ) -> None:
        code = clean_start_code(command.args)
        # A start code is not personal: it may wait here until the language is picked.
        await turn.state.set_state(OnboardingSG.language)
        await turn.state.set_data({"start_code": code} if code else {})
        await answer(message, _picker(turn.t, client, turn.guessed_locales))

    @router.message(Command("language"))
    async def language_command(message: Message, client: Client | None, turn: Turn) -> None:
        await answer(message, _picker(turn.t, client, turn.guessed_locales))

    @router.callback_query(LangCb.filter(SHIPPED), Consented(), StateFilter(OnboardingSG))
    async def language_picked_while_onboarding(
        callback: CallbackQuery, callback_data: LangCb, turn: ClientTurn
    ) -> None:
        # Consented, yet the FSM still in onboarding (an old picker): that is over; it goes.
        t = await _choose_language(callback, callback_data, turn)
        await turn.state.clear()
        await show(callback, turn.bot, _menu_in(t, callback_data.code))

    @router.callback_query(LangCb.filter(SHIPPED), Consented())
    async def language_changed(
        callback: CallbackQuery, callback_data: LangCb, turn: ClientTurn
    ) -> None:
        # From the menu or in the middle of a flow: the flow's state stays as it is.
        t = await _choose_language(callback, callback_data, turn)
        await show(callback, turn.bot, _menu_in(t, callback_data.code))

    @router.callback_query(LangCb.filter(SHIPPED))
    async def language_picked_before_consent(
        callback: CallbackQuery, callback_data: LangCb, turn: Turn
    ) -> None:
        t = await _choose_language(callback, callback_data, turn)
        await turn.state.set_state(OnboardingSG.consent)
        await turn.state.set_data({})
        await show(callback, turn.bot, views.consent_notice(t))

    # A consented client: "start again", or any button of an old notice ("agree", "no",
    # "read again"): the menu.
    router.callback_query.register(to_menu, StartCb.filter(), Consented())
    router.callback_query.register(to_menu, ConsentCb.filter(), Consented())

    @router.callback_query(StartCb.filter())
    async def start_again(callback: CallbackQuery, turn: Turn, client: Client | None) -> None:
        await callback.answer()
        await turn.state.set_state(OnboardingSG.language)
        await show(callback, turn.bot, _picker(turn.t, client, turn.guessed_locales))

    @router.callback_query(ConsentCb.filter(F.action == ConsentAction.AGREE), HAS_RECORD)
    async def agree(callback: CallbackQuery, turn: Turn) -> None:
        await give_consent(turn.uow_factory, turn.clock, telegram_user_id=callback.from_user.id)
        # Only now may a start code link the client to a site or a case manager; a personal
        # invite that does not work is said so, and onboarding goes on all the same.
        arrival = await arrive(turn.uow_factory, turn.clock, telegram_user_id=callback.from_user.id)
        await turn.state.clear()
        await turn.show(callback, views.welcome(turn.t, arrival))

    @router.callback_query(ConsentCb.filter(F.action == ConsentAction.MORE), HAS_RECORD)
    async def more(callback: CallbackQuery, turn: Turn) -> None:
        await answer_and_show(
            callback, turn.bot, views.consent_details(turn.t, turn.translation.provider_names())
        )

    @router.callback_query(ConsentCb.filter(F.action == ConsentAction.NO), HAS_RECORD)
    async def no_thanks(callback: CallbackQuery, turn: Turn) -> None:
        await refuse_consent(turn.uow_factory, telegram_user_id=callback.from_user.id)
        await turn.state.set_state(OnboardingSG.consent)
        await turn.show(callback, views.consent_refused(turn.t))

    @router.callback_query(ConsentCb.filter(F.action == ConsentAction.AGAIN), HAS_RECORD)
    async def notice_again(callback: CallbackQuery, turn: Turn) -> None:
        await callback.answer()
        await turn.state.set_state(OnboardingSG.consent)
        await show(callback, turn.bot, views.consent_notice(turn.t))

    # Last for their callback types: a language that is not shipped (or not spelt as the
    # picker spells it); a consent button when the record is gone (withdrawn) or never was.
    router.callback_query.register(refuse_stale_button, LangCb.filter())
    router.callback_query.register(refuse_stale_button, ConsentCb.filter())

    return router


async def _choose_language(
    callback: CallbackQuery, callback_data: LangCb, turn: Turn
) -> Translator:
    """Store the picked language (a start code waiting in the data goes with it); answer
    and set the commands in it. Returns the translator of the new language."""
    data = await turn.state.get_data()
    await choose_language(
        turn.uow_factory,
        telegram_user_id=callback.from_user.id,
        chat_id=callback.from_user.id,
        locale=callback_data.code,
        start_code=data.get("start_code"),
    )
    t = turn.speaking(callback_data.code)
    await callback.answer(views.language_changed(t, callback_data.code))
    await set_chat_commands(turn.bot, callback.from_user.id, t)
    return t


def _picker(t: Translator, client: Client | None, guessed: tuple[str, ...]) -> views.Screen:
    current = client.locale if client is not None else None
    return views.language_picker(t, guessed=guessed, current=current)


def _menu_in(t: Translator, locale: str) -> views.Screen:
    return views.main_menu(t, intro=views.language_changed(t, locale))
