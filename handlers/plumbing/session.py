"""Bot API request middleware: decoration calls never break a flow.

Answering a callback (the spinner), command lists, menu buttons and chat actions are
polish. When a server refuses them (an old query, a server without the method), the
user's step must still happen, so the refusal is logged and treated as done.
"""

from __future__ import annotations

import logging
from datetime import datetime
from typing import Any

from aiogram import Bot, methods
from aiogram.client.session.base import BaseSession
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
from aiogram.methods.base import Response, TelegramType

from bot.ports import Clock, UnitOfWorkFactory
from bot.services.privacy import chat_message_writes, record_bot_messages
from handlers.plumbing.deferred import Pending, defer, recorded

log = logging.getLogger("lotse.telegram")

DECORATIONS = (
    AnswerCallbackQuery,
    SetMyCommands,
    DeleteMyCommands,
    SetChatMenuButton,
    SetMyDescription,
    SendChatAction,
)


EDITS = (
    methods.EditMessageText,
    methods.EditMessageReplyMarkup,
    methods.EditMessageCaption,
    methods.EditMessageMedia,
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


class KeepResponseModels(BaseRequestMiddleware):
    """Hold on to aiogram's response models, so each is built once per process.

    aiogram parses every answer with `Response[method.__returning__]`; pydantic keeps such
    generic models only weakly, so they are collected and built again (several ms each,
    most of a call's cost). A strong reference per return type keeps them cached."""

    #: What Lotse calls; their models are built at start-up, not at a user's first tap.
    USED = (
        methods.GetUpdates,
        methods.SendMessage,
        methods.EditMessageText,
        methods.EditMessageReplyMarkup,
        methods.AnswerCallbackQuery,
        methods.SendDocument,
        methods.SendPhoto,
        methods.CopyMessage,
        methods.DeleteMessage,
        methods.AnswerInlineQuery,
        methods.SetMyCommands,
        methods.SetChatMenuButton,
        methods.SendChatAction,
    )

    def __init__(self) -> None:
        self._models: dict[Any, Any] = {}
        for method in self.USED:
            self._keep(method.__returning__)

    def _keep(self, returning: Any) -> None:
        if returning not in self._models:
            self._models[returning] = Response[returning]

    async def __call__(
        self,
        make_request: NextRequestMiddlewareType[TelegramType],
        bot: Bot,
        method: TelegramMethod[TelegramType],
    ) -> Any:
        self._keep(method.__returning__)
        return await make_request(bot, method)


class RecordSentMessages(BaseRequestMiddleware):
    """Remember the ids of messages sent into private chats for 48 hours, so an erasing
    client's recent messages from the bot can be deleted. Only ids and times, and a
    failure to record never stops a message. During an update the ids are written when
    it ends (handlers.plumbing.deferred, `take`), outside one at once."""

    def __init__(self, uow_factory: UnitOfWorkFactory, clock: Clock) -> None:
        self._uow_factory = uow_factory
        self._clock = clock
        self._pending: list[tuple[int, int, datetime]] = []

    async def __call__(
        self,
        make_request: NextRequestMiddlewareType[TelegramType],
        bot: Bot,
        method: TelegramMethod[TelegramType],
    ) -> Any:
        result = await make_request(bot, method)
        chat_id = getattr(method, "chat_id", None)
        message_id = getattr(result, "message_id", None)
        if isinstance(method, EDITS):
            return result  # the message is known from when it was sent
        if isinstance(chat_id, int) and chat_id > 0 and isinstance(message_id, int):
            if not recorded(chat_id):
                return result  # an erased client's goodbye: nothing of theirs stays
            self._pending.append((chat_id, message_id, self._clock.now()))
            if not defer(self):
                await self.flush()
        return result

    def take(self) -> Pending | None:
        """The ids noted during an update, written with its other writes at its end
        (lost if that fails: the message is out, that is what counts); none of a chat
        erased in this update."""
        sent, self._pending = [s for s in self._pending if recorded(s[0])], []
        return Pending(chat_message_writes(sent)) if sent else None

    async def flush(self) -> None:
        sent, self._pending = self._pending, []
        try:
            await record_bot_messages(self._uow_factory, sent)
        except Exception as exc:  # noqa: BLE001 - the message is out; that is what counts
            log.warning("sent message not recorded", extra={"error": type(exc).__name__})


def install(session: BaseSession, uow_factory: UnitOfWorkFactory, clock: Clock) -> None:
    """The request middlewares every Lotse bot session carries."""
    session.middleware(KeepResponseModels())
    session.middleware(ForgiveDecorations())
    session.middleware(RecordSentMessages(uow_factory, clock))
