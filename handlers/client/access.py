"""Who is a client here: the consent filter that guards the client routers' buttons, and
the gate that answers client buttons pressed before consent (or after withdrawal)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from aiogram import F, Router
from aiogram.filters import BaseFilter
from aiogram.types import CallbackQuery, TelegramObject

from bot.domain import Client
from handlers import views
from handlers.callbacks import ApptCb, BookCb, MenuCb, RefCb, RelayAction, RelayCb, RemCb
from handlers.common import current_screen, send, state_for
from handlers.turn import Turn


@dataclass(frozen=True)
class ClientTurn(Turn):
    """One consented client's update: the turn with the client. Consented hands it over
    as `turn`."""

    client: Client


class Consented(BaseFilter):
    """True for a client who agreed to the privacy notice; the handler then receives
    `client: Client` (never None), as read from the database for this update, and
    `turn` (a ClientTurn)."""

    async def __call__(
        self, event: TelegramObject, client: Client | None = None, turn: Turn | None = None
    ) -> bool | dict[str, Any]:
        if client is None or not client.has_consented or client.id is None or turn is None:
            return False
        return {"client": client, "turn": ClientTurn(**turn.shared(), client=client)}


def consent_gate_router() -> Router:
    """Before the client routers: their buttons need consent. Without it the person is
    told so and shown where they stand (the language picker or the privacy notice)."""
    router = Router(name="consent-gate")
    router.callback_query.filter(~Consented())

    @router.callback_query(MenuCb.filter())
    @router.callback_query(BookCb.filter())
    @router.callback_query(ApptCb.filter())
    @router.callback_query(RemCb.filter())
    @router.callback_query(RefCb.filter())
    @router.callback_query(RelayCb.filter(F.action == RelayAction.FORWARD))
    async def consent_first(callback: CallbackQuery, turn: Turn, client: Client | None) -> None:
        await callback.answer(views.consent_first(turn.t), show_alert=True)
        await state_for(client, turn.state)
        await send(
            turn.bot,
            callback.from_user.id,
            current_screen(turn.t, client, guessed=turn.guessed_locales),
        )

    return router
