"""Benchmark: updates through Lotse against a bare aiogram echo bot, in one harness.

    python benchmarks/updates.py [--clients 40]

Each simulated client steps through a booking like a person: /start, language, consent,
book, topic, mode, day, time, interpreter, confirm (10 updates), each step waiting for
the bot's answer before the next. The same number of clients then send the same number
of updates to an echo bot (a message, then taps on its button). Both run in-process
against the project's Bot API emulator over HTTP on 127.0.0.1, polling as in
production. Latency per update: from the update entering the emulator to the bot's
first message or edit in that chat. Prints updates/s, p50/p99 for both, and the ratio
Lotse p50 / echo p50. Goals on the 2-core machine: ratio <= 2, >= 300 updates/s,
p99 <= 50 ms.
"""

from __future__ import annotations

import argparse
import asyncio
import random
import statistics
import sys
import tempfile
import time
from datetime import time as wall
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from aiogram import Bot, Dispatcher, F  # noqa: E402
from aiogram.client.session.aiohttp import AiohttpSession  # noqa: E402
from aiogram.client.telegram import TelegramAPIServer  # noqa: E402
from aiogram.types import CallbackQuery, InlineKeyboardButton, InlineKeyboardMarkup, Message  # noqa: E402

from emulator.server import EmulatorServer  # noqa: E402

TOKEN = "555000:BENCH-token"
ANSWERS = {"sendMessage", "editMessageText", "sendDocument", "sendPhoto"}


class Watch:
    """Wraps the emulator's method calls: wakes whoever waits for an answer in a chat."""

    def __init__(self, server: EmulatorServer) -> None:
        self.events: dict[int, asyncio.Event] = {}
        emulator = server.emulator
        original = emulator.call

        async def call(token, method, params):  # type: ignore[no-untyped-def]
            result = await original(token, method, params)
            if method in ANSWERS:
                chat = int(params.get("chat_id") or 0)
                if chat in self.events:
                    self.events[chat].set()
            return result

        emulator.call = call  # type: ignore[method-assign]

    def arm(self, chat: int) -> asyncio.Event:
        event = self.events.setdefault(chat, asyncio.Event())
        event.clear()
        return event


async def _step(watch: Watch, chat: int, send, timings: list[float]) -> None:  # type: ignore[no-untyped-def]
    event = watch.arm(chat)
    started = time.perf_counter()
    await send()
    await asyncio.wait_for(event.wait(), 30)
    timings.append((time.perf_counter() - started) * 1000)


def _button(server: EmulatorServer, chat: int, prefix: str, rng: random.Random) -> tuple[int, str]:
    for message in reversed(server.emulator.chat(chat)):
        rows = (message.reply_markup or {}).get("inline_keyboard", [])
        found = [
            b["callback_data"]
            for row in rows
            for b in row
            if b.get("callback_data", "").startswith(prefix)
        ]
        if found:
            return message.message_id, rng.choice(found)
    # Someone else took the slot: the bot showed other choices; tap the first one.
    for message in reversed(server.emulator.chat(chat)):
        rows = (message.reply_markup or {}).get("inline_keyboard", [])
        if rows:
            return message.message_id, rows[0][0]["callback_data"]
    raise RuntimeError(f"no button at all for {chat}")


async def lotse_client(
    server: EmulatorServer, watch: Watch, user: int, timings: list[float]
) -> None:
    emulator, rng = server.emulator, random.Random(user)
    await _step(
        watch,
        user,
        lambda: emulator.user_message(user, text="/start site-essen", language_code="de"),
        timings,
    )
    for prefix in (
        "lang:de",
        "cons:agree",
        "menu:book",
        "bk:topic",
        "bk:mode",
        "bk:day",
        "bk:time",
        "bk:interp:no",
        "bk:confirm",
    ):
        message_id, data = _button(server, user, prefix, rng)
        await _step(watch, user, lambda m=message_id, d=data: emulator.press(user, m, d), timings)


async def echo_client(
    server: EmulatorServer, watch: Watch, user: int, timings: list[float]
) -> None:
    emulator = server.emulator
    await _step(watch, user, lambda: emulator.user_message(user, text="hi"), timings)
    for _ in range(9):
        message_id, data = _button(server, user, "echo", random.Random(user))
        await _step(watch, user, lambda m=message_id, d=data: emulator.press(user, m, d), timings)


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
        await callback.message.edit_text(f"again {time.time()}", reply_markup=markup)  # type: ignore[union-attr]

    return dispatcher


async def lotse_dispatcher(folder: str) -> tuple[Dispatcher, object]:
    from bot.domain import Mode, SiteKind, StaffRole
    from bot.i18n import Catalogs
    from bot.ports import SystemClock
    from bot.services import staff as staff_service
    from bot.services.sites import add_site
    from config import load_settings
    from config.keys import new_key
    from handlers import build_dispatcher
    from storage import create_engine, make_uow_factory, session_factory, upgrade_database

    settings = load_settings(
        _env_file=None, DATABASE_URL=f"sqlite+aiosqlite:///{folder}/bench.db", BOOKING_LEAD="1m"
    )
    engine = create_engine(settings.DATABASE_URL, notes_keys=[new_key()])
    await upgrade_database(engine)
    clock = SystemClock()
    uow_factory = make_uow_factory(session_factory(engine), clock)
    await add_site(uow_factory, clock, slug="essen", name="Essen", kind=SiteKind.CITY)
    for index in range(4):
        invite = await staff_service.invite_staff(
            uow_factory, clock, site_slug="essen", role=StaffRole.THM
        )
        member = await staff_service.redeem_staff_invite(
            uow_factory, clock, code=invite.code, telegram_user_id=800 + index, display_name="S"
        )
        for weekday in range(7):
            await staff_service.add_hours(
                uow_factory,
                staff_id=member.id,
                weekday=weekday,
                start=wall(8, 0),
                end=wall(20, 0),
                slot_minutes=30,
                mode=Mode.IN_PERSON,
                address="Rathaus",
            )
    dispatcher = build_dispatcher(
        uow_factory=uow_factory,
        catalogs=Catalogs(default_locale="de"),
        clock=clock,
        settings=settings,
        policy=settings.booking_policy(),
    )
    return dispatcher, engine


async def run(kind: str, clients: int) -> tuple[float, list[float]]:
    server = EmulatorServer()
    await server.start()
    for index in range(4):  # the staff have opened the bot before
        server.emulator.user(800 + index)
    watch = Watch(server)
    folder = tempfile.mkdtemp(prefix="lotse-updates-")
    engine = None
    if kind == "lotse":
        dispatcher, engine = await lotse_dispatcher(folder)
    else:
        dispatcher = echo_dispatcher()
    session = AiohttpSession(api=TelegramAPIServer.from_base(server.base_url))
    if kind == "lotse":
        from handlers.session import install

        install(session, dispatcher["uow_factory"], dispatcher["clock"])
    bot = Bot(TOKEN, session=session)
    polling = asyncio.create_task(
        dispatcher.start_polling(bot, handle_signals=False, polling_timeout=1)
    )
    await asyncio.sleep(0.5)
    timings: list[float] = []
    client = lotse_client if kind == "lotse" else echo_client
    started = time.perf_counter()
    await asyncio.gather(*(client(server, watch, 100_000 + i, timings) for i in range(clients)))
    elapsed = time.perf_counter() - started
    await dispatcher.stop_polling()
    polling.cancel()
    await bot.session.close()
    await server.stop()
    if engine is not None:
        await engine.dispose()  # type: ignore[attr-defined]
    return len(timings) / elapsed, sorted(timings)


def _pct(values: list[float], p: int) -> float:
    return statistics.quantiles(values, n=100)[p - 1]


async def main(clients: int) -> None:
    results = {}
    for kind in ("echo", "lotse"):
        rate, timings = await run(kind, clients)
        results[kind] = (rate, _pct(timings, 50), _pct(timings, 99))
        print(
            f"{kind:5}: {len(timings)} updates, {rate:6.1f} updates/s, "
            f"p50 {results[kind][1]:6.2f} ms, p99 {results[kind][2]:6.2f} ms"
        )
    print(f"ratio (Lotse p50 / echo p50): {results['lotse'][1] / results['echo'][1]:.2f}")
    print("goals: ratio <= 2, >= 300 updates/s, p99 <= 50 ms")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=40)
    args = parser.parse_args()
    asyncio.run(main(args.clients))
