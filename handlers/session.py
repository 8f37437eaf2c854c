"""Bot API request middleware: decoration calls never break a flow.

Answering a callback (the spinner), command lists, menu buttons and chat actions are
polish. When a server refuses them (an old query, a server without the method), the
user's step must still happen, so the refusal is logged and treated as done.
"""

from __future__ import annotations

import logging
from typing import Any

from aiogram import Bot
from aiogram.client.session.middlewares.base import BaseRequestMiddleware, NextRequestMiddlewareType
from aiogram.exceptions import TelegramAPIError, TelegramNetworkError
from aiogram.methods import (
    AnswerCallbackQuery,
    DeleteMyCommands,
    SendChatAction,
    SetChatMenuButton,
    SetMyCommands,
    SetMyDescription,
    TelegramMethod,
)
from aiogram.methods.base import TelegramType

log = logging.getLogger("lotse.telegram")

DECORATIONS = (
    AnswerCallbackQuery,
    SetMyCommands,
    DeleteMyCommands,
    SetChatMenuButton,
    SetMyDescription,
    SendChatAction,
)


class ForgiveDecorations(BaseRequestMiddleware):
    async def __call__(
        self,
        make_request: NextRequestMiddlewareType[TelegramType],
        bot: Bot,
        method: TelegramMethod[TelegramType],
    ) -> Any:
        try:
            return await make_request(bot, method)
        except (TelegramAPIError, TelegramNetworkError) as exc:
            if not isinstance(method, DECORATIONS):
                raise
            log.info(
                "decoration refused",
                extra={"method": type(method).__name__, "error": type(exc).__name__},
            )
            return True
