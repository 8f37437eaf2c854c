"""Who is a client here: the consent filter that guards the client routers' buttons, and
the gate that answers client buttons pressed before consent (or after withdrawal)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from aiogram import Bot, F, Router
from aiogram.filters import BaseFilter
from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery, TelegramObject

from bot.domain import Client
from bot.i18n import Catalogs, Translator
from bot.ports import Clock, UnitOfWorkFactory
from bot.slots import BookingPolicy
from bot.translation import TranslationService
from config import Settings
from handlers import views
from handlers.callbacks import ApptCb, BookCb, MenuCb, RelayAction, RelayCb, RemCb
from handlers.common import answer_and_show, current_screen, send, state_for
from handlers.views import Screen


@dataclass(frozen=True)
class ClientTurn:
    """One consented client's update: who acts, a translator in their language, and the
    tools a client handler uses. Consented hands it over as `turn`."""

    bot: Bot
    state: FSMContext
    client: Client
    t: Translator
    catalogs: Catalogs
    uow_factory: UnitOfWorkFactory
    clock: Clock
    policy: BookingPolicy
    settings: Settings
    translation: TranslationService

    async def show(self, callback: CallbackQuery, screen: Screen) -> None:
        """Answer the button (its spinner stops), then show `screen` in its place."""
        await answer_and_show(callback, self.bot, screen)


class Consented(BaseFilter):
    """True for a client who agreed to the privacy notice; the handler then receives
    `client: Client` (never None), as read from the database for this update, and
    `turn` (a ClientTurn)."""

    async def __call__(
        self,
        event: TelegramObject,
        bot: Bot,
        t: Translator,
        catalogs: Catalogs,
        uow_factory: UnitOfWorkFactory,
        clock: Clock,
        policy: BookingPolicy,
        settings: Settings,
        translation: TranslationService,
        state: FSMContext,
        client: Client | None = None,
    ) -> bool | dict[str, Any]:
        if client is None or not client.has_consented or client.id is None:
            return False
        turn = ClientTurn(
            bot, state, client, t, catalogs, uow_factory, clock, policy, settings, translation
        )
        return {"client": client, "turn": turn}


def consent_gate_router() -> Router:
    """Before the client routers: their buttons need consent. Without it the person is
    told so and shown where they stand (the language picker or the privacy notice)."""
    router = Router(name="consent-gate")
    router.callback_query.filter(~Consented())

    @router.callback_query(MenuCb.filter())
    @router.callback_query(BookCb.filter())
    @router.callback_query(ApptCb.filter())
    @router.callback_query(RemCb.filter())
    @router.callback_query(RelayCb.filter(F.action == RelayAction.FORWARD))
    async def consent_first(
        callback: CallbackQuery,
        bot: Bot,
        state: FSMContext,
        client: Client | None,
        t: Translator,
        guessed_locale: str,
    ) -> None:
        await callback.answer(views.consent_first(t), show_alert=True)
        await state_for(client, state)
        await send(bot, callback.from_user.id, current_screen(t, client, guessed=guessed_locale))

    return router
