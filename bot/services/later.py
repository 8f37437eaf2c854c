"""Answers sent later (issue 23, item 3): scheduling, the pending list, cancelling, and
the ticker's part, which sends due answers as waiting-list offers are sent
(bot/services/waitlist_sending.py): claimed with a lease (a crashed process's rows come
back), through the notifier's rate-limited sender, never in quiet hours, each once.

A batch's claim is renewed while it sends (a heartbeat, as for reminders); when renewal
fails, no further send starts. Claims carry the process's owner mark, so a stopping
ticker gives them back; once `stopping` is set, no further send starts.

Nothing here logs a text: only counts and error class names.
"""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass
from datetime import datetime, timedelta

from bot.domain import Client, Staff
from bot.later import (
    LaterAnswer,
    LaterJob,
    LaterStatus,
    next_hours_start,
    out_of_quiet,
    tomorrow_morning,
)
from bot.ports import Clock, Notifier, Outcome, SendResult, UnitOfWorkFactory
from bot.ready_replies import ReadyReply
from bot.services.notes import audit
from bot.services.ready_replies import find
from bot.services.relay import client_of_site
from bot.services.reminder_claims import claim_token, new_owner
from bot.services.reminders import LEASE, _wait
from bot.slots import BookingPolicy

log = logging.getLogger("lotse.later")

BATCH = 100


@dataclass(frozen=True)
class LaterChoices:
    """The moments offered on the "send later" buttons (already out of quiet hours)."""

    tomorrow: datetime
    next_hours: datetime | None  # None: no working hours within two weeks


async def choices(
    uow_factory: UnitOfWorkFactory, clock: Clock, policy: BookingPolicy, *, staff: Staff
) -> LaterChoices:
    now = clock.now()
    async with uow_factory() as uow:
        hours = await uow.hours.for_staff([staff.id or 0])
        today = now.astimezone(policy.zone).date()
        days_off = await uow.days_off.for_staff([staff.id or 0], today, today + timedelta(days=15))
    start = next_hours_start(hours, {d.day for d in days_off}, now, policy.zone)
    return LaterChoices(
        tomorrow=out_of_quiet(tomorrow_morning(now, policy.zone), policy.quiet),
        next_hours=out_of_quiet(start, policy.quiet) if start is not None else None,
    )


async def schedule(
    uow_factory: UnitOfWorkFactory,
    clock: Clock,
    policy: BookingPolicy,
    *,
    staff: Staff,
    client_id: int,
    due_at: datetime,
    text: str | None = None,
    reply_key: str | None = None,
    values: dict[str, str] | None = None,
) -> tuple[Client, LaterAnswer]:
    """Keep an answer to the client for `due_at` (moved out of quiet hours)."""
    client = await client_of_site(uow_factory, staff=staff, client_id=client_id)
    answer = LaterAnswer(
        id=None,
        staff_id=staff.id or 0,
        client_id=client.id or 0,
        due_at=out_of_quiet(max(due_at, clock.now()), policy.quiet),
        text=text,
        reply_key=reply_key,
        values=dict(values or {}),
    )
    async with uow_factory() as uow:
        stored = await uow.later.add(answer, clock.now())
        await audit(uow, clock, staff, "client.message_later", client_id=client.id)
        await uow.commit()
    return client, stored


async def pending(
    uow_factory: UnitOfWorkFactory, *, staff: Staff
) -> list[tuple[LaterAnswer, Client | None, ReadyReply | None]]:
    """The staff member's answers still waiting, the soonest first, each with its client
    and its ready reply (None for a typed one)."""
    async with uow_factory() as uow:
        answers = await uow.later.pending_of_staff(staff.id or 0)
        clients = [await uow.clients.get(answer.client_id) for answer in answers]
    found = []
    for answer, client in zip(answers, clients, strict=True):
        reply = None
        if answer.reply_key is not None:
            reply = await find(uow_factory, site_id=staff.site_id, key=answer.reply_key)
        found.append((answer, client, reply))
    return found


async def cancel(
    uow_factory: UnitOfWorkFactory, clock: Clock, *, staff: Staff, answer_id: int
) -> bool:
    """Cancel one of the staff member's pending answers; False when it is too late."""
    async with uow_factory() as uow:
        done = await uow.later.cancel(answer_id, staff.id or 0, clock.now())
        await uow.commit()
    return done


@dataclass
class LaterReport:
    sent: int = 0
    deferred: int = 0  # quiet hours, or a passing refusal: later
    failed: int = 0  # blocked or refused for good
    held: int = 0  # not started (stopping, or the claim was lost): given back

    @property
    def any(self) -> bool:
        return bool(self.sent or self.deferred or self.failed or self.held)


async def _finish(
    uow_factory: UnitOfWorkFactory,
    job: LaterJob,
    status: LaterStatus,
    at: datetime,
    *,
    due_at: datetime | None = None,
) -> None:
    async with uow_factory() as uow:
        await uow.later.finish(job.answer.id or 0, job.claim_token, status, at, due_at=due_at)
        await uow.commit()


async def _record(
    uow_factory: UnitOfWorkFactory, job: LaterJob, at: datetime, retention: timedelta
) -> None:
    """The sent answer joins the relay's record, as an answer sent at once does."""
    async with uow_factory() as uow:
        await uow.relay.add(
            client_id=job.client.id or 0,
            staff_id=job.staff.id,
            direction="out",
            at=at,
            text=job.answer.text if retention > timedelta(0) else None,
        )
        await uow.commit()


async def _handle(
    uow_factory: UnitOfWorkFactory,
    clock: Clock,
    sender: Notifier,
    policy: BookingPolicy,
    job: LaterJob,
    report: LaterReport,
    retention: timedelta,
) -> None:
    now = clock.now()
    if policy.quiet is not None and policy.quiet.contains(now):
        again = out_of_quiet(now, policy.quiet)
        await _finish(uow_factory, job, LaterStatus.PENDING, now, due_at=again)
        report.deferred += 1
        return
    try:
        result = await sender.send_later(job)
    except Exception as exc:  # noqa: BLE001 - never lose an answer to a surprise
        log.warning("answer send raised", extra={"error": type(exc).__name__})
        result = SendResult(Outcome.RETRY, retry_after=30)
    now = clock.now()
    if result.outcome is Outcome.SENT:
        await _finish(uow_factory, job, LaterStatus.SENT, now)
        await _record(uow_factory, job, now, retention)
        report.sent += 1
    elif result.outcome is Outcome.RETRY:
        again = out_of_quiet(now + _wait(result, job.attempts), policy.quiet)
        await _finish(uow_factory, job, LaterStatus.PENDING, now, due_at=again)
        report.deferred += 1
    else:
        await _finish(uow_factory, job, LaterStatus.FAILED, now)
        report.failed += 1
        if result.outcome is Outcome.BLOCKED:  # the author learns the client is gone
            await sender.tell_unreachable(job.staff, job.client)


async def _heartbeat(
    uow_factory: UnitOfWorkFactory,
    clock: Clock,
    token: str,
    lease: timedelta,
    lost: asyncio.Event,
) -> None:
    """Renew the batch's claim every lease/3 while it sends. When renewing fails, or the
    claim holds nothing any more (another process took it), no further send starts."""
    while not lost.is_set():
        await asyncio.sleep(lease.total_seconds() / 3)
        try:
            async with uow_factory() as uow:
                held = await uow.later.renew(token, clock.now() + lease)
                await uow.commit()
        except Exception as exc:  # noqa: BLE001 - stop sending; the lease runs out
            log.warning("later answer lease not renewed", extra={"error": type(exc).__name__})
            lost.set()
            continue
        if not held:
            lost.set()


async def _release(uow_factory: UnitOfWorkFactory, token: str, held: list[int]) -> int:
    """Give back at once what the batch never started (best effort: else its lease ends)."""
    try:
        async with uow_factory() as uow:
            released = await uow.later.release(token, held)
            await uow.commit()
            return released
    except Exception as exc:  # noqa: BLE001 - the lease runs out instead
        log.info("held later answers not released", extra={"error": type(exc).__name__})
        return 0


async def dispatch_later(
    uow_factory: UnitOfWorkFactory,
    clock: Clock,
    sender: Notifier,
    policy: BookingPolicy,
    *,
    owner: str | None = None,
    stopping: asyncio.Event | None = None,
    retention: timedelta = timedelta(days=30),
    batch: int = BATCH,
    lease: timedelta = LEASE,
) -> LaterReport:
    """One tick: claim the due answers, send them the soonest first, mark each. The claim
    is renewed while the batch sends; once `stopping` is set or the claim is lost, no
    further send starts and what was not started is given back."""
    report = LaterReport()
    owner = owner or new_owner()
    stopping = stopping or asyncio.Event()
    while not stopping.is_set():
        token = claim_token(owner)
        now = clock.now()
        async with uow_factory() as uow:
            claimed = await uow.later.claim_due(now, now + lease, token, batch)
            await uow.commit()
        if not claimed:
            return report
        async with uow_factory() as uow:
            jobs = await uow.later.jobs(claimed, token)
        lost = asyncio.Event()
        held: list[int] = []
        heartbeat = asyncio.create_task(_heartbeat(uow_factory, clock, token, lease, lost))
        try:
            for job in jobs:
                if stopping.is_set() or lost.is_set():
                    held.append(job.answer.id or 0)
                    continue
                await _handle(uow_factory, clock, sender, policy, job, report, retention)
        finally:
            heartbeat.cancel()
        if held:
            report.held += len(held)
            await _release(uow_factory, token, held)
        if lost.is_set() or len(claimed) < batch:
            return report
    return report


async def release_later_claims(uow_factory: UnitOfWorkFactory, owner: str) -> int:
    """A stopping process gives back the answers it holds (another process sends them)."""
    async with uow_factory() as uow:
        released = await uow.later.release_owner(owner)
        await uow.commit()
    return released
