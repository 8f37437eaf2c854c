"""Test doubles shared by the suites."""

from __future__ import annotations

import asyncio
import random
from collections import Counter
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime, timedelta

from bot.announcements import Announcement, AnnouncementMessage, DeliveryFigures, DeliveryJob
from bot.domain import Appointment, Client, Erasure, Offer, ReminderJob, Staff, WaitOfferJob
from bot.later import LaterJob
from bot.ports import Outcome, SendResult
from bot.referrals import FollowupJob
from tests.helpers import id_of


class FakeClock:
    def __init__(self, start: datetime | None = None) -> None:
        self.current = start or datetime(2026, 11, 25, 9, 0, tzinfo=UTC)

    def now(self) -> datetime:
        return self.current

    def advance(self, **delta: float) -> None:
        self.current += timedelta(**delta)


class FakeNotifier:
    """bot.ports.Notifier in memory: what the core asked to send, tell and delete.

    `outcomes` answers a client's reminders (by Telegram id) with another result than
    "sent"; `delay` makes each reminder take up to that many seconds (races);
    `deletions` answers delete_message in turn (True when none are left)."""

    def __init__(self, *, delay: float = 0.0) -> None:
        self.sent: Counter[int] = Counter()
        self.outcomes: dict[int, SendResult] = {}
        self.unreachable_told: list[int] = []
        self.agendas: list[tuple[int, int]] = []
        self.told: list[tuple[str, object]] = []
        self.deleted: list[tuple[int, int]] = []
        self.deletions: list[bool] = []
        self.delay = delay
        #: Waiting-list messages in the order sent: (kind, client's Telegram id, offer id).
        self.waitlist: list[tuple[str, int, int]] = []

    async def send_reminder(self, job: ReminderJob) -> SendResult:
        if self.delay:
            await asyncio.sleep(random.random() * self.delay)
        result = self.outcomes.get(job.client.telegram_user_id, SendResult(Outcome.SENT))
        if result.outcome is Outcome.SENT:
            self.sent[job.reminder_id] += 1
        return result

    async def send_wait_offer(self, job: WaitOfferJob) -> SendResult:
        result = self.outcomes.get(job.client.telegram_user_id, SendResult(Outcome.SENT))
        if result.outcome is Outcome.SENT:
            self.waitlist.append(("offer", job.client.telegram_user_id, job.offer.id))
        return result

    async def send_wait_gone(self, job: WaitOfferJob) -> SendResult:
        self.waitlist.append(("gone", job.client.telegram_user_id, job.offer.id))
        return SendResult(Outcome.SENT)

    async def send_later(self, job: LaterJob) -> SendResult:
        result = self.outcomes.get(job.client.telegram_user_id, SendResult(Outcome.SENT))
        if result.outcome is Outcome.SENT:
            self.told.append(("later", job.answer.id))
        return result

    async def tell_unreachable(self, staff: Staff, client: Client) -> None:
        self.unreachable_told.append(id_of(client))

    async def send_offer_review(self, staff: Staff, offers: list[Offer]) -> SendResult:
        return SendResult(Outcome.SENT)

    async def send_followup(self, job: FollowupJob) -> SendResult:
        result = self.outcomes.get(job.client.telegram_user_id, SendResult(Outcome.SENT))
        if result.outcome is Outcome.SENT:
            self.told.append(("followup", job.referral.id))
        return result

    async def send_agenda(
        self, staff: Staff, appointments: list[tuple[Appointment, Client]], day_start: datetime
    ) -> SendResult:
        self.agendas.append((id_of(staff), len(appointments)))
        return SendResult(Outcome.SENT)

    async def warn_retention(self, staff: Staff, client: Client, erase_on: datetime) -> None:
        self.told.append(("warn", (staff.id, client.id)))

    async def tell_erasure(self, erasure: Erasure, *, inactive: bool) -> None:
        self.told.append(("erased", (erasure.client.id, inactive)))

    async def delete_message(self, chat_id: int, message_id: int) -> bool:
        self.deleted.append((chat_id, message_id))
        return self.deletions.pop(0) if self.deletions else True


class FakeAnnouncer:
    """bot.ports.AnnouncementSender in memory: each delivery (client's Telegram id and what
    they read), and the authors told. `outcomes` answers some clients otherwise than
    "sent"; `on_send` runs before each send (to stop a process half-way)."""

    def __init__(self) -> None:
        self.sent: Counter[int] = Counter()
        self.messages: dict[int, AnnouncementMessage] = {}
        self.outcomes: dict[int, SendResult] = {}
        self.told: list[tuple[int, int, DeliveryFigures]] = []
        self.on_send: Callable[[], Awaitable[None]] | None = None

    async def send_announcement(self, job: DeliveryJob, message: AnnouncementMessage) -> SendResult:
        if self.on_send is not None:
            await self.on_send()
        result = self.outcomes.get(job.client.telegram_user_id, SendResult(Outcome.SENT))
        if result.outcome is Outcome.SENT:
            self.sent[job.client.telegram_user_id] += 1
            self.messages[job.client.telegram_user_id] = message
        return result

    async def tell_announcement_done(
        self, staff: Staff, announcement: Announcement, figures: DeliveryFigures
    ) -> None:
        self.told.append((id_of(staff), id_of(announcement), figures))


class CountingTranslator:
    """A machine translator (bot.translation.MachineTranslator) that marks what it made and
    counts its calls per target language."""

    name = "libre"

    def __init__(self) -> None:
        self.calls: Counter[str] = Counter()

    def supports(self, locale: str) -> bool:
        return True

    def translate(self, text: str, source: str, target: str) -> str:
        self.calls[target] += 1
        return f"[{target}] {text}"
