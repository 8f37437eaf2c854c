"""A bare aiogram echo bot for benchmarks/updates.py: the yardstick Lotse is compared to.

    python benchmarks/echo_bot.py TELEGRAM_API_URL

Answers a text with the same text and a button; a tap edits the message. No database,
no middlewares of ours: only aiogram, its HTTP client, polling and event loop, as Lotse
uses them.
"""

from __future__ import annotations

import asyncio
import sys
import time

from aiogram import Bot, Dispatcher, F
from aiogram.client.session.aiohttp import AiohttpSession
from aiogram.client.telegram import TelegramAPIServer
from aiogram.types import CallbackQuery, InlineKeyboardButton, InlineKeyboardMarkup, Message

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


async def main(api_url: str) -> None:
    bot = Bot(TOKEN, session=AiohttpSession(api=TelegramAPIServer.from_base(api_url)))
    await echo_dispatcher().start_polling(bot, handle_signals=True, close_bot_session=True)


if __name__ == "__main__":
    # The same event loop as Lotse's (main._run_loop), so the yardstick is fair.
    try:
        import uvloop
    except ImportError:
        asyncio.run(main(sys.argv[1]))
    else:
        uvloop.run(main(sys.argv[1]))
