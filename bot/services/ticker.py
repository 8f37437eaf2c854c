"""What one tick of the clock does: due reminders, referral follow-ups, answers sent later,
agendas, removals, retention, clean-ups.

The schedule lives in our tables; the scheduler (scheduler.py, next to main.py) only
calls `Ticker.tick` every TICK_SECONDS. Nothing here knows APScheduler or Telegram.
"""

from __future__ import annotations

import asyncio
import logging
from contextlib import suppress
from datetime import date, time, timedelta

from bot.ports import NO_METRICS, AnnouncementSender, Clock, Metrics, Notifier, UnitOfWorkFactory
from bot.services.announcement_sending import (
    dispatch_announcements,
    release_announcement_claims,
)
from bot.services.later import dispatch_later, release_later_claims
from bot.services.notes import remove_due_messages
from bot.services.offers import offers_to_review
from bot.services.privacy import RetentionRules, run_retention
from bot.services.referrals import dispatch_followups
from bot.services.relay import purge_texts
from bot.services.reminder_claims import new_owner, release_claims
from bot.services.reminders import BATCH, dispatch_due, send_agendas
from bot.services.updates import forget_old_updates
from bot.services.waitlist import offer_freed_times
from bot.services.waitlist_sending import dispatch_waitlist
from bot.slots import BookingPolicy
from bot.translation import TranslationService

log = logging.getLogger("lotse.jobs")

TICK_SECONDS = 15
#: Outbox batches of announcements per tick (about 20 s at 25 messages a second): the
#: rest goes at the next tick, so reminders and the other jobs never wait long.
ANNOUNCEMENT_ROUNDS = 5


class Ticker:
    def __init__(
        self,
        uow_factory: UnitOfWorkFactory,
        clock: Clock,
        sender: Notifier,
        policy: BookingPolicy,
        *,
        agenda_at: time,
        relay_retention: timedelta = timedelta(days=30),
        retention: RetentionRules | None = None,
        metrics: Metrics = NO_METRICS,
        batch: int = BATCH,
        announcer: AnnouncementSender | None = None,
        translation: TranslationService | None = None,
    ) -> None:
        self._uow_factory = uow_factory
        self._clock = clock
        self._sender = sender
        self._policy = policy
        self._agenda_at = agenda_at
        self._relay_retention = relay_retention
        self._retention = retention
        self._retention_day: date | None = None
        self._ticks = 0
        self._metrics = metrics
        self._batch = batch
        self._announcer = announcer
        self._translation = translation
        #: This process's mark in its reminder claims: what `stop` gives back.
        self.owner = new_owner()
        self._stopping = asyncio.Event()
        self._running: asyncio.Task[None] | None = None

    async def stop(self, grace: float) -> int:
        """Graceful stop (SIGTERM): no further send starts; the sends under way get
        `grace` seconds to finish and be marked; then every reminder this process still
        holds (reminders, announcements, answers sent later) is given back. How many were
        given back."""
        self._stopping.set()
        running = self._running
        if running is not None and not running.done():
            done, _ = await asyncio.wait({running}, timeout=grace)
            if not done:
                running.cancel()
                with suppress(asyncio.CancelledError, Exception):
                    await running
        released = await release_claims(self._uow_factory, self.owner)
        with suppress(Exception):  # else their lease runs out
            released += await release_announcement_claims(self._uow_factory, self.owner)
        with suppress(Exception):  # else their lease runs out
            released += await release_later_claims(self._uow_factory, self.owner)
        if released:
            log.info("reminder claims released", extra={"count": released})
        return released

    async def tick(self) -> None:
        """One round; each part guarded so one failure does not stop the others."""
        if self._stopping.is_set():
            return
        self._running = asyncio.current_task()
        try:
            await self._tick()
        finally:
            self._running = None

    async def _tick(self) -> None:
        self._ticks += 1
        try:
            report = await dispatch_due(
                self._uow_factory,
                self._clock,
                self._sender,
                self._policy,
                owner=self.owner,
                stopping=self._stopping,
                metrics=self._metrics,
                batch=self._batch,
            )
            if report.claimed:
                log.info(
                    "reminders dispatched",
                    extra={
                        "sent": report.sent,
                        "skipped": report.skipped,
                        "retried": report.retried,
                        "blocked": report.blocked,
                        "failed": report.failed,
                        "expired": report.expired,
                        "held": report.held,
                    },
                )
        except Exception as exc:  # noqa: BLE001 - try again at the next tick
            log.error("reminder tick failed", extra={"error": type(exc).__name__}, exc_info=exc)
        if self._stopping.is_set():
            return
        if self._announcer is not None:
            try:
                sent = await dispatch_announcements(
                    self._uow_factory,
                    self._clock,
                    self._announcer,
                    self._translation,
                    self._policy.quiet,
                    owner=self.owner,
                    stopping=self._stopping,
                    rounds=ANNOUNCEMENT_ROUNDS,
                )
                if sent.started or sent.sent or sent.blocked or sent.failed or sent.held:
                    log.info(
                        "announcements dispatched",
                        extra={
                            "started": sent.started,
                            "sent": sent.sent,
                            "blocked": sent.blocked,
                            "failed": sent.failed,
                            "retried": sent.retried,
                            "held": sent.held,
                        },
                    )
            except Exception as exc:  # noqa: BLE001 - try again at the next tick
                log.error("announcement tick failed", extra={"error": type(exc).__name__})
        if self._stopping.is_set():
            return
        try:
            assert self._policy.quiet is not None
            asked = await dispatch_followups(
                self._uow_factory, self._clock, self._sender, self._policy.quiet
            )
            if asked.asked or asked.failed or asked.expired:
                log.info(
                    "referral follow-ups dispatched",
                    extra={"asked": asked.asked, "failed": asked.failed, "expired": asked.expired},
                )
        except Exception as exc:  # noqa: BLE001 - try again at the next tick
            log.error("follow-up tick failed", extra={"error": type(exc).__name__})
        if self._stopping.is_set():
            return
        try:
            # Answers case managers kept for later (issue 23).
            later = await dispatch_later(
                self._uow_factory,
                self._clock,
                self._sender,
                self._policy,
                owner=self.owner,
                stopping=self._stopping,
                retention=self._relay_retention,
            )
            if later.any:
                log.info(
                    "answers sent later dispatched",
                    extra={
                        "sent": later.sent,
                        "deferred": later.deferred,
                        "failed": later.failed,
                        "held": later.held,
                    },
                )
        except Exception as exc:  # noqa: BLE001 - try again at the next tick
            log.error("later answers tick failed", extra={"error": type(exc).__name__})
        try:
            # Freed times become offers to those waiting, then go out like reminders.
            await offer_freed_times(self._uow_factory, self._clock, self._policy)
            waiting = await dispatch_waitlist(
                self._uow_factory, self._clock, self._sender, self._policy
            )
            if waiting.offered or waiting.told_gone:
                log.info(
                    "waiting list dispatched",
                    extra={"offered": waiting.offered, "told_gone": waiting.told_gone},
                )
        except Exception as exc:  # noqa: BLE001 - try again at the next tick
            log.error("waiting list tick failed", extra={"error": type(exc).__name__})
        try:
            await send_agendas(
                self._uow_factory, self._clock, self._sender, self._policy, at=self._agenda_at
            )
        except Exception as exc:  # noqa: BLE001
            log.error("agenda tick failed", extra={"error": type(exc).__name__}, exc_info=exc)
        try:
            await remove_due_messages(self._uow_factory, self._clock, self._sender)
        except Exception as exc:  # noqa: BLE001
            log.error("message removal failed", extra={"error": type(exc).__name__})
        today = self._clock.now().date()
        if self._retention is not None and self._retention_day != today:
            # Daily: inactive clients, audit entries, message ids past 48 hours. The day
            # counts as done only when the run got through (a database outage: next tick).
            try:
                applied = await run_retention(
                    self._uow_factory, self._clock, self._sender, self._retention
                )
                self._retention_day = today
                if applied.erased or applied.audit_purged:
                    log.info(
                        "retention applied",
                        extra={"erased": len(applied.erased), "audit_purged": applied.audit_purged},
                    )
            except Exception as exc:  # noqa: BLE001
                log.error("retention failed", extra={"error": type(exc).__name__})
        if self._ticks % 240 == 1:  # about hourly
            try:
                purged = await purge_texts(self._uow_factory, self._clock, self._relay_retention)
                if purged:
                    log.info("relayed texts purged", extra={"count": purged})
            except Exception as exc:  # noqa: BLE001
                log.error("relay purge failed", extra={"error": type(exc).__name__})
            try:
                await forget_old_updates(self._uow_factory, self._clock)
            except Exception as exc:  # noqa: BLE001
                log.error("cleanup failed", extra={"error": type(exc).__name__})
            try:
                for coordinator, offers in await offers_to_review(
                    self._uow_factory, self._clock, self._policy.zone
                ):
                    await self._sender.send_offer_review(coordinator, offers)
            except Exception as exc:  # noqa: BLE001
                log.error("offer review failed", extra={"error": type(exc).__name__})
