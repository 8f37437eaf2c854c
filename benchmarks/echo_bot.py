"""A bare aiogram echo bot for benchmarks/updates.py: the yardstick Lotse is compared to.

    python benchmarks/echo_bot.py TELEGRAM_API_URL
    python benchmarks/echo_bot.py TELEGRAM_API_URL WEBHOOK_URL PORT   # webhook mode

Answers a text with the same text and a button; a tap edits the message. No database,
no middlewares of ours: only aiogram, its HTTP client, polling (or its aiohttp webhook
handler, answering after the handling as Lotse's does) and event loop, as Lotse uses them.
"""

from __future__ import annotations

import asyncio
import sys
import time
from urllib.parse import urlsplit

from aiogram import Bot, Dispatcher, F
from aiogram.client.session.aiohttp import AiohttpSession
from aiogram.client.telegram import TelegramAPIServer
from aiogram.types import CallbackQuery, InlineKeyboardButton, InlineKeyboardMarkup, Message
from aiogram.webhook.aiohttp_server import SimpleRequestHandler
from aiohttp import web

TOKEN = "555000:BENCH-token"


def echo_dispatcher() -> Dispatcher:
    dispatcher = Dispatcher()
    markup = InlineKeyboardMarkup(
        inline_keyboard=[[InlineKeyboardButton(text="again", callback_data="echo")]]
    )

    @dispatcher.message(F.text)
    async def echo(message: Message) -> None:
        await message.answer(message.text or "", reply_markup=markup)

    @dispatcher.callback_query()
    async def again(callback: CallbackQuery) -> None:
        await callback.answer()
        if isinstance(callback.message, Message):
            await callback.message.edit_text(f"again {time.time()}", reply_markup=markup)

    return dispatcher


async def main(api_url: str, webhook: str | None = None, port: int = 0) -> None:
    bot = Bot(TOKEN, session=AiohttpSession(api=TelegramAPIServer.from_base(api_url)))
    dispatcher = echo_dispatcher()
    if webhook is None:
        await dispatcher.start_polling(bot, handle_signals=True, close_bot_session=True)
        return
    app = web.Application()
    handler = SimpleRequestHandler(dispatcher, bot, handle_in_background=False)
    app.router.add_post(urlsplit(webhook).path, handler.handle)
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    await web.TCPSite(runner, "127.0.0.1", port).start()
    await bot.set_webhook(webhook)
    try:
        await asyncio.Event().wait()
    finally:
        await runner.cleanup()
        await bot.session.close()


if __name__ == "__main__":
    # The same event loop as Lotse's (main._run_loop), so the yardstick is fair.
    hook, port = (sys.argv[2], int(sys.argv[3])) if len(sys.argv) > 3 else (None, 0)
    try:
        import uvloop
    except ImportError:
        asyncio.run(main(sys.argv[1], hook, port))
    else:
        uvloop.run(main(sys.argv[1], hook, port))
