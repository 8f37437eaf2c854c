"""Last line of defence: an error becomes a polite answer and a log line without content."""

from __future__ import annotations

import logging

from aiogram import Bot, Router
from aiogram.types import ErrorEvent

from bot.i18n import Catalogs, guess_locales
from handlers import views

log = logging.getLogger("lotse.errors")


def errors_router() -> Router:
    router = Router(name="errors")

    @router.errors()
    async def on_error(event: ErrorEvent, bot: Bot, catalogs: Catalogs) -> bool:
        update = event.update
        # Only the exception's class: its message may quote what the user wrote.
        log.error(
            "update failed",
            extra={"update_id": update.update_id, "error": type(event.exception).__name__},
            exc_info=event.exception,
        )
        user = None
        if update.message is not None:
            user = update.message.from_user
        elif update.callback_query is not None:
            user = update.callback_query.from_user
        if user is None:
            return True
        t = catalogs.translator(guess_locales(user.language_code, catalogs.default_locale)[0])
        try:
            if update.callback_query is not None:
                await update.callback_query.answer(views.failure(t), show_alert=True)
            else:
                await bot.send_message(chat_id=user.id, text=views.failure(t))
        except Exception as exc:  # noqa: BLE001 - a blocked bot or a dead network: nothing to do
            log.warning("could not tell the user", extra={"error": type(exc).__name__})
        return True

    return router
