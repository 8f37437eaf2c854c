"""Sending the waiting list's messages: offers ("this time is free, book it") and "it is
gone" notices, from their rows, as reminders are sent (bot/services/reminders.py): claimed
with a lease (a crashed process's rows come back), through the notifier's rate-limited
sender (the shared SEND_RATE), never in quiet hours, never closer than BOOKING_LEAD.

They go one after another in the order the clients asked (the first to ask hears first).
"""

from __future__ import annotations

import logging
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta

from bot.domain import WaitOfferJob, WaitOfferKind, WaitOfferStatus, WishStatus
from bot.ports import Clock, Notifier, Outcome, SendResult, UnitOfWorkFactory
from bot.services.reminders import LEASE, _wait
from bot.slots import BookingPolicy

log = logging.getLogger("lotse.waitlist")

BATCH = 100


@dataclass
class WaitlistReport:
    offered: int = 0
    told_gone: int = 0
    deferred: int = 0  # quiet hours, or a passing refusal: later
    dropped: int = 0  # no longer needed (taken, wish over) or expired
    failed: int = 0


async def _finish(
    uow_factory: UnitOfWorkFactory,
    job: WaitOfferJob,
    status: WaitOfferStatus,
    at: datetime,
    *,
    due_at: datetime | None = None,
) -> bool:
    async with uow_factory() as uow:
        done = await uow.waitlist.finish(job.offer.id, job.claim_token, status, at, due_at=due_at)
        await uow.commit()
        return done


async def _still_wanted(uow_factory: UnitOfWorkFactory, job: WaitOfferJob, now: datetime) -> bool:
    """An offer goes out only while its wish waits and its time is free and far enough."""
    offer = job.offer
    if now >= offer.expires_at:
        return False
    async with uow_factory() as uow:
        wish = await uow.waitlist.get_wish(offer.wish_id)
        taken = await uow.appointments.booked_between(
            [offer.staff_id], offer.starts_at, offer.starts_at
        )
    return wish is not None and wish.status is WishStatus.WAITING and not taken


def _later(
    now: datetime, wait: timedelta, job: WaitOfferJob, policy: BookingPolicy
) -> datetime | None:
    """When to try again: after `wait`, out of quiet hours; None for an offer whose time
    would then be closer than BOOKING_LEAD (expired)."""
    again = now + wait
    if policy.quiet is not None and policy.quiet.contains(again):
        again = policy.quiet.ends_after(again)
    if job.offer.kind is WaitOfferKind.OFFER and again >= job.offer.expires_at:
        return None
    if job.offer.kind is WaitOfferKind.GONE and again >= job.offer.starts_at:
        return None
    return again


async def _handle(
    uow_factory: UnitOfWorkFactory,
    clock: Clock,
    sender: Notifier,
    policy: BookingPolicy,
    job: WaitOfferJob,
    report: WaitlistReport,
) -> None:
    now = clock.now()
    offer = job.offer
    is_offer = offer.kind is WaitOfferKind.OFFER
    if is_offer and not await _still_wanted(uow_factory, job, now):
        late = now >= offer.expires_at
        await _finish(
            uow_factory, job, WaitOfferStatus.EXPIRED if late else WaitOfferStatus.SKIPPED, now
        )
        report.dropped += 1
        return
    if policy.quiet is not None and policy.quiet.contains(now):
        again = _later(now, timedelta(0), job, policy)
        status = WaitOfferStatus.PENDING if again else WaitOfferStatus.EXPIRED
        await _finish(uow_factory, job, status, now, due_at=again)
        report.deferred += again is not None
        report.dropped += again is None
        return
    try:
        if is_offer:
            result = await sender.send_wait_offer(job)
        else:
            result = await sender.send_wait_gone(job)
    except Exception as exc:  # noqa: BLE001 - never lose a message to a surprise
        log.warning("waiting list send raised", extra={"error": type(exc).__name__})
        result = SendResult(Outcome.RETRY, retry_after=30)
    now = clock.now()
    if result.outcome is Outcome.SENT:
        await _finish(
            uow_factory, job, WaitOfferStatus.SENT if is_offer else WaitOfferStatus.GONE, now
        )
        if is_offer:
            report.offered += 1
        else:
            report.told_gone += 1
    elif result.outcome is Outcome.RETRY:
        again = _later(now, _wait(result, job.attempts), job, policy)
        status = WaitOfferStatus.PENDING if again else WaitOfferStatus.EXPIRED
        await _finish(uow_factory, job, status, now, due_at=again)
        report.deferred += again is not None
        report.dropped += again is None
    else:
        await _finish(uow_factory, job, WaitOfferStatus.FAILED, now)
        report.failed += 1


async def dispatch_waitlist(
    uow_factory: UnitOfWorkFactory,
    clock: Clock,
    sender: Notifier,
    policy: BookingPolicy,
    *,
    batch: int = BATCH,
    lease: timedelta = LEASE,
) -> WaitlistReport:
    """One tick: claim the due offers and notices, send them in the order asked, mark."""
    report = WaitlistReport()
    while True:
        token = str(uuid.uuid4())
        now = clock.now()
        async with uow_factory() as uow:
            claimed = await uow.waitlist.claim_due(now, now + lease, token, batch)
            await uow.commit()
        if not claimed:
            return report
        async with uow_factory() as uow:
            jobs = await uow.waitlist.jobs(claimed, token)
        for job in jobs:
            await _handle(uow_factory, clock, sender, policy, job, report)
        if len(claimed) < batch:
            return report
