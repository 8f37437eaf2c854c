"""The shared send rate, on a real database and on a real Redis (REDIS_URL): two
processes (two engines, two Redis clients here) that send at once get distinct slots
1/rate apart, so together they never pass the rate. Every test runs on both backends:
they keep one contract (storage/send_pace.py, storage/redis_pace.py)."""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass
from typing import Any

import pytest
from redis.asyncio import Redis
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncEngine

from storage import create_engine
from storage.models import SendPaceRow
from storage.redis_client import connect_redis
from storage.redis_pace import RedisPace
from storage.send_pace import DatabasePace, SlotPace
from tests.integration.conftest import Db


@dataclass
class Backend:
    """Makes a pace as one more process would (`pace(rate, **options)`), and reads when
    the next send may go out as stored (seconds since the epoch)."""

    pace: Callable[..., SlotPace]
    stored_next: Callable[[], Awaitable[float]]


@pytest.fixture(params=["database", "redis"])
async def backend(request: pytest.FixtureRequest, db: Db) -> AsyncIterator[Backend]:
    if request.param == "database":
        engines: list[AsyncEngine] = []

        def database_pace(rate: float, **options: Any) -> SlotPace:
            engine = db.engine if not engines else create_engine(db.database_url)
            engines.append(engine)
            return DatabasePace(engine, rate, **options)

        async def stored_row() -> float:
            return float(await db.scalar(select(SendPaceRow.next_at)))

        yield Backend(database_pace, stored_row)
        for other in engines[1:]:
            await other.dispose()
        return
    url: str = request.getfixturevalue("redis_url")  # synchronous: a fixture may ask for it
    clients: list[Redis] = [connect_redis(url)]

    def redis_pace(rate: float, **options: Any) -> SlotPace:
        clients.append(connect_redis(url))  # one client per process
        return RedisPace(clients[-1], rate, **options)

    async def stored_key() -> float:
        stored = await clients[0].get("lotse:pace:telegram")
        assert stored is not None
        return int(stored) / 1_000_000

    yield Backend(redis_pace, stored_key)
    for client in clients:
        await client.aclose()


async def test_two_processes_share_one_rate_without_overlap(backend: Backend) -> None:
    rate = 50.0
    first, second = backend.pace(rate), backend.pace(rate)
    slots = await asyncio.gather(*(pace.reserve() for _ in range(20) for pace in (first, second)))
    ordered = sorted(slots)
    gaps = [b - a for a, b in zip(ordered, ordered[1:], strict=False)]
    assert len(set(slots)) == 40
    assert min(gaps) >= 1 / rate - 1e-6  # never two in the same 1/rate
    assert abs(ordered[-1] - ordered[0] - 39 / rate) < 0.5  # packed, none skipped far ahead
    stored = await backend.stored_next()
    assert abs(stored - (ordered[-1] + 1 / rate)) < 1e-5


async def test_two_pacers_hold_the_rate_per_second_while_sending(backend: Backend) -> None:
    """Two processes acquiring as fast as they can: no second holds more than `rate`."""
    rate = 20.0
    sent: list[float] = []

    async def sender(pace: SlotPace) -> None:
        for _ in range(15):
            await pace.acquire()
            sent.append(time.time())

    await asyncio.gather(sender(backend.pace(rate)), sender(backend.pace(rate)))
    sent.sort()
    most_in_a_second = max(sum(1 for t in sent if start <= t < start + 1.0) for start in sent)
    assert len(sent) == 30
    assert most_in_a_second <= rate + 1  # the edge: a send exactly 1 s after the first
    assert sent[-1] - sent[0] >= 29 / rate - 0.05


async def test_acquire_waits_for_the_slot_and_an_idle_pace_starts_now(backend: Backend) -> None:
    pace = backend.pace(20.0)
    started = time.monotonic()
    for _ in range(11):
        await pace.acquire()
    elapsed = time.monotonic() - started
    assert elapsed >= 10 / 20.0 - 0.02  # 11 sends at 20/s span at least half a second
    await asyncio.sleep(0.3)  # idle: no credit saved up, the next goes at once
    started = time.monotonic()
    await pace.acquire()
    assert time.monotonic() - started < 0.05


async def test_a_late_wake_up_gives_its_slot_up_for_the_next(backend: Backend) -> None:
    """A process that wakes up late must not send squeezed against the next slots."""
    overslept: list[float] = []

    async def oversleep(delay: float) -> None:  # a busy event loop: 200 ms late, once
        await asyncio.sleep(delay + (0.2 if not overslept else 0.0))
        overslept.append(delay)

    pace = backend.pace(20.0, sleep=oversleep)
    taken = await pace.reserve()  # someone sends now: the next slot is 50 ms ahead
    await pace.acquire()
    assert len(overslept) == 1 and pace.slots_given_up == 1
    # Not the missed slot (taken + 50 ms) but a fresh one, after the wake-up.
    assert pace.last_slot >= taken + 1 / 20.0 + 0.2 - 0.01


async def test_a_slow_store_alone_gives_no_slot_up(backend: Backend) -> None:
    """A reservation that takes long (a remote database or Redis) is not lateness: the
    slot it hands out is as early as the process could send."""
    ticks = iter([0.0, 10.0, 10.0, 10.0, 10.0])  # the store answers 10 s after asking

    def clock() -> float:
        return 1_000_000.0 + next(ticks)

    pace = backend.pace(20.0, clock=clock)
    await pace.acquire()
    assert pace.slots_given_up == 0
