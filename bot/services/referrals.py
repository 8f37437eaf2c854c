"""Referrals: sending an offer records one; after REFERRAL_FOLLOWUP the client is asked
once "Did you go?"; their answer goes to the case manager, and an offer that clients of
a site often could not use (not allowed, full) is flagged to the site's coordinator.

The question is a schedule row like a reminder (bot/services/reminders.py): claimed with
a lease in one UPDATE ... RETURNING, sent through the shared send rate, marked asked. The
batches are small and the lease long (a question is not urgent): a lease runs out only
when a process died, and then another one asks within FOLLOWUP_LEASE. Only a crash
between sending and marking may repeat a question. One question, never a second one:
unanswered stays unanswered.
"""

from __future__ import annotations

import logging
import uuid
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from enum import StrEnum

from bot.domain import Client, Offer, Staff, StaffRole
from bot.ports import Clock, Notifier, Outcome, SendResult, UnitOfWorkFactory
from bot.referrals import (
    FLAGGED_REASONS,
    FollowupJob,
    FollowupStatus,
    Referral,
    ReferralAnswer,
    ReferralFlag,
    ReferralReason,
)
from bot.reminder_schedule import QuietHours

log = logging.getLogger("lotse.referrals")

FOLLOWUP_LEASE = timedelta(minutes=10)
FOLLOWUP_BATCH = 20
#: A question refused for passing reasons (429, network) is tried again, out of quiet
#: hours, for this long after it was due; then it has expired.
GIVE_UP_AFTER = timedelta(days=7)
RETRY_CAP = timedelta(minutes=15)
#: Three answers "not allowed" (or "full") about one offer at one site within the window
#: flag it to the coordinator, once per window.
FLAG_AT = 3
FLAG_WINDOW = timedelta(days=90)
#: The agenda's "follow-ups": answers since the last look, else the latest few.
RECENT_ANSWERS = timedelta(days=30)
LATEST_FEW = 3


class Answered(StrEnum):
    STORED = "stored"
    ALREADY = "already"  # a second tap, or an earlier answer
    NOT_YOURS = "not_yours"  # a stale or forged button


@dataclass(frozen=True)
class AnswerResult:
    outcome: Answered
    referral: Referral | None = None
    #: A flag this answer raised, and the coordinators to tell.
    flag: ReferralFlag | None = None
    coordinators: list[Staff] = field(default_factory=list)


@dataclass
class FollowupReport:
    asked: int = 0
    skipped: int = 0
    retried: int = 0
    failed: int = 0
    expired: int = 0


def followup_due(sent_at: datetime, delay: timedelta, quiet: QuietHours) -> datetime | None:
    """When to ask: `delay` after sending, moved to the end of quiet hours if it falls in
    them; None when no follow-up is wanted (a delay of 0)."""
    if delay <= timedelta(0):
        return None
    due = sent_at + delay
    return quiet.ends_after(due) if quiet.contains(due) else due


async def record_referral(
    uow_factory: UnitOfWorkFactory,
    clock: Clock,
    quiet: QuietHours,
    *,
    delay: timedelta,
    staff: Staff,
    client: Client,
    offer: Offer,
) -> Referral:
    """The offer went to the client: a referral (client, offer, case manager, date), its
    follow-up planned unless the client switched such questions off; and the anonymous
    count of offers sent (statistics), in the same transaction."""
    assert client.id is not None
    now = clock.now()
    due = None if client.followups_off_at is not None else followup_due(now, delay, quiet)
    areas = [a.value for a in offer.life_areas]
    referral = Referral(
        id=None,
        client_id=client.id,
        offer_id=offer.id,
        staff_id=staff.id,
        site_id=client.site_id or staff.site_id,
        offer_title=offer.title,
        life_areas=";".join(areas),
        sent_at=now,
        status=FollowupStatus.PENDING if due else FollowupStatus.OFF,
        due_at=due,
    )
    async with uow_factory() as uow:
        referral = await uow.referrals.add(referral)
        await uow.privacy.record_offer_send(staff.site_id, areas, now)
        await uow.commit()
    return referral


def _wait(result: SendResult, refusals: int) -> timedelta:
    first = max(result.retry_after, 1.0)
    return min(timedelta(seconds=first * 2 ** min(max(refusals, 0), 20)), RETRY_CAP)


async def _finish(
    uow_factory: UnitOfWorkFactory,
    job: FollowupJob,
    status: FollowupStatus,
    at: datetime,
    due_at: datetime | None = None,
) -> None:
    assert job.referral.id is not None
    async with uow_factory() as uow:
        await uow.referrals.finish(job.referral.id, job.claim_token, status, at, due_at=due_at)
        await uow.commit()


async def _handle(
    uow_factory: UnitOfWorkFactory,
    clock: Clock,
    sender: Notifier,
    quiet: QuietHours,
    job: FollowupJob,
    report: FollowupReport,
) -> None:
    now = clock.now()
    if job.client.followups_off_at is not None or not job.client.has_consented:
        await _finish(uow_factory, job, FollowupStatus.SKIPPED, now)
        report.skipped += 1
        return
    if quiet.contains(now):  # never at night: at the end of the quiet hours
        await _finish(uow_factory, job, FollowupStatus.PENDING, now, quiet.ends_after(now))
        report.retried += 1
        return
    try:
        result = await sender.send_followup(job)
    except Exception as exc:  # noqa: BLE001 - never lose a question to a surprise
        log.warning("follow-up send raised", extra={"error": type(exc).__name__})
        result = SendResult(Outcome.RETRY, retry_after=30)
    now = clock.now()
    if result.outcome is Outcome.SENT:
        await _finish(uow_factory, job, FollowupStatus.ASKED, now)
        report.asked += 1
    elif result.outcome is Outcome.RETRY:
        again = now + _wait(result, job.attempts)
        if quiet.contains(again):
            again = quiet.ends_after(again)
        due = job.referral.due_at or job.referral.sent_at
        if again - due > GIVE_UP_AFTER:
            await _finish(uow_factory, job, FollowupStatus.EXPIRED, now)
            report.expired += 1
        else:
            await _finish(uow_factory, job, FollowupStatus.PENDING, now, again)
            report.retried += 1
    else:  # blocked, or refused for good: never asked
        await _finish(uow_factory, job, FollowupStatus.FAILED, now)
        report.failed += 1


async def dispatch_followups(
    uow_factory: UnitOfWorkFactory,
    clock: Clock,
    sender: Notifier,
    quiet: QuietHours,
    *,
    batch: int = FOLLOWUP_BATCH,
    lease: timedelta = FOLLOWUP_LEASE,
) -> FollowupReport:
    """One tick: claim the questions that are due, ask each, mark it asked."""
    report = FollowupReport()
    while True:
        token = str(uuid.uuid4())
        now = clock.now()
        async with uow_factory() as uow:
            claimed = await uow.referrals.claim_due(now, now + lease, token, batch)
            await uow.commit()
        if not claimed:
            return report
        async with uow_factory() as uow:
            jobs = await uow.referrals.jobs(claimed, token)
        for job in jobs:
            await _handle(uow_factory, clock, sender, quiet, job, report)
        if len(claimed) < batch:
            return report


async def answer_followup(
    uow_factory: UnitOfWorkFactory,
    clock: Clock,
    *,
    client_id: int,
    referral_id: int,
    answer: ReferralAnswer,
) -> AnswerResult:
    """The client's tap on the question; stored once."""
    async with uow_factory() as uow:
        stored = await uow.referrals.answer(referral_id, client_id, answer, clock.now())
        if stored is not None:
            await uow.commit()
            return AnswerResult(Answered.STORED, stored)
        existing = await uow.referrals.get(referral_id)
    if existing is None or existing.client_id != client_id or existing.answer is None:
        return AnswerResult(Answered.NOT_YOURS)
    return AnswerResult(Answered.ALREADY, existing)


async def give_reason(
    uow_factory: UnitOfWorkFactory,
    clock: Clock,
    *,
    client_id: int,
    referral_id: int,
    reason: ReferralReason,
) -> AnswerResult:
    """Why the client did not go; stored once. The third "not allowed" (or "full") about
    an offer at a site within FLAG_WINDOW raises a flag to the site's coordinators, once."""
    now = clock.now()
    async with uow_factory() as uow:
        stored = await uow.referrals.give_reason(referral_id, client_id, reason, now)
        if stored is None:
            existing = await uow.referrals.get(referral_id)
            if (
                existing is None
                or existing.client_id != client_id
                or existing.answer is not ReferralAnswer.NOT_WENT
            ):
                return AnswerResult(Answered.NOT_YOURS)
            return AnswerResult(Answered.ALREADY, existing)
        flag: ReferralFlag | None = None
        coordinators: list[Staff] = []
        offer_id, site_id = stored.offer_id, stored.site_id
        if reason in FLAGGED_REASONS and offer_id is not None and site_id is not None:
            since = now - FLAG_WINDOW
            count = await uow.referrals.count_reason(offer_id, site_id, reason, since)
            if count >= FLAG_AT and await uow.referrals.raise_flag(
                offer_id, site_id, reason, now, since
            ):
                flag = ReferralFlag(offer_id, site_id, reason, stored.offer_title, count, now)
                coordinators = [
                    s
                    for s in await uow.staff.active_of_site(site_id)
                    if s.role is StaffRole.COORDINATOR and s.telegram_user_id
                ]
        await uow.commit()
    if flag is not None:
        log.info("referral flag raised", extra={"offer": flag.offer_id, "reason": reason.value})
    return AnswerResult(Answered.STORED, stored, flag, coordinators)


async def switch_questions(
    uow_factory: UnitOfWorkFactory, clock: Clock, *, client_id: int, off: bool
) -> None:
    """ "I don't want these questions" (off), or on again (from /privacy)."""
    async with uow_factory() as uow:
        await uow.referrals.questions_off(client_id, clock.now() if off else None)
        await uow.commit()


async def referrals_of_client(
    uow_factory: UnitOfWorkFactory, *, client_id: int, limit: int = 5
) -> list[Referral]:
    """The latest offers sent to the client, with the answers (the client's entry)."""
    async with uow_factory() as uow:
        return await uow.referrals.of_client(client_id, limit)


async def followups_for_staff(
    uow_factory: UnitOfWorkFactory, clock: Clock, *, staff: Staff
) -> tuple[list[tuple[Referral, Client]], bool]:
    """The agenda's "follow-ups": answers the staff member has not seen yet (now seen),
    and True; or, when there are none, the latest few of the last 30 days, and False."""
    assert staff.id is not None
    now = clock.now()
    since = now - RECENT_ANSWERS
    async with uow_factory() as uow:
        new = await uow.referrals.answered_for_staff(
            staff.id, unseen_only=True, since=since, limit=20
        )
        if new:
            await uow.referrals.mark_seen([r.id for r, _ in new if r.id is not None], now)
            await uow.commit()
            return new, True
        latest = await uow.referrals.answered_for_staff(
            staff.id, unseen_only=False, since=since, limit=LATEST_FEW
        )
    return latest, False


async def offer_flags(
    uow_factory: UnitOfWorkFactory, clock: Clock, *, site_id: int
) -> list[ReferralFlag]:
    """Offers flagged at the site within the window (for the console's coordinator page)."""
    async with uow_factory() as uow:
        return await uow.referrals.flags(site_id, clock.now() - FLAG_WINDOW)
