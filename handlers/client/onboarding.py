"""Client onboarding: /start, the language picker, the privacy notice and consent."""

from __future__ import annotations

from aiogram import Bot, F, Router
from aiogram.filters import Command, CommandObject, CommandStart
from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery, Message

from bot.domain import Client
from bot.i18n import Catalogs, Translator, normalize_locale
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
from handlers.callbacks import ConsentCb, LangCb, StartCb
from handlers.common import current_screen, refuse_button, show
from handlers.plumbing.commands import set_chat_commands
from handlers.states import OnboardingSG


def onboarding_router() -> Router:
    router = Router(name="onboarding")
    router.message.filter(F.chat.type == "private")

    @router.message(CommandStart())
    async def start(
        message: Message,
        command: CommandObject,
        state: FSMContext,
        client: Client | None,
        t: Translator,
        guessed_locale: str,
        uow_factory: UnitOfWorkFactory,
        clock: Clock,
    ) -> None:
        code = clean_start_code(command.args)
        if client is not None and client.has_consented:
            if code:
                await arrive(
                    uow_factory, clock, telegram_user_id=client.telegram_user_id, code=code
                )
            await state.set_state(None)
            await message.answer(**_kw(views.main_menu(t)))
            return
        # A start code is not personal: it may wait here until the language is picked.
        await state.set_state(OnboardingSG.language)
        await state.set_data({"start_code": code} if code else {})
        current = client.locale if client is not None else None
        await message.answer(
            **_kw(views.language_picker(t, guessed=guessed_locale, current=current))
        )

    @router.message(Command("language"))
    async def language_command(
        message: Message, client: Client | None, t: Translator, guessed_locale: str
    ) -> None:
        current = client.locale if client is not None else None
        await message.answer(
            **_kw(views.language_picker(t, guessed=guessed_locale, current=current))
        )

    @router.callback_query(LangCb.filter())
    async def pick_language(
        callback: CallbackQuery,
        callback_data: LangCb,
        bot: Bot,
        state: FSMContext,
        client: Client | None,
        catalogs: Catalogs,
        uow_factory: UnitOfWorkFactory,
        guessed_locale: str,
        t: Translator,
    ) -> None:
        locale = normalize_locale(callback_data.code)
        if locale is None or locale != callback_data.code:
            await refuse_button(callback, bot, t, current_screen(t, client, guessed=guessed_locale))
            return
        data = await state.get_data()
        client = await choose_language(
            uow_factory,
            telegram_user_id=callback.from_user.id,
            chat_id=callback.from_user.id,
            locale=locale,
            start_code=data.get("start_code"),
        )
        t = catalogs.translator(locale)
        await callback.answer(views.language_changed(t, locale))
        await set_chat_commands(bot, callback.from_user.id, t)
        if client.has_consented:
            in_flow = await state.get_state()
            if in_flow and in_flow.startswith(OnboardingSG.__name__):
                await state.clear()
            await show(callback, bot, views.main_menu(t, intro=views.language_changed(t, locale)))
            return
        await state.set_state(OnboardingSG.consent)
        await state.set_data({})
        await show(callback, bot, views.consent_notice(t))

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
        if client is not None and client.has_consented:
            await state.set_state(None)
            await show(callback, bot, views.main_menu(t))
            return
        await state.set_state(OnboardingSG.language)
        current = client.locale if client is not None else None
        await show(callback, bot, views.language_picker(t, guessed=guessed_locale, current=current))

    @router.callback_query(ConsentCb.filter())
    async def consent(
        callback: CallbackQuery,
        callback_data: ConsentCb,
        bot: Bot,
        state: FSMContext,
        client: Client | None,
        clock: Clock,
        uow_factory: UnitOfWorkFactory,
        t: Translator,
        guessed_locale: str,
        translation: TranslationService,
    ) -> None:
        if client is None:
            # The record is gone (withdrawn) or never was: start with the language.
            await refuse_button(callback, bot, t, current_screen(t, client, guessed=guessed_locale))
            return
        action = callback_data.action
        if client.has_consented and action != "again":
            await callback.answer()
            await state.set_state(None)
            await show(callback, bot, views.main_menu(t))
            return
        if action == "agree":
            await give_consent(uow_factory, clock, telegram_user_id=callback.from_user.id)
            # Only now may a start code link the client to a site or a case manager.
            await arrive(uow_factory, clock, telegram_user_id=callback.from_user.id)
            await state.clear()
            await callback.answer()
            await show(callback, bot, views.welcome(t))
        elif action == "more":
            await callback.answer()
            await show(callback, bot, views.consent_details(t, translation.provider_names()))
        elif action == "no":
            await refuse_consent(uow_factory, telegram_user_id=callback.from_user.id)
            await state.set_state(OnboardingSG.consent)
            await callback.answer()
            await show(callback, bot, views.consent_refused(t))
        else:  # again
            await callback.answer()
            await state.set_state(None if client.has_consented else OnboardingSG.consent)
            await show(callback, bot, current_screen(t, client, guessed=guessed_locale))

    return router


def _kw(screen: views.Screen) -> dict[str, object]:
    return {"text": screen.text, "reply_markup": screen.markup}
