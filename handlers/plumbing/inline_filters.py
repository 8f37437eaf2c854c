"""Plain filters checked on the event loop, not in a worker thread.

aiogram awaits a filter that is not a coroutine function in a worker thread
(`asyncio.to_thread`), since it might block. Lotse's plain filters are magic filters
(`F.chat.type == "private"`, `~F.text.startswith("/")`): a check of a few attributes,
done in microseconds, which there cost a thread round trip and a wait for the next turn
of the event loop. A message passes the root filters of a dozen routers before its
handler; under load (benchmarks/updates.py, 10 clients at a time) a /start waited
55–120 ms for these turns before its handler ran.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

from aiogram import Router
from aiogram.dispatcher.event.handler import FilterObject


def _filters(router: Router) -> Iterator[FilterObject]:
    for each in router.chain_tail:
        for observer in each.observers.values():
            yield from observer._handler.filters or []  # the observer's own .filter(...)
            for handler in observer.handlers:
                yield from handler.filters or []


def _awaitable(check: Callable[..., Any]) -> Callable[..., Any]:
    async def inline(*args: Any, **kwargs: Any) -> Any:
        return check(*args, **kwargs)

    return inline


def check_filters_inline(router: Router) -> int:
    """Make every plain filter of `router` and its sub-routers a coroutine that runs the
    same check inline; returns how many were changed. Call after all routers are
    included (the arguments a filter receives do not change)."""
    changed = 0
    for filter_object in _filters(router):
        if not filter_object.awaitable:
            filter_object.callback = _awaitable(filter_object.callback)
            filter_object.awaitable = True
            changed += 1
    return changed


def plain_filters_left(router: Router) -> list[FilterObject]:
    """Filters aiogram would still run in a thread (for tests)."""
    return [f for f in _filters(router) if not f.awaitable]
