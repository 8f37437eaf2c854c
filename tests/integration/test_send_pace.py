"""The shared send rate on a real database: two processes (two engines here) that send
at once get distinct slots 1/rate apart, so together they never pass the rate."""

from __future__ import annotations

import asyncio
import time

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncEngine

from storage import create_engine
from storage.models import SendPaceRow
from storage.send_pace import DatabasePace
from tests.integration.conftest import Db


async def test_two_processes_share_one_rate_without_overlap(db: Db) -> None:
    other: AsyncEngine = create_engine(db.database_url)  # a second process's engine
    try:
        rate = 50.0
        first, second = DatabasePace(db.engine, rate), DatabasePace(other, rate)
        slots = await asyncio.gather(
            *(pace.reserve() for _ in range(20) for pace in (first, second))
        )
    finally:
        await other.dispose()
    ordered = sorted(slots)
    gaps = [b - a for a, b in zip(ordered, ordered[1:], strict=False)]
    assert len(set(slots)) == 40
    assert min(gaps) >= 1 / rate - 1e-6  # never two in the same 1/rate
    assert abs(ordered[-1] - ordered[0] - 39 / rate) < 0.5  # packed, none skipped far ahead
    stored = await db.scalar(select(SendPaceRow.next_at))
    assert abs(stored - (ordered[-1] + 1 / rate)) < 1e-6


async def test_acquire_waits_for_the_slot_and_an_idle_pace_starts_now(db: Db) -> None:
    pace = DatabasePace(db.engine, 20.0)
    started = time.monotonic()
    for _ in range(11):
        await pace.acquire()
    elapsed = time.monotonic() - started
    assert elapsed >= 10 / 20.0 - 0.02  # 11 sends at 20/s span at least half a second
    await asyncio.sleep(0.3)  # idle: no credit saved up, the next goes at once
    started = time.monotonic()
    await pace.acquire()
    assert time.monotonic() - started < 0.05


async def test_a_late_wake_up_gives_its_slot_up_for_the_next(db: Db) -> None:
    """A process that wakes up late must not send squeezed against the next slots."""
    overslept: list[float] = []

    async def oversleep(delay: float) -> None:  # a busy event loop: 200 ms late, once
        await asyncio.sleep(delay + (0.2 if not overslept else 0.0))
        overslept.append(delay)

    pace = DatabasePace(db.engine, 20.0, sleep=oversleep)
    taken = await pace.reserve()  # someone sends now: the next slot is 50 ms ahead
    await pace.acquire()
    assert len(overslept) == 1 and pace.slots_given_up == 1
    # Not the missed slot (taken + 50 ms) but a fresh one, after the wake-up.
    assert pace.last_slot >= taken + 1 / 20.0 + 0.2 - 0.01


async def test_a_slow_database_alone_gives_no_slot_up(db: Db) -> None:
    """A reservation that takes long (a remote database) is not lateness: the slot it
    hands out is as early as the process could send."""
    ticks = iter([0.0, 10.0, 10.0, 10.0, 10.0])  # the database answers 10 s after asking

    def clock() -> float:
        return 1_000_000.0 + next(ticks)

    pace = DatabasePace(db.engine, 20.0, clock=clock)
    await pace.acquire()
    assert pace.slots_given_up == 0
