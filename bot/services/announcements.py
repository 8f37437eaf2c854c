"""Announcements (issue 23): written once by a coordinator (the site) or a case manager
(their own clients), sent to each client in their language from an outbox.

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
    SOURCE_LOCALES,
    TEXT_LIMIT,
    Announcement,
    AnnouncementMessage,
    AnnouncementStatus,
    Audience,
    DeliveryFigures,
    DeliveryJob,
    DeliveryStatus,
    out_of_quiet,
    scope_of,
)
from bot.domain import Staff, StaffRole
from bot.ports import AnnouncementSender, Clock, Outcome, SendResult, UnitOfWorkFactory
from bot.reminder_schedule import QuietHours
from bot.services.audit import audit
from bot.services.reminder_claims import claim_token, new_owner
from bot.services.reminders import LEASE, _wait
from bot.translation import Outcome as TranslationOutcome
from bot.translation import Translation, TranslationService

log = logging.getLogger("lotse.announcements")

BATCH = 100
CONCURRENCY = 8
BUSY_TRIES = 20
BUSY_PAUSE = 0.5


class AnnouncementError(ValueError):
    """The text is empty or too long, or the source language is not German or English."""


@dataclass
class AnnouncementReport:
    started: int = 0
    sent: int = 0
    blocked: int = 0
    failed: int = 0
    retried: int = 0
    held: int = 0  # quiet hours began, or the process is stopping: given back
    done: list[int] = field(default_factory=list)


# ----- writing, reading, cancelling -----------------------------------------------------


async def announce(
    uow_factory: UnitOfWorkFactory,
    clock: Clock,
    quiet: QuietHours | None,
    *,
    author: Staff,
    text: str,
    source_locale: str,
    when: datetime,
    languages: tuple[str, ...] = (),
    appointment_days: int | None = None,
    human: dict[str, str] | None = None,
) -> Announcement:
    """Schedule an announcement: for `when` (now at the earliest), never inside quiet hours
    (it then goes at their end). The author's role decides the scope."""
    text = text.strip()
    if not text or len(text) > TEXT_LIMIT or source_locale not in SOURCE_LOCALES:
        raise AnnouncementError(source_locale)
    assert author.id is not None
    now = clock.now()
    announcement = Announcement(
        id=None,
        site_id=author.site_id,
        author_id=author.id,
        scope=scope_of(author),
        source_locale=source_locale,
        text=text,
        scheduled_at=out_of_quiet(max(when, now), quiet),
        languages=tuple(sorted(set(languages))),
        appointment_days=appointment_days,
        human={k: v.strip() for k, v in (human or {}).items() if v.strip()},
    )
    async with uow_factory() as uow:
        stored = await uow.announcements.add(announcement, now)
        await audit(uow, clock, author, "announcement.create")
        await uow.commit()
    log.info("announcement scheduled", extra={"announcement": stored.id})
    return stored


async def audience_by_language(
    uow_factory: UnitOfWorkFactory, clock: Clock, audience: Audience
) -> dict[str, int]:
    """How many clients would get it now, per language."""
    async with uow_factory() as uow:
        clients = await uow.announcements.recipients(audience, clock.now())
    counts: dict[str, int] = {}
    for client in clients:
        counts[client.locale] = counts.get(client.locale, 0) + 1
    return counts


def _may_see(staff: Staff, announcement: Announcement) -> bool:
    if announcement.site_id != staff.site_id:
        return False
    return staff.role is StaffRole.COORDINATOR or announcement.author_id == staff.id


def _may_translate(staff: Staff, announcement: Announcement) -> bool:
    """Anyone of the site may add a language before it goes out (who speaks it)."""
    return announcement.site_id == staff.site_id and announcement.status in (
        AnnouncementStatus.DRAFT,
        AnnouncementStatus.SCHEDULED,
    )


async def announcements_for(
    uow_factory: UnitOfWorkFactory, *, staff: Staff, limit: int = 10, to_translate: bool = False
) -> list[tuple[Announcement, DeliveryFigures]]:
    """The latest announcements a staff member may see (a coordinator: the site's; a case
    manager: their own; with `to_translate` also the site's planned ones), with their
    delivery figures."""
    async with uow_factory() as uow:
        found = await uow.announcements.of_site(staff.site_id, author_id=None, limit=limit * 5)
        found = [
            a for a in found if _may_see(staff, a) or (to_translate and _may_translate(staff, a))
        ][:limit]
        figures = await uow.announcements.figures([a.id for a in found if a.id is not None])
    return [(a, figures.get(a.id or 0, DeliveryFigures())) for a in found]


@dataclass(frozen=True)
class AnnouncementView:
    announcement: Announcement
    figures: DeliveryFigures
    #: Recipients now, per language (before it starts: who would get it).
    audience: dict[str, int]
    may_cancel: bool
    may_translate: bool


async def announcement_for(
    uow_factory: UnitOfWorkFactory, clock: Clock, *, staff: Staff, announcement_id: int
) -> AnnouncementView | None:
    """One announcement for its page (the console): None when not the staff member's to see."""
    async with uow_factory() as uow:
        found = await uow.announcements.get(announcement_id)
        if found is None or not (_may_see(staff, found) or _may_translate(staff, found)):
            return None
        figures = (await uow.announcements.figures([announcement_id]))[announcement_id]
        clients = await uow.announcements.recipients(found.audience(), clock.now())
        await audit(uow, clock, staff, "announcement.view")
        await uow.commit()
    audience: dict[str, int] = {}
    for client in clients:
        audience[client.locale] = audience.get(client.locale, 0) + 1
    open_ = found.status in (AnnouncementStatus.DRAFT, AnnouncementStatus.SCHEDULED)
    return AnnouncementView(
        found, figures, audience, open_ and _may_see(staff, found), _may_translate(staff, found)
    )


async def cancel_announcement(
    uow_factory: UnitOfWorkFactory, clock: Clock, *, staff: Staff, announcement_id: int
) -> bool:
    """Before it starts sending: its author or the site's coordinator. False otherwise."""
    async with uow_factory() as uow:
        found = await uow.announcements.get(announcement_id)
        if found is None or not _may_see(staff, found):
            return False
        done = await uow.announcements.cancel(announcement_id)
        if done:
            await audit(uow, clock, staff, "announcement.cancel")
        await uow.commit()
    if done:
        log.info("announcement cancelled", extra={"announcement": announcement_id})
    return done


async def add_translation(
    uow_factory: UnitOfWorkFactory,
    clock: Clock,
    *,
    staff: Staff,
    announcement_id: int,
    locale: str,
    text: str,
) -> bool:
    """A person's translation for one language, by any staff member of the site (one who
    speaks it), before the announcement starts sending."""
    text = text.strip()
    if not text or len(text) > TEXT_LIMIT:
        return False
    async with uow_factory() as uow:
        found = await uow.announcements.get(announcement_id)
        if found is None or not _may_translate(staff, found):
            return False
        await uow.announcements.set_text(
            announcement_id, locale, text, author_id=staff.id, machine=False
        )
        await audit(uow, clock, staff, "announcement.translation")
        await uow.commit()
    return True


async def switch_announcements(
    uow_factory: UnitOfWorkFactory, clock: Clock, *, client_id: int, off: bool
) -> None:
    """The client's "no announcements" (off), or announcements again (from /privacy)."""
    async with uow_factory() as uow:
        await uow.announcements.opt_out(client_id, clock.now() if off else None)
        await uow.commit()


# ----- sending --------------------------------------------------------------------------


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
        async with self._uow_factory() as uow:
            await uow.announcements.set_text(
                announcement.id, locale, result.text, author_id=None, machine=True
            )
            await uow.commit()
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
