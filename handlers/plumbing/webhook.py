"""Webhook mode (issue 21, item 1): Telegram posts updates to WEBHOOK_URL's path on the
console's server, with aiogram's aiohttp integration.

- Every request must carry the secret token in `X-Telegram-Bot-Api-Secret-Token`
  (SimpleRequestHandler answers 401 otherwise, before reading the body); the token is
  never in the URL.
- Updates are handled before the answer (not `handle_in_background`): Telegram delivers
  an update again until it gets a 200, so an update cut short by a crash or a kill comes
  back (handled once: processed updates are recorded), and a graceful stop only has to
  let the requests under way finish, which aiohttp's shutdown does.
"""

from __future__ import annotations

import logging
from typing import Any

from aiogram import Bot, Dispatcher
from aiogram.webhook.aiohttp_server import SimpleRequestHandler, setup_application
from aiohttp import web

log = logging.getLogger("lotse.webhook")


def mount_webhook(
    app: web.Application,
    dispatcher: Dispatcher,
    bot: Bot,
    *,
    path: str,
    secret: str,
    **data: Any,
) -> None:
    """Serve the webhook at `path` on `app`. The route is added directly (not with
    `SimpleRequestHandler.register`, whose shutdown hook would close the bot's session
    while updates are still being handled); the composition root closes it last."""
    handler = SimpleRequestHandler(
        dispatcher, bot, handle_in_background=False, secret_token=secret, **data
    )
    app.router.add_post(path, handler.handle)
    setup_application(app, dispatcher, bot=bot, **data)


async def set_webhook(
    bot: Bot, *, url: str, secret: str, allowed_updates: list[str] | None = None
) -> None:
    """Tell Telegram where to post (again at every start: several processes share it).
    Pending updates are kept; the webhook is never deleted on stop, because the other
    processes behind the load balancer go on serving it."""
    await bot.set_webhook(
        url, secret_token=secret, drop_pending_updates=False, allowed_updates=allowed_updates
    )
    log.info("webhook set")
