"""Middlewares: drop redelivered updates; tell handlers who writes and in which language."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from typing import Any

from aiogram import BaseMiddleware, Bot
from aiogram.types import TelegramObject, Update, User

from bot.i18n import Catalogs, guess_locale
from bot.ports import Clock, UnitOfWorkFactory
from bot.services.onboarding import find_client
from bot.services.privacy import touch
from bot.services.reminders import mark_reachable
from bot.services.staff import active_staff
from bot.services.updates import claim_update

log = logging.getLogger("lotse.updates")

Handler = Callable[[TelegramObject, dict[str, Any]], Awaitable[Any]]


class DuplicateUpdateMiddleware(BaseMiddleware):
    """The same update_id (a webhook retry, a second instance) is handled once."""

    def __init__(self, uow_factory: UnitOfWorkFactory, clock: Clock) -> None:
        self._uow_factory = uow_factory
        self._clock = clock

    async def __call__(self, handler: Handler, event: TelegramObject, data: dict[str, Any]) -> Any:
        if isinstance(event, Update):
            bot: Bot = data["bot"]
            fresh = await claim_update(
                self._uow_factory, self._clock, bot_id=bot.id, update_id=event.update_id
            )
            if not fresh:
                log.info("duplicate update skipped", extra={"update_id": event.update_id})
                return None
        return await handler(event, data)


class ClientContextMiddleware(BaseMiddleware):
    """Puts `client` (or None) and `t` (a Translator in the client's language) into data.

    The stored choice wins; Telegram's language_code is only the first guess. The active
    staff record (or None) is read here for every update as `acting_staff`; the staff
    routers' filter turns it into `staff`.
    """

    def __init__(
        self, uow_factory: UnitOfWorkFactory, catalogs: Catalogs, clock: Clock | None = None
    ) -> None:
        self._uow_factory = uow_factory
        self._catalogs = catalogs
        self._clock = clock

    async def __call__(self, handler: Handler, event: TelegramObject, data: dict[str, Any]) -> Any:
        user: User | None = data.get("event_from_user")
        client = staff = None
        if user is not None and not user.is_bot:
            client = await find_client(self._uow_factory, user.id)
            # Read from the database for this update; every staff router's filter uses it,
            # so a deactivation counts from the next update on, with one query, not five.
            staff = await active_staff(self._uow_factory, user.id)
        guessed = guess_locale(user.language_code if user else None, self._catalogs.default_locale)
        if client is not None and client.unreachable_at is not None and client.id is not None:
            # They write again, so they have unblocked the bot.
            await mark_reachable(self._uow_factory, client_id=client.id)
            client.unreachable_at = None
        if client is not None and client.id is not None and self._clock is not None:
            # Activity, for CLIENT_INACTIVE_RETENTION (written at most once a day).
            await touch(self._uow_factory, self._clock, client_id=client.id)
        data["client"] = client
        data["acting_staff"] = staff
        data["guessed_locale"] = guessed
        data["t"] = self._catalogs.translator(client.locale if client else guessed)
        return await handler(event, data)
