"""The client's main menu, /help and /cancel."""

from __future__ import annotations

from aiogram import Bot, F, Router
from aiogram.filters import Command, StateFilter
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
from handlers.callbacks import MenuCb, MenuItem
from handlers.client.access import Consented
from handlers.common import current_screen, show, state_for
from handlers.states import BookingSG, OnboardingSG, RelaySG


def menu_router() -> Router:
    router = Router(name="menu")
    router.message.filter(F.chat.type == "private")
    router.callback_query.filter(Consented())

    @router.message(Command("help"))
    async def help_command(
        message: Message, client: Client | None, t: Translator, guessed_locale: str
    ) -> None:
        await message.answer(views.help_text(t))
        screen = current_screen(t, client, guessed=guessed_locale)
        await message.answer(screen.text, reply_markup=screen.markup)

    @router.message(Command("cancel"), StateFilter(BookingSG.phone))
    async def cancel_phone(
        message: Message,
        state: FSMContext,
        client: Client | None,
        t: Translator,
        guessed_locale: str,
    ) -> None:
        await _end_flow(state, client)
        await _cancelled_removing_keyboard(message, client, t, guessed_locale, had_flow=True)

    @router.message(Command("cancel"), StateFilter(None, OnboardingSG))
    async def cancel_nothing(
        message: Message,
        state: FSMContext,
        client: Client | None,
        t: Translator,
        guessed_locale: str,
    ) -> None:
        await _cancel(message, state, client, t, guessed_locale, had_flow=False)

    @router.message(Command("cancel"))
    async def cancel_flow(
        message: Message,
        state: FSMContext,
        client: Client | None,
        t: Translator,
        guessed_locale: str,
    ) -> None:
        await _cancel(message, state, client, t, guessed_locale, had_flow=True)

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

    @router.callback_query(MenuCb.filter(F.item == MenuItem.HOME))
    async def home(callback: CallbackQuery, bot: Bot, state: FSMContext, t: Translator) -> None:
        await callback.answer()
        await state.set_state(None)
        await show(callback, bot, views.main_menu(t))

    @router.callback_query(MenuCb.filter(F.item == MenuItem.LANGUAGE))
    async def language(callback: CallbackQuery, bot: Bot, client: Client, t: Translator) -> None:
        await callback.answer()
        await show(
            callback, bot, views.language_picker(t, guessed=client.locale, current=client.locale)
        )

    @router.callback_query(MenuCb.filter(F.item == MenuItem.PRIVACY))
    async def privacy(
        callback: CallbackQuery,
        bot: Bot,
        state: FSMContext,
        client: Client,
        t: Translator,
        settings: Settings,
        translation: TranslationService,
    ) -> None:
        await callback.answer()
        await state.set_state(None)
        await show(
            callback,
            bot,
            views.privacy_overview(t, client, settings.zone, translation.provider_names()),
        )

    @router.callback_query(MenuCb.filter(F.item == MenuItem.WRITE))
    async def write(
        callback: CallbackQuery,
        bot: Bot,
        state: FSMContext,
        client: Client,
        t: Translator,
        translation: TranslationService,
        uow_factory: UnitOfWorkFactory,
        clock: Clock,
        policy: BookingPolicy,
    ) -> None:
        await callback.answer()
        if not await relay_service.someone_to_write_to(uow_factory, clock, policy, client=client):
            # Said now, not after they have written their message.
            await state.set_state(None)
            await show(callback, bot, rv.nobody_to_write_to(t))
            return
        await state.set_state(RelaySG.write)
        await show(callback, bot, rv.write_prompt(t, translated=translation.enabled))

    return router


async def _end_flow(state: FSMContext, client: Client | None) -> None:
    await state.clear()
    await state_for(client, state)


async def _cancel(
    message: Message,
    state: FSMContext,
    client: Client | None,
    t: Translator,
    guessed_locale: str,
    *,
    had_flow: bool,
) -> None:
    """/cancel: whatever was going on ends; the menu says whether something was cancelled."""
    await _end_flow(state, client)
    if client is None or not client.has_consented:
        await _cancelled_removing_keyboard(message, client, t, guessed_locale, had_flow=had_flow)
        return
    screen = current_screen(
        t, client, guessed=guessed_locale, intro=views.cancelled(t, had_flow=had_flow)
    )
    await message.answer(screen.text, reply_markup=screen.markup)


async def _cancelled_removing_keyboard(
    message: Message, client: Client | None, t: Translator, guessed_locale: str, *, had_flow: bool
) -> None:
    """'Cancelled' in a message of its own that takes a reply keyboard (the phone-number
    button) away, then the screen where the person stands."""
    await message.answer(views.cancelled(t, had_flow=had_flow), reply_markup=ReplyKeyboardRemove())
    screen = current_screen(t, client, guessed=guessed_locale)
    await message.answer(screen.text, reply_markup=screen.markup)
