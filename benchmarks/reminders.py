"""Benchmark: due reminders sent by real worker processes against the emulator.

    python benchmarks/reminders.py [--count 10000] [--workers 2] [--rate 9.6] [--limit 10]
                                   [--database-url postgresql+asyncpg://...]

Seeds COUNT due reminders (one client each) in a fresh SQLite database (or an empty
PostgreSQL database with --database-url), starts the Bot API emulator on 127.0.0.1
answering 429 above LIMIT messages in any sliding second, and starts WORKERS real
`python main.py worker` processes with SEND_RATE = RATE (one rate for all of them
together: the shared pace in the database). Prints messages/s (first to last delivery),
duplicates, lost, 429s received (and those after the first second), peak memory.
Goal: >= 95 % of LIMIT, 0 duplicates, 0 lost, 0 answered 429 after the first second.
"""

from __future__ import annotations

import argparse
import asyncio
import base64
import os
import sys
import tempfile
import time
from collections import Counter
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from sqlalchemy import func, insert, inspect, select  # noqa: E402

from bot.i18n import SUPPORTED_LOCALES  # noqa: E402
from emulator import Emulator, EmulatorServer  # noqa: E402
from storage import create_engine, upgrade_database  # noqa: E402
from storage.models import (  # noqa: E402
    AppointmentRow,
    ClientRow,
    ReminderRow,
    SiteRow,
    StaffRow,
)

TOKEN = "123:bench"
LOCALES = SUPPORTED_LOCALES  # every shipped language gets its share of the reminders


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
                    "locale": LOCALES[i % len(LOCALES)],
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


class CountingEmulator(Emulator):
    """The emulator, remembering when it answered 429 (after the first second or not)."""

    def __init__(self, **kwargs: object) -> None:
        super().__init__(**kwargs)  # type: ignore[arg-type]
        self.refused_at: list[float] = []

    def _check_rate(self) -> None:
        try:
            super()._check_rate()
        except Exception:
            self.refused_at.append(time.monotonic())
            raise


def _peak_mb(pid: int) -> float:
    """The process's peak resident memory (VmHWM), read before it ends."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return float("nan")


async def _empty(engine) -> bool:
    async with engine.connect() as connection:
        return not await connection.run_sync(lambda c: inspect(c).get_table_names())


async def main(
    count: int, workers: int, rate: float, limit: float, database_url: str | None
) -> int:
    folder = Path(tempfile.mkdtemp(prefix="lotse-bench-"))
    url = database_url or f"sqlite+aiosqlite:///{folder}/bench.db"
    engine = create_engine(url)
    if database_url and not await _empty(engine):
        print("--database-url must name an empty database (the benchmark fills it)")
        return 2
    await upgrade_database(engine)
    await seed(engine, count)
    emulator = CountingEmulator(rate_limit_per_second=limit)
    for i in range(count):
        emulator.user(10_000 + i)
    emulator.user(1)
    server = EmulatorServer(emulator)
    await server.start()
    env = dict(os.environ)
    env.update(
        BOT_TOKEN=TOKEN,
        TELEGRAM_API_URL=server.base_url,
        DATABASE_URL=url,
        NOTES_KEY=base64.urlsafe_b64encode(os.urandom(32)).decode(),
        SEND_RATE=str(rate),
        QUIET_HOURS="03:00-03:01",
        LOG_LEVEL="WARNING",
    )
    started = time.monotonic()
    processes = [
        await asyncio.create_subprocess_exec(
            sys.executable,
            str(ROOT / "main.py"),
            "worker",
            cwd=folder,  # no .env of a developer's checkout
            env=env,
            stdout=(folder / f"worker{n}.log").open("wb"),
            stderr=asyncio.subprocess.STDOUT,
        )
        for n in range(workers)
    ]
    left_query = (
        select(func.count())
        .select_from(ReminderRow)
        .where(ReminderRow.status.in_(["pending", "sending"]))
    )
    deadline = started + count / min(rate, limit) * 3 + 90
    left = count
    while left and time.monotonic() < deadline and all(p.returncode is None for p in processes):
        await asyncio.sleep(0.5)
        async with engine.connect() as connection:
            left = (await connection.execute(left_query)).scalar_one()
    peaks = [_peak_mb(p.pid) for p in processes]
    for process in processes:
        if process.returncode is None:
            process.terminate()
        await process.wait()
    clients = [m for m in emulator.messages.values() if m.from_bot and m.chat_id >= 10_000]
    per_chat = Counter(m.chat_id for m in clients)
    async with engine.connect() as connection:
        sent_rows = (
            await connection.execute(
                select(func.count()).select_from(ReminderRow).where(ReminderRow.status == "sent")
            )
        ).scalar_one()
    delivered = sum(per_chat.values())
    duplicates = sum(n - 1 for n in per_chat.values() if n > 1)
    lost = count - len(per_chat)
    sends = sorted(  # to the clients (not the case manager's agenda)
        r["at"]
        for r in emulator.requests
        if r["method"] == "sendMessage" and int(r["params"].get("chat_id", 0)) >= 10_000
    )
    first = sends[0] if sends else time.time()
    span = max(sends[-1] - first, 1e-9) if sends else 1e-9
    # The emulator's request times are wall-clock, its refusals monotonic: map them.
    offset = time.time() - time.monotonic()
    late_429 = sum(1 for at in emulator.refused_at if at + offset > first + 1.0)
    throughput = (delivered - 1) / span if delivered > 1 else 0.0
    print(f"reminders:        {count}")
    print(f"workers:          {workers} (python main.py worker, {url.split(':', 1)[0]})")
    print(f"SEND_RATE:        {rate:g}/s overall  (429 above {limit:g} in any second)")
    elapsed = time.monotonic() - started
    wait = first - (time.time() - elapsed)
    print(f"elapsed:          {elapsed:.1f} s ({wait:.1f} s to the first send)")
    print(f"sending:          {span:.1f} s")
    share = f"{throughput / limit:.1%} of the limit, {throughput / rate:.1%} of SEND_RATE"
    print(f"messages/s:       {throughput:.2f}  ({share})")
    print(f"delivered:        {delivered}   rows marked sent: {sent_rows}")
    print(f"duplicates:       {duplicates}")
    print(f"lost:             {lost}")
    print(f"429 received:     {emulator.answered_429}   after the first second: {late_429}")
    print("peak memory:      " + ", ".join(f"{p:.0f} MB" for p in peaks) + " (RSS per worker)")
    await server.stop()
    await engine.dispose()
    return 0 if not lost else 1


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=10_000)
    parser.add_argument("--workers", type=int, default=2, help="worker processes")
    parser.add_argument(
        "--rate", type=float, default=9.6, help="SEND_RATE (overall), messages per second"
    )
    parser.add_argument("--limit", type=float, default=10.0, help="emulator's 429 threshold")
    parser.add_argument("--database-url", help="an empty PostgreSQL database (default: SQLite)")
    args = parser.parse_args()
    sys.exit(asyncio.run(main(args.count, args.workers, args.rate, args.limit, args.database_url)))
