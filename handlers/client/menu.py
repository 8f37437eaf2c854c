"""The client's main menu, /help and /cancel."""

from __future__ import annotations

from aiogram import Bot, F, Router
from aiogram.filters import Command
from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery, Message, ReplyKeyboardRemove

from bot.domain import Client
from bot.i18n import Translator
from bot.ports import Clock, UnitOfWorkFactory
from bot.services import relay as relay_service
from bot.slots import BookingPolicy
from bot.translation import TranslationService
from config import Settings
from handlers import relay_views as rv
from handlers import views
from handlers.callbacks import MenuCb
from handlers.client.access import Consented
from handlers.common import current_screen, show, state_for
from handlers.states import BookingSG, OnboardingSG, RelaySG


def menu_router() -> Router:
    router = Router(name="menu")
    router.message.filter(F.chat.type == "private")

    @router.message(Command("help"))
    async def help_command(
        message: Message, client: Client | None, t: Translator, guessed_locale: str
    ) -> None:
        await message.answer(views.help_text(t))
        screen = current_screen(t, client, guessed=guessed_locale)
        await message.answer(screen.text, reply_markup=screen.markup)

    @router.message(Command("cancel"))
    async def cancel_command(
        message: Message,
        state: FSMContext,
        client: Client | None,
        t: Translator,
        guessed_locale: str,
    ) -> None:
        current = await state.get_state()
        had_flow = current is not None and not current.startswith(OnboardingSG.__name__)
        await state.clear()
        await state_for(client, state)
        screen = current_screen(
            t, client, guessed=guessed_locale, intro=views.cancelled(t, had_flow=had_flow)
        )
        if client is None or not client.has_consented or current == BookingSG.phone.state:
            # A reply keyboard (the phone-number button) is taken away with this message.
            await message.answer(
                views.cancelled(t, had_flow=had_flow), reply_markup=ReplyKeyboardRemove()
            )
            screen = current_screen(t, client, guessed=guessed_locale)
        await message.answer(screen.text, reply_markup=screen.markup)

    @router.message(Command("menu"))
    async def menu_command(
        message: Message,
        state: FSMContext,
        client: Client | None,
        t: Translator,
        guessed_locale: str,
    ) -> None:
        await state_for(client, state)
        screen = current_screen(t, client, guessed=guessed_locale)
        await message.answer(screen.text, reply_markup=screen.markup)

    @router.callback_query(MenuCb.filter(), Consented())
    async def menu_item(
        callback: CallbackQuery,
        callback_data: MenuCb,
        bot: Bot,
        state: FSMContext,
        client: Client,
        t: Translator,
        settings: Settings,
        translation: TranslationService,
        uow_factory: UnitOfWorkFactory,
        clock: Clock,
        policy: BookingPolicy,
    ) -> None:
        item = callback_data.item
        await callback.answer()
        if item == "home":
            await state.set_state(None)
            await show(callback, bot, views.main_menu(t))
        elif item == "lang":
            await show(
                callback,
                bot,
                views.language_picker(t, guessed=client.locale, current=client.locale),
            )
        elif item == "privacy":
            await state.set_state(None)
            await show(
                callback,
                bot,
                views.privacy_overview(t, client, settings.zone, translation.provider_names()),
            )
        else:  # write
            if not await relay_service.someone_to_write_to(
                uow_factory, clock, policy, client=client
            ):
                # Said now, not after they have written their message.
                await state.set_state(None)
                await show(callback, bot, rv.nobody_to_write_to(t))
                return
            await state.set_state(RelaySG.write)
            await show(callback, bot, rv.write_prompt(t, translated=translation.enabled))

    return router
