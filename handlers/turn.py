"""A turn: one update, with what every handler needs for it.

UpdateContextMiddleware builds a `Turn` for each update that has a conversation (the
bot, the FSM state, a translator in the reader's language, and the tools); IsStaff
and Consented hand their routers the richer StaffTurn (with the acting staff member
and *their* translator) and ClientTurn (with the consented client). Handlers then take
the event and `turn`, not the same nine dependencies one by one.
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from typing import Any

from aiogram import Bot
from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery

from bot.i18n import Catalogs, Translator
from bot.ports import Clock, UnitOfWorkFactory
from bot.slots import BookingPolicy
from bot.translation import TranslationService
from config import Settings
from handlers.common import answer_and_show
from handlers.views import Screen


@dataclass(frozen=True)
class Turn:
    bot: Bot
    state: FSMContext
    t: Translator
    catalogs: Catalogs
    uow_factory: UnitOfWorkFactory
    clock: Clock
    policy: BookingPolicy
    settings: Settings
    translation: TranslationService
    #: The languages Telegram suggests for someone without a stored choice, the likelier
    #: first (never empty: the default language when it suggests none we ship).
    guessed_locales: tuple[str, ...]

    @classmethod
    def of(cls, data: dict[str, Any]) -> Turn | None:
        """The turn of an update from aiogram's data (None without a conversation)."""
        if data.get("state") is None:
            return None
        return Turn(**{f.name: data[f.name] for f in fields(Turn)})

    def shared(self) -> dict[str, Any]:
        """The fields every kind of turn has (to build a StaffTurn or a ClientTurn)."""
        return {f.name: getattr(self, f.name) for f in fields(Turn)}

    async def show(self, callback: CallbackQuery, screen: Screen) -> None:
        """Answer the button (its spinner stops), then show `screen` in its place."""
        await answer_and_show(callback, self.bot, screen)

    def speaking(self, locale: str) -> Translator:
        """A translator for someone else (a client, a colleague) in their language."""
        return self.catalogs.translator(locale)
