"""/privacy: what is stored, the notice, and withdrawal (which erases the client)."""

from __future__ import annotations

from aiogram import Bot, F, Router
from aiogram.filters import Command, StateFilter
from aiogram.fsm.context import FSMContext
from aiogram.types import BufferedInputFile, CallbackQuery, Message

from bot.domain import Client
from bot.i18n import Catalogs, Translator
from bot.ports import Clock, UnitOfWorkFactory
from bot.services.privacy import erase_client, export_client
from bot.translation import TranslationService
from config import Settings
from handlers import views
from handlers.callbacks import PrivacyAction, PrivacyCb
from handlers.client import privacy_views as pv
from handlers.client.access import Consented
from handlers.common import current_screen, refuse_button, send, show, state_for
from handlers.plumbing.notifier import after_erasure
from handlers.states import PrivacySG


def privacy_router() -> Router:
    """/privacy and its buttons, one handler per action; deleting is confirmed only from the
    question just asked (PrivacySG.confirm_delete). Without consent every button is refused."""
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
            screen = _overview(t, client, settings, translation)
        await message.answer(screen.text, reply_markup=screen.markup)

    @router.callback_query(PrivacyCb.filter(F.action == PrivacyAction.NOTICE), Consented())
    async def notice(
        callback: CallbackQuery, bot: Bot, t: Translator, translation: TranslationService
    ) -> None:
        await callback.answer()
        await show(callback, bot, views.privacy_notice_for_client(t, translation.provider_names()))

    @router.callback_query(PrivacyCb.filter(F.action == PrivacyAction.DELETE), Consented())
    async def ask_delete(
        callback: CallbackQuery, bot: Bot, state: FSMContext, t: Translator
    ) -> None:
        await state.set_state(PrivacySG.confirm_delete)
        await callback.answer()
        await show(callback, bot, views.confirm_delete(t))

    @router.callback_query(PrivacyCb.filter(F.action == PrivacyAction.KEEP), Consented())
    async def keep(
        callback: CallbackQuery,
        bot: Bot,
        state: FSMContext,
        client: Client,
        t: Translator,
        settings: Settings,
        translation: TranslationService,
    ) -> None:
        await state.set_state(None)
        await callback.answer(views.kept(t))
        await show(callback, bot, _overview(t, client, settings, translation))

    @router.callback_query(PrivacyCb.filter(F.action == PrivacyAction.EXPORT), Consented())
    async def export(
        callback: CallbackQuery,
        bot: Bot,
        client: Client,
        t: Translator,
        settings: Settings,
        translation: TranslationService,
        uow_factory: UnitOfWorkFactory,
    ) -> None:
        await callback.answer()
        exported = await export_client(uow_factory, client_id=client.id or 0)
        await bot.send_message(callback.from_user.id, pv.export_summary(t, exported, settings.zone))
        await bot.send_document(
            callback.from_user.id,
            BufferedInputFile(pv.export_file(exported), "lotse-my-data.json"),
        )
        await send(bot, callback.from_user.id, _overview(t, client, settings, translation))

    @router.callback_query(
        PrivacyCb.filter(F.action == PrivacyAction.CONFIRM),
        Consented(),
        StateFilter(PrivacySG.confirm_delete),
    )
    async def confirm_delete(
        callback: CallbackQuery,
        bot: Bot,
        state: FSMContext,
        t: Translator,
        settings: Settings,
        uow_factory: UnitOfWorkFactory,
        catalogs: Catalogs,
        clock: Clock,
    ) -> None:
        await callback.answer()
        await erase_and_tell(
            bot, catalogs, uow_factory, clock, settings, telegram_user_id=callback.from_user.id
        )
        await state.clear()  # the row went with the erasure; the cached copy goes too
        await send(bot, callback.from_user.id, views.deleted(t))

    @router.callback_query(PrivacyCb.filter(F.action == PrivacyAction.CONFIRM), Consented())
    async def confirm_out_of_order(
        callback: CallbackQuery,
        bot: Bot,
        client: Client,
        t: Translator,
        settings: Settings,
        translation: TranslationService,
    ) -> None:
        # "Delete" only counts right after the question "Delete everything?".
        await refuse_button(callback, bot, t, _overview(t, client, settings, translation))

    @router.callback_query(PrivacyCb.filter())
    async def without_consent(
        callback: CallbackQuery,
        bot: Bot,
        state: FSMContext,
        client: Client | None,
        t: Translator,
        guessed_locale: str,
    ) -> None:
        await state_for(client, state)
        await refuse_button(callback, bot, t, current_screen(t, client, guessed=guessed_locale))

    return router


def _overview(
    t: Translator, client: Client, settings: Settings, translation: TranslationService
) -> views.Screen:
    return views.privacy_overview(t, client, settings.zone, translation.provider_names())


async def erase_and_tell(
    bot: Bot,
    catalogs: Catalogs,
    uow_factory: UnitOfWorkFactory,
    clock: Clock,
    settings: Settings,
    *,
    telegram_user_id: int,
    inactive: bool = False,
) -> bool:
    """Erase the client; delete the bot's recent messages in their chat; tell their case
    managers (cancelled times and what became of the notes, no other details)."""
    erasure = await erase_client(
        uow_factory,
        clock,
        telegram_user_id=telegram_user_id,
        notes_policy=settings.NOTES_ON_ERASURE,
    )
    if erasure is None:
        return False
    await after_erasure(bot, catalogs, settings.zone, erasure, inactive=inactive)
    return True
