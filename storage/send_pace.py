"""One send rate for every process on this database (bot.ports.SendPace).

A single row holds when the next message may go out (seconds since the epoch). Each send
moves it on by 1/rate in one UPDATE ... RETURNING and waits for its own slot: the
"generic cell rate algorithm" with a burst of one. PostgreSQL locks the row for the
statement, SQLite takes its write lock, so two processes never get the same slot and no
second holds more than `rate` sends, however many processes there are.

A slot is only good on time: a process that wakes up late (a busy event loop, a slow
database) would send closer to the slots after its own and squeeze more than `rate`
into a second. So a send later than LATE_TOLERANCE past its slot gives the slot up and
takes the next free one; the gap it leaves costs one interval of throughput.

Written here rather than taken from a library: the limiters that keep their state in a
database (pyrate-limiter's buckets) bring their own driver (psycopg, sqlite3) beside
SQLAlchemy's and store one row per send; this is one statement on the engine we have.
Where REDIS_URL is set, storage/redis_pace.py hands out the same slots from Redis.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable

from sqlalchemy import case, insert, literal, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncEngine

from storage.models import SendPaceRow

LATE_TOLERANCE = 0.015  # seconds after its slot a send may still go out
_LATE_RETRIES = 8  # then it goes anyway (a 429, if any, is rescheduled by the caller)


class SlotPace:
    """Waiting for a slot of a shared pace; where the slots come from (`reserve`) is the
    subclass's: a database row here, a Redis key in storage/redis_pace.py."""

    def __init__(
        self,
        rate: float,
        *,
        clock: Callable[[], float] = time.time,
        late_tolerance: float = LATE_TOLERANCE,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
    ) -> None:
        if rate <= 0:
            raise ValueError("rate must be positive")
        self._interval = 1.0 / rate
        self._clock = clock
        self._tolerance = late_tolerance
        self._sleep = sleep
        self.slots_given_up = 0
        self.last_slot = 0.0  # the slot the last acquire() sent on

    async def acquire(self) -> None:
        """Wait for this process's next slot of the shared rate; a slot missed by more
        than the tolerance is given up for the next free one."""
        for _ in range(_LATE_RETRIES):
            slot = await self.reserve()
            # Late is only what the sleep overran: a slot handed out as "now" is as early
            # as this process could have it, however long the database took to say so.
            due = max(slot, self._clock())
            delay = slot - self._clock()
            if delay > 0:
                await self._sleep(delay)
            self.last_slot = slot
            if self._clock() - due <= self._tolerance:
                return
            self.slots_given_up += 1

    async def reserve(self) -> float:
        """Take the next free slot (its time, seconds since the epoch)."""
        raise NotImplementedError


class DatabasePace(SlotPace):
    def __init__(
        self,
        engine: AsyncEngine,
        rate: float,
        *,
        name: str = "telegram",
        clock: Callable[[], float] = time.time,
        late_tolerance: float = LATE_TOLERANCE,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
    ) -> None:
        super().__init__(rate, clock=clock, late_tolerance=late_tolerance, sleep=sleep)
        self._engine = engine
        self._name = name

    async def reserve(self) -> float:
        """Take the next free slot (its time, seconds since the epoch)."""
        for _ in range(3):
            now = self._clock()
            async with self._engine.begin() as connection:
                moved = await connection.execute(
                    update(SendPaceRow)
                    .where(SendPaceRow.name == self._name)
                    .values(
                        next_at=case(
                            (SendPaceRow.next_at > now, SendPaceRow.next_at),
                            else_=literal(now),
                        )
                        + self._interval
                    )
                    .returning(SendPaceRow.next_at)
                )
                next_at = moved.scalar_one_or_none()
                if next_at is not None:
                    return float(next_at) - self._interval
            try:  # the first send ever on this database
                async with self._engine.begin() as connection:
                    await connection.execute(
                        insert(SendPaceRow).values(name=self._name, next_at=now + self._interval)
                    )
                return now
            except IntegrityError:
                continue  # another process was first: take the next slot
        raise RuntimeError("send pace row could not be created")
