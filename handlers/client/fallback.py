"""Whatever no other handler took: a short answer in the client's language, and a way on."""

from __future__ import annotations

from aiogram import Bot, F, Router
from aiogram.filters import StateFilter
from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery, Message

from bot.domain import Client
from bot.i18n import Translator
from handlers import views
from handlers.client.access import Consented
from handlers.common import current_screen, refuse_button, state_for


def _kind(message: Message) -> str:
    if message.text is not None:
        return "command" if message.text.startswith("/") else "text"
    return "media"


def fallback_router() -> Router:
    """Nothing of a message is stored or logged; only its kind decides the answer."""
    router = Router(name="fallback")
    router.message.filter(F.chat.type == "private")

    @router.message(~StateFilter(None), Consented())
    async def not_understood_in_flow(message: Message, t: Translator) -> None:
        # In the middle of a flow: it stays where it is; its buttons above still work.
        await message.answer(views.not_understood_in_flow(t, _kind(message)))

    @router.message(StateFilter(None), Consented())
    async def not_understood(
        message: Message,
        state: FSMContext,
        client: Client,
        t: Translator,
        guessed_locale: str,
    ) -> None:
        await state_for(client, state)
        await message.answer(views.not_understood(t, _kind(message)))
        await _where_they_stand(message, client, t, guessed_locale)

    @router.message()
    async def before_consent(
        message: Message,
        state: FSMContext,
        client: Client | None,
        t: Translator,
        guessed_locale: str,
    ) -> None:
        # No client yet, or no consent: the picker or the notice, wherever the FSM was.
        await state_for(client, state)
        await _where_they_stand(message, client, t, guessed_locale)

    # Data that does not parse, or points at nothing of this user's.
    router.callback_query.register(refuse_stale_button)

    return router


async def refuse_stale_button(
    callback: CallbackQuery,
    bot: Bot,
    client: Client | None,
    t: Translator,
    guessed_locale: str,
) -> None:
    """A button no handler takes: answered, nothing changed, the screen where they stand."""
    await refuse_button(callback, bot, t, current_screen(t, client, guessed=guessed_locale))


async def _where_they_stand(
    message: Message, client: Client | None, t: Translator, guessed_locale: str
) -> None:
    screen = current_screen(t, client, guessed=guessed_locale)
    await message.answer(screen.text, reply_markup=screen.markup)
