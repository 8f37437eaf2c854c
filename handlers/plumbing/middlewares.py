"""Middleware: drop redelivered updates; tell handlers who writes and in which language;
remember the ids of a client's own messages for 48 hours."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from aiogram import BaseMiddleware, Bot
from aiogram.types import TelegramObject, Update, User

from bot.i18n import Catalogs, guess_locales
from bot.ports import Clock, UnitOfWorkFactory
from bot.services.privacy import chat_message_writes
from bot.services.updates import UpdateContext, begin_update
from handlers.plumbing.deferred import Pending, defer, recorded
from handlers.turn import Turn

log = logging.getLogger("lotse.updates")

Handler = Callable[[TelegramObject, dict[str, Any]], Awaitable[Any]]


class UpdateContextMiddleware(BaseMiddleware):
    """Before any handler, in one transaction (bot.services.updates.begin_update):

    - the same update_id (a webhook retry, a second instance) is handled once;
    - `client` (or None) and `t` (a Translator in the client's language) go into data.
      The stored choice wins; Telegram's language_code is only the first guess;
    - the active staff record (or None) is read for every update as `acting_staff`; the
      staff routers' filter turns it into `staff`, so a deactivation counts from the next
      update on;
    - `turn` (handlers.turn.Turn): the bot, the state, `t` and the tools, in one.
    """

    def __init__(self, uow_factory: UnitOfWorkFactory, catalogs: Catalogs, clock: Clock) -> None:
        self._uow_factory = uow_factory
        self._catalogs = catalogs
        self._clock = clock

    async def __call__(self, handler: Handler, event: TelegramObject, data: dict[str, Any]) -> Any:
        user: User | None = data.get("event_from_user")
        person = user.id if user is not None and not user.is_bot else None
        update_id = event.update_id if isinstance(event, Update) else None
        if update_id is None:
            context = UpdateContext(fresh=True)
        else:
            bot: Bot = data["bot"]
            context = await begin_update(
                self._uow_factory,
                self._clock,
                bot_id=bot.id,
                update_id=update_id,
                telegram_user_id=person,
            )
        if not context.fresh:
            log.info("duplicate update skipped", extra={"update_id": update_id})
            return None
        client = context.client
        guessed = guess_locales(user.language_code if user else None, self._catalogs.default_locale)
        data["client"] = client
        data["acting_staff"] = context.staff
        data["guessed_locales"] = guessed
        data["t"] = self._catalogs.translator(client.locale if client else guessed[0])
        data["turn"] = Turn.of(data)
        return await handler(event, data)


class OneAtATime(BaseMiddleware):
    """One update per person at a time, in the order they came (aiogram handles updates
    concurrently). A double tap is then handled after the first tap's step is done and
    sees its outcome, instead of racing it. Registered before aiogram's FSM middleware,
    so the second update is routed by the state the first one left."""

    def __init__(self) -> None:
        self._locks: dict[int, tuple[asyncio.Lock, int]] = {}

    async def __call__(self, handler: Handler, event: TelegramObject, data: dict[str, Any]) -> Any:
        user: User | None = data.get("event_from_user")
        if user is None:
            return await handler(event, data)
        lock, waiting = self._locks.get(user.id, (asyncio.Lock(), 0))
        self._locks[user.id] = (lock, waiting + 1)
        try:
            async with lock:
                return await handler(event, data)
        finally:
            lock, waiting = self._locks[user.id]
            if waiting <= 1:
                del self._locks[user.id]
            else:
                self._locks[user.id] = (lock, waiting - 1)


class RecordReceivedMessages(BaseMiddleware):
    """Remember the id of each message a person (not staff) sends into their private chat
    with the bot, for 48 hours: Telegram lets a bot delete incoming messages of a private
    chat that long, and "Delete my data" deletes them with the bot's own (a phone number
    the client typed, for one). Only the chat, the id and the time; never the text.

    Registered after UpdateContextMiddleware (a redelivered update is not noted twice,
    and staff are known); written with the update's other writes at its end
    (handlers.plumbing.deferred), and not at all when the update erased the chat."""

    def __init__(self, clock: Clock) -> None:
        self._clock = clock

    async def __call__(self, handler: Handler, event: TelegramObject, data: dict[str, Any]) -> Any:
        message = event.message if isinstance(event, Update) else None
        if (
            message is not None
            and message.chat.type == "private"
            and message.from_user is not None
            and not message.from_user.is_bot
            and data.get("acting_staff") is None
        ):
            defer(_Received(message.chat.id, message.message_id, self._clock.now()))
        return await handler(event, data)


@dataclass(eq=False)
class _Received:
    """One received message, as a deferred writer (handlers.plumbing.deferred)."""

    chat_id: int
    message_id: int
    at: datetime

    def take(self) -> Pending | None:
        if not recorded(self.chat_id):
            return None  # erased in this very update: nothing of theirs stays
        return Pending(chat_message_writes([(self.chat_id, self.message_id, self.at)]))
