"""Reminders: planned in the booking's transaction, claimed with a lease, sent once.

- A claim holds for LEASE and is renewed every LEASE/3 while its batch sends (a
  heartbeat), so a dead dispatcher's rows come back within LEASE.
- A refused send (rate limit, network, 5xx) is rescheduled with backoff, without a cap on
  tries, until the appointment is too close (then `expired`). Only a permanent refusal
  (blocked, chat not found) ends a reminder early. Re-claims are not tries.
- When marking fails (the database is away), no further send of the batch starts; a
  "sent" mark is tried again until MARK_PATIENCE ends. Only a crash (or an outage longer
  than the lease) between sending and marking may repeat that one reminder.
"""

from __future__ import annotations

import asyncio
import logging
import time
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from datetime import time as daytime

from bot.domain import (
    Appointment,
    AppointmentStatus,
    ReminderJob,
    ReminderStatus,
)
from bot.ports import NO_METRICS, Clock, Metrics, Notifier, UnitOfWork, UnitOfWorkFactory
from bot.ports import Outcome as Outcome
from bot.ports import SendResult as SendResult
from bot.reminder_schedule import QuietHours, may_send, offset_kind, plan, retry_time
from bot.services.reminder_claims import claim_token, new_owner
from bot.slots import BookingPolicy, is_public_holiday

log = logging.getLogger("lotse.reminders")

LEASE = timedelta(seconds=30)
#: How long a "sent" mark is tried again while the database is away (the lease is
#: renewed from the last heartbeat, so a shorter outage repeats nothing).
MARK_PATIENCE = timedelta(minutes=2)
BATCH = 500
CONCURRENCY = 16
#: A passing refusal (429, network, 5xx) waits what Telegram asks (at least 1 s), doubled
#: with each further try up to RETRY_CAP. There is no cap on tries: a reminder goes on
#: until it is sent, or too close to the appointment to help (then it has expired).
RETRY_CAP = timedelta(minutes=15)


@dataclass
class DispatchReport:
    sent: int = 0
    skipped: int = 0
    retried: int = 0
    blocked: int = 0
    failed: int = 0
    lost_claims: int = 0
    held: int = 0  # not sent because a mark failed earlier in the batch
    expired: int = 0  # refused for passing reasons until too close to the appointment
    released: int = 0  # held back by a failed mark and given back at once
    claimed: list[int] = field(default_factory=list)

    def report_to(self, metrics: Metrics) -> None:
        """Due (claimed), sent, retried and failed (refused for good, blocked or expired)."""
        for event, count in (
            ("due", len(self.claimed)),
            ("sent", self.sent),
            ("retried", self.retried),
            ("failed", self.failed + self.blocked + self.expired),
        ):
            if count:
                metrics.reminders(event, count)


@dataclass
class _Batch:
    """One claim's shared state: its token, and whether sending must stop."""

    token: str
    mark_patience: float
    stop: asyncio.Event = field(default_factory=asyncio.Event)
    held: list[int] = field(default_factory=list)  # never started: safe to give back


async def plan_reminders(
    uow: UnitOfWork, appointment: Appointment, now: datetime, policy: BookingPolicy
) -> None:
    """Inside the booking's (or move's) transaction: one row per offset."""
    if not policy.reminder_offsets or policy.quiet is None or appointment.id is None:
        return
    entries = [
        (offset_kind(offset), plan(appointment.starts_at, offset, now=now, quiet=policy.quiet))
        for offset in policy.reminder_offsets
    ]
    await uow.reminders.schedule(appointment.id, entries, now)


async def _finish(
    uow_factory: UnitOfWorkFactory,
    job: ReminderJob,
    status: ReminderStatus,
    at: datetime,
    *,
    due_at: datetime | None = None,
) -> bool:
    async with uow_factory() as uow:
        done = await uow.reminders.finish(
            job.reminder_id, job.claim_token, status, at, due_at=due_at
        )
        await uow.commit()
        return done


async def _mark_unreachable(uow_factory: UnitOfWorkFactory, clock: Clock, client_id: int) -> bool:
    """True only the first time (so the case manager is told once)."""
    async with uow_factory() as uow:
        first = await uow.clients.mark_unreachable(client_id, clock.now())
        await uow.commit()
        return first


def _wait(result: SendResult, refusals: int) -> timedelta:
    """How long a passing refusal waits: Telegram's retry_after, doubled per earlier one."""
    first = max(result.retry_after, 1.0)
    doubled = first * 2 ** min(max(refusals, 0), 20)  # 2**20 s is past any cap
    return min(timedelta(seconds=doubled), RETRY_CAP)


async def _mark_sent(
    uow_factory: UnitOfWorkFactory, clock: Clock, job: ReminderJob, batch: _Batch
) -> bool:
    """Mark a sent reminder, trying again while the database is away (nothing else of the
    batch starts meanwhile): an unmarked one would go out a second time."""
    deadline = time.monotonic() + batch.mark_patience
    pause = 0.25
    while True:
        try:
            return await _finish(uow_factory, job, ReminderStatus.SENT, clock.now())
        except Exception as exc:
            batch.stop.set()
            if time.monotonic() + pause > deadline:
                raise
            log.warning("reminder mark failed, trying again", extra={"error": type(exc).__name__})
            await asyncio.sleep(pause)
            pause = min(pause * 2, 5.0)


async def _handle(
    uow_factory: UnitOfWorkFactory,
    clock: Clock,
    sender: Notifier,
    quiet: QuietHours,
    job: ReminderJob,
    batch: _Batch,
    report: DispatchReport,
) -> None:
    now = clock.now()
    appointment = job.appointment
    if appointment.status is not AppointmentStatus.BOOKED or not may_send(
        now, appointment.starts_at, quiet
    ):
        # Cancelled, over, or only possible in quiet hours: never late at night.
        await _finish(uow_factory, job, ReminderStatus.SKIPPED, now)
        report.skipped += 1
        return
    try:
        result = await sender.send_reminder(job)
    except Exception as exc:  # noqa: BLE001 - never lose a reminder to a surprise
        log.warning("reminder send raised", extra={"error": type(exc).__name__})
        result = SendResult(Outcome.RETRY, retry_after=30)
    now = clock.now()
    if result.outcome is Outcome.SENT:
        if not await _mark_sent(uow_factory, clock, job, batch):
            report.lost_claims += 1  # cancelled while sending; it went out once all the same
        report.sent += 1
    elif result.outcome is Outcome.RETRY:
        again = retry_time(now, appointment.starts_at, _wait(result, job.attempts), quiet)
        if again is None:
            await _finish(uow_factory, job, ReminderStatus.EXPIRED, now)
            report.expired += 1
            log.warning(
                "reminder expired", extra={"reminder": job.reminder_id, "attempts": job.attempts}
            )
        else:
            await _finish(uow_factory, job, ReminderStatus.PENDING, now, due_at=again)
            report.retried += 1
    elif result.outcome is Outcome.BLOCKED:
        await _finish(uow_factory, job, ReminderStatus.FAILED, now)
        report.blocked += 1
        if job.client.id is not None and await _mark_unreachable(uow_factory, clock, job.client.id):
            await sender.tell_unreachable(job.staff, job.client)
    else:
        await _finish(uow_factory, job, ReminderStatus.FAILED, now)
        report.failed += 1


async def _heartbeat(
    uow_factory: UnitOfWorkFactory, clock: Clock, batch: _Batch, lease: timedelta
) -> None:
    """Renew the batch's claim every lease/3 while it sends. When renewing fails (the
    database is away), no further send starts: the claim may run out meanwhile."""
    while not batch.stop.is_set():
        await asyncio.sleep(lease.total_seconds() / 3)
        try:
            async with uow_factory() as uow:
                await uow.reminders.renew(batch.token, clock.now() + lease)
                await uow.commit()
        except Exception as exc:  # noqa: BLE001 - stop sending; the tick reports it
            log.warning("reminder lease not renewed", extra={"error": type(exc).__name__})
            batch.stop.set()


async def _release(
    uow_factory: UnitOfWorkFactory, clock: Clock, batch: _Batch, report: DispatchReport
) -> None:
    """Give back at once what a stopped batch never started (best effort: else its lease
    ends). A row whose send started stays claimed: it may have gone out."""
    try:
        async with uow_factory() as uow:
            report.released += await uow.reminders.release(batch.token, batch.held)
            await uow.commit()
    except Exception as exc:  # noqa: BLE001 - the lease runs out instead
        log.info("held reminders not released", extra={"error": type(exc).__name__})


async def dispatch_due(
    uow_factory: UnitOfWorkFactory,
    clock: Clock,
    sender: Notifier,
    policy: BookingPolicy,
    *,
    batch: int = BATCH,
    lease: timedelta = LEASE,
    concurrency: int = CONCURRENCY,
    mark_patience: timedelta = MARK_PATIENCE,
    owner: str | None = None,
    stopping: asyncio.Event | None = None,
    metrics: Metrics = NO_METRICS,
) -> DispatchReport:
    """One tick: claim what is due (and expired leases), send through the sender, mark.
    Once `stopping` is set, no further send starts and nothing more is claimed."""
    report = DispatchReport()
    try:
        return await _dispatch(
            uow_factory,
            clock,
            sender,
            policy,
            report,
            batch=batch,
            lease=lease,
            concurrency=concurrency,
            mark_patience=mark_patience,
            owner=owner or new_owner(),
            stopping=stopping or asyncio.Event(),
            metrics=metrics,
        )
    finally:
        report.report_to(metrics)


async def _dispatch(
    uow_factory: UnitOfWorkFactory,
    clock: Clock,
    sender: Notifier,
    policy: BookingPolicy,
    report: DispatchReport,
    *,
    batch: int,
    lease: timedelta,
    concurrency: int,
    mark_patience: timedelta,
    owner: str,
    stopping: asyncio.Event,
    metrics: Metrics,
) -> DispatchReport:
    quiet = policy.quiet
    assert quiet is not None
    while not stopping.is_set():
        claim = _Batch(token=claim_token(owner), mark_patience=mark_patience.total_seconds())
        now = clock.now()
        async with uow_factory() as uow:
            claimed = await uow.reminders.claim_due(now, now + lease, claim.token, batch)
            await uow.commit()
        if not claimed:
            return report
        log.info("reminders claimed", extra={"count": len(claimed)})
        report.claimed += claimed
        async with uow_factory() as uow:
            jobs = await uow.reminders.jobs(claimed, claim.token)
        for job in jobs:
            if job.due_at is not None:
                metrics.claim_lag(max((now - job.due_at).total_seconds(), 0.0))
        gate = asyncio.Semaphore(concurrency)

        async def run(
            job: ReminderJob, gate: asyncio.Semaphore = gate, claim: _Batch = claim
        ) -> None:
            async with gate:
                if claim.stop.is_set() or stopping.is_set():
                    report.held += 1  # still claimed: released below, or its lease ends
                    claim.held.append(job.reminder_id)
                    return
                try:
                    await _handle(uow_factory, clock, sender, quiet, job, claim, report)
                except Exception:
                    # A mark failed for good (the database is away): nothing else of this
                    # batch goes out now.
                    claim.stop.set()
                    raise

        heartbeat = asyncio.create_task(_heartbeat(uow_factory, clock, claim, lease))
        try:
            results = await asyncio.gather(*(run(job) for job in jobs), return_exceptions=True)
        finally:
            heartbeat.cancel()
        if claim.held:
            await _release(uow_factory, clock, claim, report)
        failed = [r for r in results if isinstance(r, BaseException)]
        if failed:
            raise failed[0]
        if claim.stop.is_set():
            return report  # the lease could not be renewed: next tick
        if len(claimed) < batch:
            return report
    return report


async def confirm_attendance(
    uow_factory: UnitOfWorkFactory, clock: Clock, *, appointment_id: int, client_id: int
) -> bool:
    """'I'll come' on a reminder. False if not this client's booked appointment."""
    async with uow_factory() as uow:
        appointment = await uow.appointments.get(appointment_id)
        if appointment is None or appointment.client_id != client_id:
            return False
        done = await uow.appointments.confirm(appointment_id, clock.now())
        await uow.commit()
        return done


async def send_agendas(
    uow_factory: UnitOfWorkFactory,
    clock: Clock,
    sender: Notifier,
    policy: BookingPolicy,
    *,
    at: daytime,
) -> int:
    """Each case manager's day, once, at `at` local time on their working days."""
    now = clock.now()
    local = now.astimezone(policy.zone)
    if local.time() < at or is_public_holiday(local.date()):
        return 0
    day_start = datetime.combine(local.date(), daytime(0), tzinfo=policy.zone)
    sent = 0
    async with uow_factory() as uow:
        people = [s for s in await uow.staff.all_active() if s.telegram_user_id and s.id]
    for person in people:
        assert person.id is not None
        async with uow_factory() as uow:
            hours = await uow.hours.for_staff([person.id])
            off = await uow.days_off.for_staff([person.id], local.date(), local.date())
            if off or not any(h.weekday == local.weekday() for h in hours):
                continue
            if not await uow.digests.claim(person.id, local.date(), now):
                continue
            appointments = await uow.appointments.upcoming_for_staff(
                person.id, day_start, day_start + timedelta(days=1)
            )
            entries = []
            for appointment in appointments:
                client = await uow.clients.get(appointment.client_id)
                if client is not None:
                    entries.append((appointment, client))
            await uow.commit()
        result = await sender.send_agenda(person, entries, day_start)
        sent += result.outcome is Outcome.SENT
    return sent
