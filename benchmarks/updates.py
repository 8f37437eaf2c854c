"""Benchmark: updates through Lotse against a bare aiogram echo bot, in one harness.

    python benchmarks/updates.py [--clients 10] [--rounds 10] [--log-level INFO]
    python benchmarks/updates.py --processes N [--pg-admin-url URL] [--redis-url URL]

Each simulated client steps through a booking like a person: /start, language, consent,
book, topic, mode, day, time, interpreter, confirm (10 updates), each step waiting for
the bot's answer before the next. `--clients` of them are under way at once; when one
is done a new one starts, `--clients` x `--rounds` clients in all. The same clients then
send the same number of updates to an echo bot (benchmarks/echo_bot.py: a message, then
taps on its button).

Why 10 at once by default: each client waits for an answer before its next step, so the
p50 is about (clients at once) / (updates per second). With 40 at once, the goals below
(>= 300 updates/s and p99 <= 50 ms) contradict each other, and the echo bot itself has a
p99 above 50 ms. `--clients 40` still shows how the bot behaves under a queue.

Both bots run as their own process, as in production: Lotse is the real `python
main.py` (polling, scheduler, SQLite, the site and four case managers seeded before it
starts); with `--processes N`, N of each bot in webhook mode behind nginx, Lotse on
PostgreSQL and Redis (benchmarks/updates_webhook.py). They reach the project's Bot API
emulator, which runs here with the clients, over HTTP on 127.0.0.1. Latency per update:
from the update entering the emulator to the bot's first message or edit in that chat.
One client per process goes through first, unmeasured (warm-up). Prints updates/s,
p50/p99, the bot processes' CPU time per update (all together) and the peak memory of
one, and the ratio Lotse p50 / echo p50. Goals on the 2-core machine: ratio <= 2,
>= 300 updates/s, p99 <= 50 ms.
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import os
import random
import socket
import statistics
import sys
import tempfile
import time
from datetime import time as wall
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks import updates_webhook as hooks  # noqa: E402
from emulator.server import EmulatorServer  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
TOKEN = "555000:BENCH-token"
Timings = dict[str, list[float]]
ANSWERS = {"sendMessage", "editMessageText", "sendDocument", "sendPhoto"}


class Watch:
    """Wraps the emulator's method calls: wakes whoever waits for an answer in a chat."""

    def __init__(self, server: EmulatorServer) -> None:
        self.events: dict[int, asyncio.Event] = {}
        emulator = server.emulator
        original = emulator.call

        async def call(token, method, params):
            result = await original(token, method, params)
            if method in ANSWERS:
                chat = int(params.get("chat_id") or 0)
                if chat in self.events:
                    self.events[chat].set()
            return result

        # The harness listens in on the emulator's dispatch: it wraps the bound method.
        emulator.call = call  # type: ignore[method-assign]

    def arm(self, chat: int) -> asyncio.Event:
        event = self.events.setdefault(chat, asyncio.Event())
        event.clear()
        return event


async def _step(watch: Watch, chat: int, send, timings: Timings, name: str) -> None:
    event = watch.arm(chat)
    started = time.perf_counter()
    await send()
    await asyncio.wait_for(event.wait(), 30)
    timings.setdefault(name, []).append((time.perf_counter() - started) * 1000)


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


async def lotse_client(server: EmulatorServer, watch: Watch, user: int, timings: Timings) -> None:
    emulator, rng = server.emulator, random.Random(user)
    await _step(
        watch,
        user,
        lambda: emulator.user_message(user, text="/start site-essen", language_code="de"),
        timings,
        "/start",
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
        await _step(
            watch,
            user,
            lambda m=message_id, d=data: emulator.press(user, m, d),
            timings,
            prefix.rstrip(":"),
        )


async def echo_client(server: EmulatorServer, watch: Watch, user: int, timings: Timings) -> None:
    emulator = server.emulator
    await _step(watch, user, lambda: emulator.user_message(user, text="hi"), timings, "text")
    for _ in range(9):
        message_id, data = _button(server, user, "echo", random.Random(user))
        await _step(
            watch, user, lambda m=message_id, d=data: emulator.press(user, m, d), timings, "tap"
        )


async def seed_lotse(folder: str, url: str | None = None) -> dict[str, str]:
    """A site and four case managers with hours every day 08:00-20:00, written before
    the bot starts (SQLite in `folder`, or the database `url`); the bot's environment."""
    from bot.domain import Mode, SiteKind, StaffRole
    from bot.ports import SystemClock
    from bot.services import staff as staff_service
    from bot.services.sites import add_site
    from config.keys import new_key
    from storage import create_engine, make_uow_factory, session_factory, upgrade_database

    url = url or f"sqlite+aiosqlite:///{folder}/bench.db"
    key = new_key()
    engine = create_engine(url, notes_keys=[key])
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
    await engine.dispose()
    return {"DATABASE_URL": url, "NOTES_KEY": key, "BOOKING_LEAD": "1m"}


def _cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _peak_rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return 0.0


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


async def run(
    kind: str,
    clients: int,
    log_level: str,
    rounds: int = 1,
    processes: int = 0,
    pg_admin_url: str = "",
    redis_url: str = "",
) -> dict[str, object]:
    """One bot measured: one polling process (processes=0), or `processes` webhook
    processes behind nginx (Lotse on PostgreSQL and Redis)."""
    server = EmulatorServer()
    await server.start()
    for index in range(4):  # the staff have opened the bot before
        server.emulator.user(800 + index)
    watch = Watch(server)
    folder = tempfile.mkdtemp(prefix="lotse-updates-")
    env = {k: v for k, v in os.environ.items() if k not in {"BOT_TOKEN", "DATABASE_URL"}}
    env.update(BOT_TOKEN=TOKEN, TELEGRAM_API_URL=server.base_url, LOG_LEVEL=log_level)
    ports = [_free_port() for _ in range(max(processes, 1))]  # each bot's web port
    nginx, hook = None, ""
    if processes:
        nginx, listen = await hooks.start_nginx(Path(folder), ports)
        hook = f"http://127.0.0.1:{listen}{hooks.WEBHOOK_PATH}"
    if kind == "lotse":
        url = await hooks.fresh_database(pg_admin_url) if processes else None
        env.update(await seed_lotse(folder, url))
        if processes:
            await hooks.empty_redis(redis_url)
            env.update(REDIS_URL=redis_url, WEBHOOK_URL=hook)
        commands = [[sys.executable, "main.py"] for _ in ports]
    else:
        echo = [sys.executable, "benchmarks/echo_bot.py", server.base_url]
        commands = [[*echo, hook, str(port)] if processes else echo for port in ports]
    log = (Path(folder) / "bot.log").open("wb")  # noqa: ASYNC230, SIM115 - closed below
    bots = [
        await asyncio.create_subprocess_exec(
            *command, cwd=ROOT, env={**env, "WEB_PORT": str(port)}, stdout=log, stderr=log
        )
        for command, port in zip(commands, ports, strict=True)
    ]
    try:
        await _ready(server, bots, ports, processes, kind, folder)
        await asyncio.sleep(1.0)  # start-up work (commands, first scheduler tick) is done
        client = lotse_client if kind == "lotse" else echo_client
        # Warm-up, not measured: one client per process through the whole flow (first
        # SQL compiles, first validators, imports on first use).
        for warm in range(len(bots)):
            await client(server, watch, 99_000 + warm, {})
        cpu_before = sum(_cpu_seconds(bot.pid) for bot in bots)
        spy = None
        if os.environ.get("BENCH_PYSPY"):  # where the bot's time goes (py-spy, raw format)
            spy = await asyncio.create_subprocess_exec(
                "py-spy",
                "record",
                "-r",
                "200",
                "-f",
                "raw",
                "-o",
                os.environ["BENCH_PYSPY"],
                "-p",
                str(bots[0].pid),
                stdout=asyncio.subprocess.DEVNULL,
                stderr=asyncio.subprocess.DEVNULL,
            )
        steps: Timings = {}
        at_once = asyncio.Semaphore(clients)

        async def one(user: int) -> None:
            async with at_once:
                await client(server, watch, user, steps)

        # The harness keeps every request and message; its garbage collector would walk
        # that growing heap and pause both bots' clients alike. Not while measuring.
        gc.collect()
        gc.disable()
        started = time.perf_counter()
        try:
            await asyncio.gather(*(one(100_000 + i) for i in range(clients * rounds)))
        finally:
            elapsed = time.perf_counter() - started
            gc.enable()
        cpu = sum(_cpu_seconds(bot.pid) for bot in bots) - cpu_before
        rss = max(_peak_rss_mb(bot.pid) for bot in bots)
        if spy is not None:
            spy.send_signal(2)
            await spy.wait()
    finally:
        for bot in bots:
            if bot.returncode is None:
                bot.terminate()
                await bot.wait()
        if nginx is not None:
            nginx.terminate()
            await nginx.wait()
        log.close()
        await server.stop()
        if processes and kind == "lotse":
            await hooks.drop_database(pg_admin_url)
            await hooks.empty_redis(redis_url)
    timings = sorted(t for values in steps.values() for t in values)
    return {
        "updates": len(timings),
        "rate": len(timings) / elapsed,
        "p50": _pct(timings, 50),
        "p99": _pct(timings, 99),
        "cpu_ms": cpu * 1000 / len(timings),
        "steps": {name: statistics.median(values) for name, values in steps.items()},
        "rss": rss,
    }


async def _ready(
    server: EmulatorServer,
    bots: list[asyncio.subprocess.Process],
    ports: list[int],
    processes: int,
    kind: str,
    folder: str,
) -> None:
    """Polling: the bot has asked for updates. Webhook: every process has set the
    webhook and listens on its port."""

    def started() -> bool:
        calls = [r["method"] for r in server.emulator.requests]
        if not processes:
            return "getUpdates" in calls
        return calls.count("setWebhook") >= processes

    while not started():
        if any(bot.returncode is not None for bot in bots):
            raise RuntimeError(f"a {kind} bot stopped; see {folder}/bot.log")
        await asyncio.sleep(0.05)
    for port in ports if processes else []:
        await hooks.wait_listening(port)


def _pct(values: list[float], p: int) -> float:
    return statistics.quantiles(values, n=100)[p - 1]


async def main(
    clients: int, log_level: str, rounds: int, processes: int, pg: str, redis: str
) -> None:
    results: dict[str, dict[str, Any]] = {}
    where = (
        f"{processes} webhook process(es) each behind nginx, Lotse on PostgreSQL + Redis"
        if processes
        else "one polling process each, Lotse on SQLite"
    )
    print(f"{where}; {clients} clients at once, {clients * rounds} in all")
    for kind in ("echo", "lotse"):
        r = await run(kind, clients, log_level, rounds, processes, pg, redis)
        results[kind] = r
        print(
            f"{kind:5}: {r['updates']} updates, {r['rate']:6.1f} updates/s, "
            f"p50 {r['p50']:6.2f} ms, p99 {r['p99']:6.2f} ms, "
            f"bot CPU {r['cpu_ms']:5.2f} ms/update, bot peak RSS {r['rss']:.0f} MB"
        )
    for kind in ("echo", "lotse"):
        steps = results[kind]["steps"]
        print(f"{kind} p50 by step (ms): " + ", ".join(f"{k} {v:.1f}" for k, v in steps.items()))
    ratio = float(results["lotse"]["p50"]) / float(results["echo"]["p50"])
    print(f"ratio (Lotse p50 / echo p50): {ratio:.2f}")
    print("goals: ratio <= 2, >= 300 updates/s, p99 <= 50 ms")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=10, help="clients at once")
    parser.add_argument(
        "--rounds", type=int, default=10, help="new clients per place (clients x rounds in all)"
    )
    parser.add_argument("--log-level", default="INFO", help="the bots' LOG_LEVEL")
    parser.add_argument(
        "--processes",
        type=int,
        default=0,
        help="N webhook processes of each bot behind nginx, Lotse on PostgreSQL + Redis "
        "(default 0: one polling process, SQLite)",
    )
    parser.add_argument(
        "--pg-admin-url",
        default=os.environ.get("BENCH_PG_ADMIN_URL", "postgresql://postgres@127.0.0.1/postgres"),
        help=f"a PostgreSQL cluster where {hooks.DATABASE} may be made and dropped",
    )
    parser.add_argument(
        "--redis-url",
        default=os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/14"),
        help="a Redis database number that may be emptied",
    )
    args = parser.parse_args()
    asyncio.run(
        main(
            args.clients,
            args.log_level,
            args.rounds,
            args.processes,
            args.pg_admin_url,
            args.redis_url,
        )
    )
