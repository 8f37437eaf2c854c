"""Sending announcements (issue 23) from their outbox, as reminders are sent
(bot/services/reminders.py).

- Starting: a due announcement becomes `sending` and its outbox (one row per recipient,
  unique per client) is written in the same transaction: a restart adds nobody twice.
- Sending: claimed in batches with a lease (a dead process's rows come back), through the
  shared rate-limited sender, marked after each send; never inside quiet hours (what is
  due waits for their end). Only a crash between a send and its mark may repeat one.
- Each language's text: a person's translation when one is given; else the machine's,
  made once per language and kept (encrypted) with the announcement; when that fails,
  the original goes out with a note.
"""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from bot.announcements import (
    Announcement,
    AnnouncementMessage,
    AnnouncementStatus,
    DeliveryJob,
    DeliveryStatus,
)
from bot.ports import AnnouncementSender, Clock, Outcome, SendResult, UnitOfWorkFactory
from bot.reminder_schedule import QuietHours
from bot.services.reminder_claims import claim_token, new_owner
from bot.services.reminders import LEASE, _wait
from bot.translation import Outcome as TranslationOutcome
from bot.translation import Translation, TranslationService

log = logging.getLogger("lotse.announcements")

BATCH = 100
CONCURRENCY = 8
BUSY_TRIES = 20
BUSY_PAUSE = 0.5


@dataclass
class AnnouncementReport:
    started: int = 0
    sent: int = 0
    blocked: int = 0
    failed: int = 0
    retried: int = 0
    held: int = 0  # quiet hours began, or the process is stopping: given back
    done: list[int] = field(default_factory=list)


class _Texts:
    """Each language's text of the announcements being sent, made once (per process; the
    machine's is kept in the database, so another process or a restart reuses it)."""

    def __init__(
        self, uow_factory: UnitOfWorkFactory, translation: TranslationService | None
    ) -> None:
        self._uow_factory = uow_factory
        self._translation = translation
        self._announcements: dict[int, Announcement | None] = {}
        self._messages: dict[tuple[int, str], AnnouncementMessage] = {}
        self._locks: dict[tuple[int, str], asyncio.Lock] = {}
        self._one_at_a_time = asyncio.Lock()

    async def announcement(self, announcement_id: int) -> Announcement | None:
        if announcement_id not in self._announcements:
            async with self._uow_factory() as uow:
                self._announcements[announcement_id] = await uow.announcements.get(announcement_id)
        return self._announcements[announcement_id]

    async def message(self, announcement: Announcement, locale: str) -> AnnouncementMessage:
        assert announcement.id is not None
        key = (announcement.id, locale)
        lock = self._locks.setdefault(key, asyncio.Lock())
        async with lock:  # one translation per language, however many clients wait
            if key not in self._messages:
                self._messages[key] = await self._make(announcement, locale)
            return self._messages[key]

    async def _translate(self, text: str, source: str, target: str) -> Translation:
        """One call at a time from here (the pool stays free for relayed messages); when
        every worker is busy, wait a little: an announcement is not urgent."""
        assert self._translation is not None
        async with self._one_at_a_time:
            for _ in range(BUSY_TRIES):
                result = await self._translation.translate(text, source, target)
                if result.outcome is not TranslationOutcome.BUSY:
                    return result
                await asyncio.sleep(BUSY_PAUSE)
        return result

    async def _make(self, announcement: Announcement, locale: str) -> AnnouncementMessage:
        original = announcement.text
        if locale in announcement.human:
            return AnnouncementMessage(announcement.human[locale], original)
        if locale == announcement.source_locale:
            return AnnouncementMessage(original, original)
        assert announcement.id is not None
        async with self._uow_factory() as uow:
            kept = await uow.announcements.machine_text(announcement.id, locale)
        if kept is not None:
            return AnnouncementMessage(kept, original, machine=True)
        if self._translation is None:
            return AnnouncementMessage(original, original, untranslated=True)
        result = await self._translate(original, announcement.source_locale, locale)
        if not result.ok or result.text is None:
            log.info(
                "announcement not translated",
                extra={"locale": locale, "outcome": result.outcome.value},
            )
            return AnnouncementMessage(original, original, untranslated=True)
        try:
            async with self._uow_factory() as uow:
                await uow.announcements.set_text(
                    announcement.id, locale, result.text, author_id=None, machine=True
                )
                await uow.commit()
        except Exception as exc:  # noqa: BLE001 - the translation in hand still goes out
            # Another process kept this language's translation first (the unique row),
            # or the database is away for a moment: not a reason to stop the batch.
            log.info("announcement translation not kept", extra={"error": type(exc).__name__})
        return AnnouncementMessage(result.text, original, machine=True)


async def _start_due(uow_factory: UnitOfWorkFactory, now: datetime) -> int:
    """Due announcements become `sending`, with their outbox, in one transaction each."""
    started = 0
    while True:
        async with uow_factory() as uow:
            ids = await uow.announcements.start_due(now, 1)
            if not ids:
                return started
            found = await uow.announcements.get(ids[0])
            assert found is not None
            clients = await uow.announcements.recipients(found.audience(), now)
            count = await uow.announcements.add_deliveries(
                ids[0], [c.id for c in clients if c.id is not None], now
            )
            await uow.commit()
        log.info("announcement started", extra={"announcement": ids[0], "recipients": count})
        started += 1


async def _finish(
    uow_factory: UnitOfWorkFactory,
    job: DeliveryJob,
    status: DeliveryStatus,
    at: datetime,
    *,
    due_at: datetime | None = None,
) -> bool:
    async with uow_factory() as uow:
        done = await uow.announcements.finish(
            job.delivery_id, job.claim_token, status, at, due_at=due_at
        )
        await uow.commit()
        return done


async def _send_one(
    uow_factory: UnitOfWorkFactory,
    clock: Clock,
    sender: AnnouncementSender,
    texts: _Texts,
    job: DeliveryJob,
    report: AnnouncementReport,
) -> None:
    announcement = await texts.announcement(job.announcement_id)
    now = clock.now()
    client = job.client
    if (
        announcement is None
        or announcement.status is not AnnouncementStatus.SENDING
        or client.announcements_off_at is not None
        or not client.has_consented
    ):
        # Opted out (or withdrew) after the outbox was written: nothing goes out.
        await _finish(uow_factory, job, DeliveryStatus.FAILED, now)
        report.failed += 1
        return
    message = await texts.message(announcement, client.locale)
    try:
        result = await sender.send_announcement(job, message)
    except Exception as exc:  # noqa: BLE001 - never lose a delivery to a surprise
        log.warning("announcement send raised", extra={"error": type(exc).__name__})
        result = SendResult(Outcome.RETRY, retry_after=30)
    now = clock.now()
    if result.outcome is Outcome.SENT:
        await _finish(uow_factory, job, DeliveryStatus.SENT, now)
        report.sent += 1
    elif result.outcome is Outcome.RETRY:
        await _finish(
            uow_factory,
            job,
            DeliveryStatus.PENDING,
            now,
            due_at=now + _wait(result, job.attempts),
        )
        report.retried += 1
    elif result.outcome is Outcome.BLOCKED:
        await _finish(uow_factory, job, DeliveryStatus.BLOCKED, now)
        report.blocked += 1
    else:
        await _finish(uow_factory, job, DeliveryStatus.FAILED, now)
        report.failed += 1


async def _heartbeat(
    uow_factory: UnitOfWorkFactory, clock: Clock, token: str, lease: timedelta
) -> None:
    while True:
        await asyncio.sleep(lease.total_seconds() / 3)
        try:
            async with uow_factory() as uow:
                await uow.announcements.renew(token, clock.now() + lease)
                await uow.commit()
        except Exception as exc:  # noqa: BLE001 - the lease runs out; rows come back
            log.warning("announcement lease not renewed", extra={"error": type(exc).__name__})


async def _tell_authors(
    uow_factory: UnitOfWorkFactory, sender: AnnouncementSender, done: list[int]
) -> None:
    for announcement_id in done:
        async with uow_factory() as uow:
            found = await uow.announcements.get(announcement_id)
            figures = await uow.announcements.figures([announcement_id])
            author = (
                await uow.staff.get(found.author_id)
                if found is not None and found.author_id
                else None
            )
        if found is None or author is None or not author.active:
            continue
        try:
            await sender.tell_announcement_done(author, found, figures[announcement_id])
        except Exception as exc:  # noqa: BLE001 - the figures stay in the console
            log.warning("author not told", extra={"error": type(exc).__name__})


async def dispatch_announcements(
    uow_factory: UnitOfWorkFactory,
    clock: Clock,
    sender: AnnouncementSender,
    translation: TranslationService | None,
    quiet: QuietHours | None,
    *,
    owner: str | None = None,
    stopping: asyncio.Event | None = None,
    batch: int = BATCH,
    lease: timedelta = LEASE,
    concurrency: int = CONCURRENCY,
    rounds: int | None = None,
) -> AnnouncementReport:
    """One tick: start what is due, send the outbox in batches, mark each; nothing inside
    quiet hours. Announcements with nothing left to send are done: their authors get the
    figures. At most `rounds` batches (the ticker's other work must not wait long)."""
    report = AnnouncementReport()
    owner = owner or new_owner()
    stopping = stopping or asyncio.Event()
    texts = _Texts(uow_factory, translation)
    if quiet is not None and quiet.contains(clock.now()):
        return report
    report.started = await _start_due(uow_factory, clock.now())
    while not stopping.is_set() and (rounds is None or rounds > 0):
        rounds = None if rounds is None else rounds - 1
        now = clock.now()
        if quiet is not None and quiet.contains(now):
            break
        token = claim_token(owner)
        async with uow_factory() as uow:
            claimed = await uow.announcements.claim_due(now, now + lease, token, batch)
            await uow.commit()
        if not claimed:
            break
        async with uow_factory() as uow:
            jobs = await uow.announcements.jobs(claimed, token)
        gate = asyncio.Semaphore(concurrency)
        held: list[int] = []

        async def run(
            job: DeliveryJob, gate: asyncio.Semaphore = gate, held: list[int] = held
        ) -> None:
            async with gate:
                if stopping.is_set() or (quiet is not None and quiet.contains(clock.now())):
                    held.append(job.delivery_id)
                    return
                await _send_one(uow_factory, clock, sender, texts, job, report)

        heartbeat = asyncio.create_task(_heartbeat(uow_factory, clock, token, lease))
        try:
            await asyncio.gather(*(run(job) for job in jobs))
        finally:
            heartbeat.cancel()
        if held:
            async with uow_factory() as uow:
                report.held += await uow.announcements.release(token, held)
                await uow.commit()
        if len(claimed) < batch:
            break
    async with uow_factory() as uow:
        report.done = await uow.announcements.finish_done(clock.now())
        await uow.commit()
    await _tell_authors(uow_factory, sender, report.done)
    return report


async def release_announcement_claims(uow_factory: UnitOfWorkFactory, owner: str) -> int:
    """A stopping process gives back what it holds (another process sends it at once)."""
    async with uow_factory() as uow:
        released = await uow.announcements.release_owner(owner)
        await uow.commit()
    return released
