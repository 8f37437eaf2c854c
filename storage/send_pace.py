"""One send rate for every process on this database (bot.ports.SendPace).

A single row holds when the next message may go out (seconds since the epoch). Each send
moves it on by 1/rate in one UPDATE ... RETURNING and waits for its own slot: the
"generic cell rate algorithm" with a burst of one. PostgreSQL locks the row for the
statement, SQLite takes its write lock, so two processes never get the same slot and no
second holds more than `rate` sends, however many processes there are.

Written here rather than taken from a library: the limiters that keep their state in a
database (pyrate-limiter's buckets) bring their own driver (psycopg, sqlite3) beside
SQLAlchemy's and store one row per send; this is one statement on the engine we have.
The production issue's Redis limiter takes its place where REDIS_URL is set.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable

from sqlalchemy import case, insert, literal, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncEngine

from storage.models import SendPaceRow


class DatabasePace:
    def __init__(
        self,
        engine: AsyncEngine,
        rate: float,
        *,
        name: str = "telegram",
        clock: Callable[[], float] = time.time,
    ) -> None:
        if rate <= 0:
            raise ValueError("rate must be positive")
        self._engine = engine
        self._interval = 1.0 / rate
        self._name = name
        self._clock = clock

    async def acquire(self) -> None:
        """Wait for this process's next slot of the shared rate."""
        delay = await self.reserve() - self._clock()
        if delay > 0:
            await asyncio.sleep(delay)

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
