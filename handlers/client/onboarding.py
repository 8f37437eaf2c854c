"""Client onboarding: /start, the language picker, the privacy notice and consent.

Routed, not branched: /start and "start again" by whether the person has consented; a
language button by whether its code is shipped, the presser's consent and whether they are
still onboarding; a consent button by its action and by who presses it (a consented client,
someone with a record, or no one we know)."""

from __future__ import annotations

from aiogram import Bot, F, Router
from aiogram.filters import Command, CommandObject, CommandStart, MagicData, StateFilter
from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery, Message

from bot.domain import Client
from bot.i18n import SUPPORTED_LOCALES, Catalogs, Translator
from bot.ports import Clock, UnitOfWorkFactory
from bot.services.arrival import arrive
from bot.services.onboarding import (
    choose_language,
    clean_start_code,
    give_consent,
    refuse_consent,
)
from bot.translation import TranslationService
from handlers import views
from handlers.callbacks import ConsentAction, ConsentCb, LangCb, StartCb
from handlers.client.access import ClientTurn, Consented
from handlers.client.fallback import refuse_stale_button
from handlers.client.menu import to_menu
from handlers.common import answer, answer_and_show, show
from handlers.plumbing.commands import set_chat_commands
from handlers.states import OnboardingSG

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
        if code:
            telegram_user_id = turn.client.telegram_user_id
            await arrive(turn.uow_factory, turn.clock, telegram_user_id=telegram_user_id, code=code)
        await turn.state.set_state(None)
        await answer(message, views.main_menu(turn.t))

    @router.message(CommandStart())
    async def start(
        message: Message,
        command: CommandObject,
        state: FSMContext,
        client: Client | None,
        t: Translator,
        guessed_locale: str,
    ) -> None:
        code = clean_start_code(command.args)
        # A start code is not personal: it may wait here until the language is picked.
        await state.set_state(OnboardingSG.language)
        await state.set_data({"start_code": code} if code else {})
        await answer(message, _picker(t, client, guessed_locale))

    @router.message(Command("language"))
    async def language_command(
        message: Message, client: Client | None, t: Translator, guessed_locale: str
    ) -> None:
        await answer(message, _picker(t, client, guessed_locale))

    @router.callback_query(LangCb.filter(SHIPPED), Consented(), StateFilter(OnboardingSG))
    async def language_picked_while_onboarding(
        callback: CallbackQuery, callback_data: LangCb, turn: ClientTurn
    ) -> None:
        # Consented, yet the FSM still in onboarding (an old picker): that is over; it goes.
        t = await _choose_language(
            callback, callback_data, turn.bot, turn.state, turn.catalogs, turn.uow_factory
        )
        await turn.state.clear()
        await show(callback, turn.bot, _menu_in(t, callback_data.code))

    @router.callback_query(LangCb.filter(SHIPPED), Consented())
    async def language_changed(
        callback: CallbackQuery, callback_data: LangCb, turn: ClientTurn
    ) -> None:
        # From the menu or in the middle of a flow: the flow's state stays as it is.
        t = await _choose_language(
            callback, callback_data, turn.bot, turn.state, turn.catalogs, turn.uow_factory
        )
        await show(callback, turn.bot, _menu_in(t, callback_data.code))

    @router.callback_query(LangCb.filter(SHIPPED))
    async def language_picked_before_consent(
        callback: CallbackQuery,
        callback_data: LangCb,
        bot: Bot,
        state: FSMContext,
        catalogs: Catalogs,
        uow_factory: UnitOfWorkFactory,
    ) -> None:
        t = await _choose_language(callback, callback_data, bot, state, catalogs, uow_factory)
        await state.set_state(OnboardingSG.consent)
        await state.set_data({})
        await show(callback, bot, views.consent_notice(t))

    # A consented client: "start again", or any button of an old notice ("agree", "no",
    # "read again"): the menu.
    router.callback_query.register(to_menu, StartCb.filter(), Consented())
    router.callback_query.register(to_menu, ConsentCb.filter(), Consented())

    @router.callback_query(StartCb.filter())
    async def start_again(
        callback: CallbackQuery,
        bot: Bot,
        state: FSMContext,
        client: Client | None,
        t: Translator,
        guessed_locale: str,
    ) -> None:
        await callback.answer()
        await state.set_state(OnboardingSG.language)
        await show(callback, bot, _picker(t, client, guessed_locale))

    @router.callback_query(ConsentCb.filter(F.action == ConsentAction.AGREE), HAS_RECORD)
    async def agree(
        callback: CallbackQuery,
        bot: Bot,
        state: FSMContext,
        clock: Clock,
        uow_factory: UnitOfWorkFactory,
        t: Translator,
    ) -> None:
        await give_consent(uow_factory, clock, telegram_user_id=callback.from_user.id)
        # Only now may a start code link the client to a site or a case manager.
        await arrive(uow_factory, clock, telegram_user_id=callback.from_user.id)
        await state.clear()
        await answer_and_show(callback, bot, views.welcome(t))

    @router.callback_query(ConsentCb.filter(F.action == ConsentAction.MORE), HAS_RECORD)
    async def more(
        callback: CallbackQuery, bot: Bot, t: Translator, translation: TranslationService
    ) -> None:
        await answer_and_show(callback, bot, views.consent_details(t, translation.provider_names()))

    @router.callback_query(ConsentCb.filter(F.action == ConsentAction.NO), HAS_RECORD)
    async def no_thanks(
        callback: CallbackQuery,
        bot: Bot,
        state: FSMContext,
        uow_factory: UnitOfWorkFactory,
        t: Translator,
    ) -> None:
        await refuse_consent(uow_factory, telegram_user_id=callback.from_user.id)
        await state.set_state(OnboardingSG.consent)
        await answer_and_show(callback, bot, views.consent_refused(t))

    @router.callback_query(ConsentCb.filter(F.action == ConsentAction.AGAIN), HAS_RECORD)
    async def notice_again(
        callback: CallbackQuery, bot: Bot, state: FSMContext, t: Translator
    ) -> None:
        await callback.answer()
        await state.set_state(OnboardingSG.consent)
        await show(callback, bot, views.consent_notice(t))

    # Last for their callback types: a language that is not shipped (or not spelt as the
    # picker spells it); a consent button when the record is gone (withdrawn) or never was.
    router.callback_query.register(refuse_stale_button, LangCb.filter())
    router.callback_query.register(refuse_stale_button, ConsentCb.filter())

    return router


async def _choose_language(
    callback: CallbackQuery,
    callback_data: LangCb,
    bot: Bot,
    state: FSMContext,
    catalogs: Catalogs,
    uow_factory: UnitOfWorkFactory,
) -> Translator:
    """Store the picked language (a start code waiting in the data goes with it); answer
    and set the commands in it. Returns the translator of the new language."""
    data = await state.get_data()
    await choose_language(
        uow_factory,
        telegram_user_id=callback.from_user.id,
        chat_id=callback.from_user.id,
        locale=callback_data.code,
        start_code=data.get("start_code"),
    )
    t = catalogs.translator(callback_data.code)
    await callback.answer(views.language_changed(t, callback_data.code))
    await set_chat_commands(bot, callback.from_user.id, t)
    return t


def _picker(t: Translator, client: Client | None, guessed_locale: str) -> views.Screen:
    current = client.locale if client is not None else None
    return views.language_picker(t, guessed=guessed_locale, current=current)


def _menu_in(t: Translator, locale: str) -> views.Screen:
    return views.main_menu(t, intro=views.language_changed(t, locale))
