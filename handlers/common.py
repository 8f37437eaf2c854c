"""Small helpers shared by the routers: show a screen, find the way back."""

from __future__ import annotations

import logging

from aiogram import Bot
from aiogram.exceptions import TelegramBadRequest
from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery, InaccessibleMessage, Message

from bot.domain import Client
from bot.i18n import Translator
from handlers import views
from handlers.states import OnboardingSG
from handlers.views import Screen

log = logging.getLogger("lotse.handlers")


async def send(bot: Bot, chat_id: int, screen: Screen) -> None:
    await bot.send_message(chat_id=chat_id, text=screen.text, reply_markup=screen.markup)


async def answer(message: Message, screen: Screen) -> None:
    """Answer a message with a screen."""
    await message.answer(screen.text, reply_markup=screen.markup)


async def tell(bot: Bot, chat_id: int | None, screen: Screen) -> bool:
    """Tell someone about a change that stands anyway (they may have blocked the bot)."""
    if chat_id is None:
        return False
    try:
        await send(bot, chat_id, screen)
    except Exception as exc:  # noqa: BLE001 - the change stands even if they are not reached
        log.warning("not reached", extra={"error": type(exc).__name__})
        return False
    return True


async def show(callback: CallbackQuery, bot: Bot, screen: Screen) -> None:
    """Replace the message the button sat on; send a new one when that is impossible."""
    message = callback.message
    if isinstance(message, Message) and not isinstance(message, InaccessibleMessage):
        try:
            await message.edit_text(screen.text, reply_markup=screen.markup)
            return
        except TelegramBadRequest as exc:
            if "not modified" in str(exc).lower():
                return
            log.info("edit failed, sending anew", extra={"reason": type(exc).__name__})
    await send(bot, callback.from_user.id, screen)


async def answer_and_show(callback: CallbackQuery, bot: Bot, screen: Screen) -> None:
    """Answer the button (its spinner stops), then show the next screen in its place."""
    await callback.answer()
    await show(callback, bot, screen)


def current_screen(
    t: Translator, client: Client | None, *, guessed: tuple[str, ...], intro: str | None = None
) -> Screen:
    """Where this person stands: language picker, privacy notice, or the menu."""
    if client is None:
        return views.language_picker(t, guessed=guessed)
    if not client.has_consented:
        return views.consent_notice(t)
    return views.main_menu(t, intro=intro)


#: FSM data of one waiting step that must not outlive it: typed words waiting for the
#: client's town (handlers/client/typed.py). Leaving the step drops them, unsent.
KEPT = "kept"


async def leave_flow(state: FSMContext) -> None:
    """Out of whatever step was open (to the menu): the state ends, and words that waited
    for that step are dropped rather than left behind in the conversation row."""
    await state.set_state(None)
    data = await state.get_data()
    if KEPT in data:
        await state.set_data({k: v for k, v in data.items() if k != KEPT})


async def state_for(client: Client | None, state: FSMContext) -> None:
    """Keep the FSM in step with the screen current_screen() shows."""
    if client is None:
        await state.set_state(OnboardingSG.language)
    elif not client.has_consented:
        await state.set_state(OnboardingSG.consent)
    else:
        await leave_flow(state)


async def refuse_button(callback: CallbackQuery, bot: Bot, t: Translator, screen: Screen) -> None:
    """An old or forged button: answered (never left spinning), nothing changed, a way on."""
    await callback.answer(views.stale_button(t), show_alert=True)
    await send(bot, callback.from_user.id, screen)
