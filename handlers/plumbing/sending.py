"""The rate-limited way out for every bulk send (reminders, agendas, notices).

- Overall: SEND_RATE per second for all processes together, no bursts: the shared pace
  on the database (storage/send_pace.py) where the bot runs; in a process of its own
  (tests, benchmarks) a limiter of capacity 1 refilled at SEND_RATE per second
  (aiolimiter's leaky bucket).
- Per chat: at least one second between two messages to the same chat (in this process:
  another process rarely writes to the same chat at the same second).
- Errors are not swallowed here: callers map TelegramRetryAfter (reschedule) and
  TelegramForbiddenError (blocked) to what they mean for their message.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Awaitable, Callable
from typing import TypeVar

from aiolimiter import AsyncLimiter

from bot.ports import SendPace

T = TypeVar("T")
_MAX_TRACKED_CHATS = 50_000


class RateLimitedSender:
    def __init__(
        self, rate: float, *, per_chat_interval: float = 1.0, pace: SendPace | None = None
    ) -> None:
        self.rate = rate
        self._overall: SendPace = pace or AsyncLimiter(1, 1.0 / rate)
        self._per_chat_interval = per_chat_interval
        self._chats: OrderedDict[int, AsyncLimiter] = OrderedDict()

    def _chat(self, chat_id: int) -> AsyncLimiter:
        limiter = self._chats.get(chat_id)
        if limiter is None:
            limiter = AsyncLimiter(1, self._per_chat_interval)
            self._chats[chat_id] = limiter
            if len(self._chats) > _MAX_TRACKED_CHATS:
                self._chats.popitem(last=False)
        else:
            self._chats.move_to_end(chat_id)
        return limiter

    async def send(self, chat_id: int, call: Callable[[], Awaitable[T]]) -> T:
        if self._per_chat_interval <= 0:
            await self._overall.acquire()
            return await call()
        async with self._chat(chat_id):
            await self._overall.acquire()
            return await call()
