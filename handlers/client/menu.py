"""The client's main menu, /help and /cancel."""

from __future__ import annotations

from aiogram import F, Router
from aiogram.filters import Command, StateFilter
from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery, Message, ReplyKeyboardRemove

from bot.domain import Client
from bot.i18n import Translator
from handlers import views
from handlers.callbacks import MenuCb, MenuItem
from handlers.client.access import ClientTurn, Consented
from handlers.client.fallback import where_they_stand
from handlers.client.messages import start_writing
from handlers.client.privacy import overview
from handlers.common import answer, current_screen, leave_flow, send, show, state_for
from handlers.states import BookingSG, OnboardingSG
from handlers.turn import Turn


def menu_router() -> Router:
    router = Router(name="menu")
    router.message.filter(F.chat.type == "private")
    router.callback_query.filter(Consented())

    @router.message(Command("help"))
    async def help_command(
        message: Message, client: Client | None, t: Translator, guessed_locales: tuple[str, ...]
    ) -> None:
        await message.answer(views.help_text(t))
        await answer(message, current_screen(t, client, guessed=guessed_locales))

    @router.message(Command("cancel"), StateFilter(BookingSG.phone))
    async def cancel_phone(message: Message, turn: Turn, client: Client | None) -> None:
        await _end_flow(turn.state, client)
        await _cancelled_removing_keyboard(
            message, client, turn.t, turn.guessed_locales, had_flow=True
        )

    @router.message(Command("cancel"), StateFilter(None, OnboardingSG))
    async def cancel_nothing(message: Message, turn: Turn, client: Client | None) -> None:
        await _cancel(message, turn.state, client, turn.t, turn.guessed_locales, had_flow=False)

    @router.message(Command("cancel"))
    async def cancel_flow(message: Message, turn: Turn, client: Client | None) -> None:
        await _cancel(message, turn.state, client, turn.t, turn.guessed_locales, had_flow=True)

    # /menu: the screen where they stand, for anyone (the picker, the notice or the menu).
    router.message.register(where_they_stand, Command("menu"))

    router.callback_query.register(to_menu, MenuCb.filter(F.item == MenuItem.HOME))

    @router.callback_query(MenuCb.filter(F.item == MenuItem.HOME_BELOW))
    async def menu_below(callback: CallbackQuery, turn: ClientTurn) -> None:
        # Pressed on a confirmation: that stays the client's record; the menu comes below.
        await callback.answer()
        await leave_flow(turn.state)
        await send(turn.bot, callback.from_user.id, views.main_menu(turn.t))

    @router.callback_query(MenuCb.filter(F.item == MenuItem.LANGUAGE))
    async def language(callback: CallbackQuery, turn: ClientTurn) -> None:
        await callback.answer()
        locale = turn.client.locale
        await show(
            callback, turn.bot, views.language_picker(turn.t, guessed=(locale,), current=locale)
        )

    @router.callback_query(MenuCb.filter(F.item == MenuItem.PRIVACY))
    async def privacy(callback: CallbackQuery, turn: ClientTurn) -> None:
        await callback.answer()
        await leave_flow(turn.state)
        await show(callback, turn.bot, overview(turn))

    @router.callback_query(MenuCb.filter(F.item == MenuItem.WRITE))
    async def write(callback: CallbackQuery, turn: ClientTurn) -> None:
        await callback.answer()
        await show(callback, turn.bot, await start_writing(turn))

    return router


async def to_menu(callback: CallbackQuery, turn: ClientTurn) -> None:
    """The main menu in place of the message the button sat on; whatever flow was open ends."""
    await callback.answer()
    await leave_flow(turn.state)
    await show(callback, turn.bot, views.main_menu(turn.t))


async def _end_flow(state: FSMContext, client: Client | None) -> None:
    await state.clear()
    await state_for(client, state)


async def _cancel(
    message: Message,
    state: FSMContext,
    client: Client | None,
    t: Translator,
    guessed_locales: tuple[str, ...],
    *,
    had_flow: bool,
) -> None:
    """/cancel: whatever was going on ends; the menu says whether something was cancelled."""
    await _end_flow(state, client)
    if client is None or not client.has_consented:
        await _cancelled_removing_keyboard(message, client, t, guessed_locales, had_flow=had_flow)
        return
    intro = views.cancelled(t, had_flow=had_flow)
    await answer(message, current_screen(t, client, guessed=guessed_locales, intro=intro))


async def _cancelled_removing_keyboard(
    message: Message,
    client: Client | None,
    t: Translator,
    guessed_locales: tuple[str, ...],
    *,
    had_flow: bool,
) -> None:
    """'Cancelled' in a message of its own that takes a reply keyboard (the phone-number
    button) away, then the screen where the person stands."""
    await message.answer(views.cancelled(t, had_flow=had_flow), reply_markup=ReplyKeyboardRemove())
    await answer(message, current_screen(t, client, guessed=guessed_locales))
