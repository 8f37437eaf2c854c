"""Command lists. Decoration only: a server that refuses them never stops the bot."""

from __future__ import annotations

import logging

from aiogram import Bot
from aiogram.types import BotCommand, BotCommandScopeChat, BotCommandScopeDefault

from bot.i18n import SUPPORTED_LOCALES, Catalogs, Translator
from bot.ports import UnitOfWorkFactory
from bot.services import staff as staff_service
from handlers.staff.views import staff_command_descriptions
from handlers.views import command_descriptions

log = logging.getLogger("lotse.commands")

#: Telegram app language codes (two letters, as setMyCommands takes them) per locale. A
#: Persian app (`fa`) gets the Dari list, as its users are guessed Dari first; Farsi and
#: Sorani (no two-letter code) have none of their own: the chat scope set after the
#: client's pick is what reaches them, and Dari and Pashto readers on other apps.
_APP_LANGUAGE: dict[str, str | None] = {
    "de": "de", "en": "en", "fr": "fr", "ar": "ar", "fa_AF": "fa", "ps": "ps",
    "fa": None, "ckb": None, "ku": "ku", "tr": "tr", "sq": "sq", "sr": "sr", "mk": "mk",
}  # fmt: skip


def _commands(t: Translator, *, staff: bool = False) -> list[BotCommand]:
    pairs = staff_command_descriptions(t) if staff else command_descriptions(t)
    return [BotCommand(command=name, description=text) for name, text in pairs]


async def set_chat_commands(bot: Bot, chat_id: int, t: Translator, *, staff: bool = False) -> bool:
    """The chat's own command list, in its language (staff get the staff commands)."""
    try:
        await bot.set_my_commands(
            _commands(t, staff=staff), scope=BotCommandScopeChat(chat_id=chat_id)
        )
    except Exception as exc:  # noqa: BLE001 - decoration must never break a flow
        log.warning("setMyCommands for a chat refused", extra={"error": type(exc).__name__})
        return False
    return True


async def set_default_commands(bot: Bot, catalogs: Catalogs) -> None:
    calls: list[tuple[Translator, str | None]] = [
        (catalogs.translator(catalogs.default_locale), None)
    ]
    calls += [
        (catalogs.translator(loc), _APP_LANGUAGE[loc])
        for loc in SUPPORTED_LOCALES
        if _APP_LANGUAGE[loc] is not None
    ]
    for t, language_code in calls:
        try:
            await bot.set_my_commands(
                _commands(t), scope=BotCommandScopeDefault(), language_code=language_code
            )
        except Exception as exc:  # noqa: BLE001
            log.warning("setMyCommands refused", extra={"error": type(exc).__name__})


async def set_staff_commands(bot: Bot, catalogs: Catalogs, uow_factory: UnitOfWorkFactory) -> None:
    """At start-up: every active staff chat gets the staff commands in its language (they
    are set on joining and on a language change; a new release may bring new ones)."""
    for member in await staff_service.all_active_staff(uow_factory):
        if member.telegram_user_id is not None:
            t = catalogs.translator(member.locale)
            await set_chat_commands(bot, member.telegram_user_id, t, staff=True)
