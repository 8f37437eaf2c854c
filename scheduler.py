"""The ticking clock: an APScheduler interval job that runs the due work.

Wiring, not Telegram code: it lives next to main.py. What a tick does is
bot.services.ticker.Ticker.tick.
"""

from __future__ import annotations

from datetime import UTC, datetime

from apscheduler.schedulers.asyncio import AsyncIOScheduler
from apscheduler.triggers.interval import IntervalTrigger

from bot.services.ticker import TICK_SECONDS, Ticker


def start_scheduler(ticker: Ticker, *, seconds: float = TICK_SECONDS) -> AsyncIOScheduler:
    """Tick every `seconds`, the first time right away (due reminders go out after a restart)."""
    scheduler = AsyncIOScheduler(timezone="UTC")
    scheduler.add_job(
        ticker.tick,
        IntervalTrigger(seconds=seconds),
        id="tick",
        max_instances=1,
        coalesce=True,
        next_run_time=datetime.now(UTC),
    )
    scheduler.start()
    return scheduler
