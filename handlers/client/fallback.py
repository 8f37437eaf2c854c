"""Whatever no other handler took: a short answer in the client's language, and a way on."""

from __future__ import annotations

from aiogram import Bot, F, Router
from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery, Message

from bot.domain import Client
from bot.i18n import Translator
from handlers import views
from handlers.common import current_screen, refuse_button, state_for


def _kind(message: Message) -> str:
    if message.text is not None:
        return "command" if message.text.startswith("/") else "text"
    return "media"


def fallback_router() -> Router:
    router = Router(name="fallback")

    @router.message(F.chat.type == "private")
    async def not_understood(
        message: Message,
        state: FSMContext,
        client: Client | None,
        t: Translator,
        guessed_locale: str,
    ) -> None:
        # Nothing of the message is stored or logged; only its kind decides the answer.
        if client is not None and client.has_consented and await state.get_state() is not None:
            # In the middle of a flow: it stays where it is; its buttons above still work.
            await message.answer(views.not_understood_in_flow(t, _kind(message)))
            return
        await state_for(client, state)
        if client is not None and client.has_consented:
            await message.answer(views.not_understood(t, _kind(message)))
        screen = current_screen(t, client, guessed=guessed_locale)
        await message.answer(screen.text, reply_markup=screen.markup)

    @router.callback_query()
    async def stale_or_forged(
        callback: CallbackQuery,
        bot: Bot,
        client: Client | None,
        t: Translator,
        guessed_locale: str,
    ) -> None:
        # Data that does not parse, or points at nothing of this user's: answer, change nothing.
        await refuse_button(callback, bot, t, current_screen(t, client, guessed=guessed_locale))

    return router
