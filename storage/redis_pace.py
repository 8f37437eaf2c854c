"""One send rate for every process sharing a Redis (bot.ports.SendPace), REDIS_URL set.

The same contract as storage/send_pace.py's DatabasePace (the tests run over both): one
key holds when the next message may go out; each send moves it on by 1/rate and waits
for its own slot (GCRA with a burst of one), and a send that wakes up late gives its
slot up for the next free one (SlotPace).

A short Lua script rather than a library: `limits` (5.8) keeps fixed and moving windows
in Redis and answers "allowed now?" only. A window lets the whole second's budget go out
in its first millisecond, and a caller refused would poll; Telegram counts per second
and punishes bursts with 429s. The script hands out the slot itself, in one atomic
step, with no polling. Times are whole microseconds (exact in Lua's doubles).
"""

from __future__ import annotations

import asyncio
import math
import time
from collections.abc import Awaitable, Callable

from redis.asyncio import Redis

from storage.send_pace import LATE_TOLERANCE, SlotPace

#: KEYS[1] the pace; ARGV[1] now (µs), ARGV[2] the interval (µs). Returns the slot (µs).
#: The key outlives its slot by a minute: an idle pace starts at "now" anyway.
_RESERVE = """
local now = tonumber(ARGV[1])
local interval = tonumber(ARGV[2])
local next_at = tonumber(redis.call('GET', KEYS[1]) or '0')
local slot = math.max(now, next_at)
local keep_ms = math.floor((slot + interval - now) / 1000) + 60000
redis.call('SET', KEYS[1], string.format('%.0f', slot + interval), 'PX', keep_ms)
return string.format('%.0f', slot)
"""


class RedisPace(SlotPace):
    def __init__(
        self,
        redis: Redis,
        rate: float,
        *,
        name: str = "telegram",
        prefix: str = "lotse",
        clock: Callable[[], float] = time.time,
        late_tolerance: float = LATE_TOLERANCE,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
    ) -> None:
        super().__init__(rate, clock=clock, late_tolerance=late_tolerance, sleep=sleep)
        self._key = f"{prefix}:pace:{name}"
        # Rounded up: never a microsecond closer than 1/rate.
        self._interval_us = math.ceil(1_000_000 / rate)
        self._script = redis.register_script(_RESERVE)

    @property
    def key(self) -> str:
        return self._key

    async def reserve(self) -> float:
        now_us = int(self._clock() * 1_000_000)
        slot = await self._script(keys=[self._key], args=[now_us, self._interval_us])
        return int(slot) / 1_000_000
