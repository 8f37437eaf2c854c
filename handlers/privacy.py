"""/privacy: what is stored, the notice, and withdrawal (which erases the client)."""

from __future__ import annotations

from aiogram import Bot, F, Router
from aiogram.filters import Command
from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery, Message

from bot.domain import Client
from bot.i18n import Translator
from bot.ports import UnitOfWorkFactory
from bot.services.onboarding import withdraw_consent
from bot.translation import TranslationService
from config import Settings
from handlers import views
from handlers.callbacks import PRIVACY_ACTIONS, PrivacyCb
from handlers.common import current_screen, refuse_button, show, state_for
from handlers.states import PrivacySG


def privacy_router() -> Router:
    router = Router(name="privacy")
    router.message.filter(F.chat.type == "private")

    @router.message(Command("privacy"))
    async def privacy_command(
        message: Message,
        state: FSMContext,
        client: Client | None,
        t: Translator,
        settings: Settings,
        translation: TranslationService,
        guessed_locale: str,
    ) -> None:
        if client is None or not client.has_consented:
            await state_for(client, state)
            screen = current_screen(t, client, guessed=guessed_locale)
        else:
            screen = views.privacy_overview(t, client, settings.zone, translation.provider_names())
        await message.answer(screen.text, reply_markup=screen.markup)

    @router.callback_query(PrivacyCb.filter(F.action.in_(PRIVACY_ACTIONS)))
    async def privacy_action(
        callback: CallbackQuery,
        callback_data: PrivacyCb,
        bot: Bot,
        state: FSMContext,
        client: Client | None,
        t: Translator,
        settings: Settings,
        translation: TranslationService,
        uow_factory: UnitOfWorkFactory,
        guessed_locale: str,
    ) -> None:
        if client is None or not client.has_consented:
            await state_for(client, state)
            await refuse_button(callback, bot, t, current_screen(t, client, guessed=guessed_locale))
            return
        action = callback_data.action
        if action == "notice":
            await callback.answer()
            await show(
                callback, bot, views.privacy_notice_for_client(t, translation.provider_names())
            )
        elif action == "delete":
            await state.set_state(PrivacySG.confirm_delete)
            await callback.answer()
            await show(callback, bot, views.confirm_delete(t))
        elif action == "keep":
            await state.set_state(None)
            await callback.answer(views.kept(t))
            await show(
                callback,
                bot,
                views.privacy_overview(t, client, settings.zone, translation.provider_names()),
            )
        else:  # confirm
            await withdraw_consent(uow_factory, telegram_user_id=callback.from_user.id)
            await callback.answer()
            await show(callback, bot, views.deleted(t))

    return router
