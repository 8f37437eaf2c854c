"""Benchmark: due reminders through the real sender against the emulator.

    python benchmarks/reminders.py [--count 10000] [--rate 25] [--limit 30]

Seeds COUNT due reminders (one client each) in a fresh SQLite database, starts the
Bot API emulator on 127.0.0.1 answering 429 above LIMIT messages in any second, and
runs the real dispatcher with the rate-limited Telegram sender (aiogram over HTTP)
at SEND_RATE = RATE. Prints messages/s, duplicates, lost, 429s received, peak memory.
Goal: >= 95 % of RATE, 0 duplicates, 0 lost, 0 answered 429.
"""

from __future__ import annotations

import argparse
import asyncio
import resource
import sys
import tempfile
import time
from collections import Counter
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from aiogram import Bot  # noqa: E402
from aiogram.client.default import DefaultBotProperties  # noqa: E402
from aiogram.client.session.aiohttp import AiohttpSession  # noqa: E402
from aiogram.client.telegram import TelegramAPIServer  # noqa: E402
from sqlalchemy import func, insert, select  # noqa: E402

from bot.i18n import Catalogs  # noqa: E402
from bot.ports import SystemClock  # noqa: E402
from bot.services.reminders import dispatch_due  # noqa: E402
from config import load_settings  # noqa: E402
from emulator import Emulator, EmulatorServer  # noqa: E402
from handlers.plumbing.notifier import TelegramNotifier  # noqa: E402
from handlers.plumbing.sending import RateLimitedSender  # noqa: E402
from storage import create_engine, make_uow_factory, session_factory, upgrade_database  # noqa: E402
from storage.models import (  # noqa: E402
    AppointmentRow,
    ClientRow,
    ReminderRow,
    SiteRow,
    StaffRow,
)

LOCALES = ("de", "en", "fr", "ar", "fa_AF", "ps")


async def seed(engine, count: int) -> None:
    now = datetime.now(UTC)
    start = now + timedelta(days=1)
    async with engine.begin() as connection:
        site = (
            await connection.execute(
                insert(SiteRow)
                .values(slug="bench", name="Bench", kind="city", created_at=now)
                .returning(SiteRow.id)
            )
        ).scalar_one()
        staff = (
            await connection.execute(
                insert(StaffRow)
                .values(
                    site_id=site,
                    telegram_user_id=1,
                    role="thm",
                    locale="de",
                    languages="",
                    active=True,
                    display_name="Anna",
                )
                .returning(StaffRow.id)
            )
        ).scalar_one()
        await connection.execute(
            insert(ClientRow),
            [
                {
                    "telegram_user_id": 10_000 + i,
                    "chat_id": 10_000 + i,
                    "locale": LOCALES[i % 6],
                    "consent_version": "bench",
                    "consented_at": now,
                    "site_id": site,
                    "case_manager_id": staff,
                    "created_at": now,
                }
                for i in range(count)
            ],
        )
        clients = (
            (await connection.execute(select(ClientRow.id).order_by(ClientRow.id))).scalars().all()
        )
        await connection.execute(
            insert(AppointmentRow),
            [
                {
                    "client_id": client,
                    "staff_id": staff,
                    "starts_at": start + timedelta(minutes=i),
                    "ends_at": start + timedelta(minutes=i + 30),
                    "mode": "in_person",
                    "topic": "work",
                    "address": "Rathaus",
                    "status": "booked",
                    "booked_by": "client",
                    "created_at": now,
                    "updated_at": now,
                }
                for i, client in enumerate(clients)
            ],
        )
        appointments = (await connection.execute(select(AppointmentRow.id))).scalars().all()
        await connection.execute(
            insert(ReminderRow),
            [
                {
                    "appointment_id": a,
                    "kind": "24h",
                    "due_at": now - timedelta(seconds=1),
                    "status": "pending",
                    "attempts": 0,
                    "created_at": now,
                }
                for a in appointments
            ],
        )


async def main(count: int, rate: float, limit: float) -> None:
    folder = Path(tempfile.mkdtemp(prefix="lotse-bench-"))
    settings = load_settings(
        _env_file=None,
        DATABASE_URL=f"sqlite+aiosqlite:///{folder}/bench.db",
        SEND_RATE=rate,
        QUIET_HOURS="03:00-03:01",
    )
    engine = create_engine(settings.DATABASE_URL)
    await upgrade_database(engine)
    await seed(engine, count)
    emulator = Emulator(rate_limit_per_second=limit)
    for i in range(count):
        emulator.user(10_000 + i)
    emulator.user(1)
    server = EmulatorServer(emulator)
    await server.start()
    clock = SystemClock()
    uow_factory = make_uow_factory(session_factory(engine), clock)
    session = AiohttpSession(api=TelegramAPIServer.from_base(server.base_url))
    bot = Bot("123:bench", session=session, default=DefaultBotProperties(parse_mode="HTML"))
    policy = settings.booking_policy()
    sender = TelegramNotifier(bot, Catalogs(), RateLimitedSender(rate), policy, uow_factory, clock)
    started = time.monotonic()
    rounds = 0
    pending = (
        select(func.count())
        .select_from(ReminderRow)
        .where(ReminderRow.status.in_(["pending", "sending"]))
    )
    while True:
        rounds += 1
        await dispatch_due(uow_factory, clock, sender, policy)
        # A connection per count: on SQLite the process has one, which the dispatcher's
        # units of work need too (holding it across rounds left them waiting for it).
        async with engine.connect() as connection:
            left = (await connection.execute(pending)).scalar_one()
        if not left or time.monotonic() - started > count / rate * 3 + 60:
            break
        await asyncio.sleep(0.5)  # retries scheduled a little later
    elapsed = time.monotonic() - started
    per_chat = Counter(m.chat_id for m in emulator.messages.values() if m.from_bot)
    async with engine.connect() as connection:
        sent_rows = (
            await connection.execute(
                select(func.count()).select_from(ReminderRow).where(ReminderRow.status == "sent")
            )
        ).scalar_one()
    delivered = sum(per_chat.values())
    duplicates = sum(n - 1 for n in per_chat.values() if n > 1)
    lost = count - len(per_chat)
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"reminders:        {count}")
    print(f"SEND_RATE:        {rate:g}/s   (emulator answers 429 above {limit:g} in any second)")
    print(f"elapsed:          {elapsed:.1f} s in {rounds} dispatcher round(s)")
    throughput = delivered / elapsed
    print(f"messages/s:       {throughput:.2f}  ({throughput / rate:.1%} of SEND_RATE)")
    print(f"delivered:        {delivered}   rows marked sent: {sent_rows}")
    print(f"duplicates:       {duplicates}")
    print(f"lost:             {lost}")
    print(f"429 received:     {emulator.answered_429}")
    print(f"peak memory:      {peak_mb:.0f} MB (RSS, benchmark process incl. emulator)")
    await session.close()
    await server.stop()
    await engine.dispose()


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=10_000)
    parser.add_argument("--rate", type=float, default=25.0, help="SEND_RATE, messages per second")
    parser.add_argument("--limit", type=float, default=30.0, help="emulator's 429 threshold")
    args = parser.parse_args()
    asyncio.run(main(args.count, args.rate, args.limit))
