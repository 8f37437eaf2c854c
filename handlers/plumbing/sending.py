"""The rate-limited way out for every bulk send (reminders, agendas, notices).

- Overall: a limiter of capacity 1 refilled at SEND_RATE per second (aiolimiter's
  leaky bucket), so no second ever holds more than SEND_RATE messages: no bursts.
- Per chat: at least one second between two messages to the same chat.
- Errors are not swallowed here: callers map TelegramRetryAfter (reschedule) and
  TelegramForbiddenError (blocked) to what they mean for their message.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Awaitable, Callable
from typing import TypeVar

from aiolimiter import AsyncLimiter

T = TypeVar("T")
_MAX_TRACKED_CHATS = 50_000


class RateLimitedSender:
    def __init__(self, rate: float, *, per_chat_interval: float = 1.0) -> None:
        self.rate = rate
        self._overall = AsyncLimiter(1, 1.0 / rate)
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
            async with self._overall:
                return await call()
        async with self._chat(chat_id):
            async with self._overall:
                return await call()
