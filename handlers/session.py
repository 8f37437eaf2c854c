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

from bot.services.privacy import record_bot_message

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


class RecordSentMessages(BaseRequestMiddleware):
    """Remember the ids of messages sent into private chats for 48 hours, so an erasing
    client's recent messages from the bot can be deleted. Only ids and times, and a
    failure to record never stops a message."""

    def __init__(self, uow_factory, clock) -> None:  # type: ignore[no-untyped-def]
        self._uow_factory = uow_factory
        self._clock = clock

    async def __call__(
        self,
        make_request: NextRequestMiddlewareType[TelegramType],
        bot: Bot,
        method: TelegramMethod[TelegramType],
    ) -> Any:
        result = await make_request(bot, method)
        chat_id = getattr(method, "chat_id", None)
        message_id = getattr(result, "message_id", None)
        if isinstance(chat_id, int) and chat_id > 0 and isinstance(message_id, int):
            try:
                await record_bot_message(
                    self._uow_factory, self._clock, chat_id=chat_id, message_id=message_id
                )
            except Exception as exc:  # noqa: BLE001 - the message is out; that is what counts
                log.warning("sent message not recorded", extra={"error": type(exc).__name__})
        return result
