"""Whatever no other handler took: a short answer in the client's language, and a way on."""

from __future__ import annotations

from aiogram import F, Router
from aiogram.filters import StateFilter
from aiogram.types import CallbackQuery, Message

from bot.domain import Client
from handlers import views
from handlers.client.access import ClientTurn, Consented
from handlers.common import answer, current_screen, leave_flow, refuse_button, state_for
from handlers.turn import Turn


def _kind(message: Message) -> str:
    if message.text is not None:
        return "command" if message.text.startswith("/") else "text"
    return "media"


def fallback_router() -> Router:
    """Nothing of a message is stored or logged; only its kind decides the answer."""
    router = Router(name="fallback")
    router.message.filter(F.chat.type == "private")

    @router.message(~StateFilter(None), Consented())
    async def not_understood_in_flow(message: Message, turn: ClientTurn) -> None:
        # In the middle of a flow: it stays where it is; its buttons above still work.
        await message.answer(views.not_understood_in_flow(turn.t, _kind(message)))

    @router.message(StateFilter(None), Consented())
    async def not_understood(message: Message, turn: ClientTurn) -> None:
        await leave_flow(turn.state)
        await message.answer(views.not_understood(turn.t, _kind(message)))
        await answer(message, views.main_menu(turn.t))

    # No client yet, or no consent: the picker or the notice, wherever the FSM was.
    router.message.register(where_they_stand)

    # Data that does not parse, or points at nothing of this user's.
    router.callback_query.register(refuse_stale_button)

    return router


async def where_they_stand(message: Message, turn: Turn, client: Client | None) -> None:
    """The screen where this person stands (the language picker, the privacy notice or the
    menu), with the FSM put in step with it. For anyone, consented or not."""
    await state_for(client, turn.state)
    await answer(message, current_screen(turn.t, client, guessed=turn.guessed_locales))


async def refuse_stale_button(callback: CallbackQuery, turn: Turn, client: Client | None) -> None:
    """A button no handler takes: answered, nothing changed, the screen where they stand."""
    await refuse_button(
        callback, turn.bot, turn.t, current_screen(turn.t, client, guessed=turn.guessed_locales)
    )
