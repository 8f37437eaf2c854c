"""The core's notifier (bot.ports.Notifier) over Telegram: reminders, agendas, notices to
staff, deletions, all through the rate-limited sender.

Maps Telegram's answers to what they mean for a reminder: RetryAfter -> later,
Forbidden -> the client blocked the bot, other refusals -> failed for good.
"""

from __future__ import annotations

import logging
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from aiogram import Bot
from aiogram.exceptions import (
    TelegramBadRequest,
    TelegramForbiddenError,
    TelegramNetworkError,
    TelegramRetryAfter,
    TelegramServerError,
)

from bot.announcements import Announcement, AnnouncementMessage, DeliveryFigures, DeliveryJob
from bot.domain import Appointment, Client, Erasure, Offer, ReminderJob, Staff, WaitOfferJob
from bot.i18n import Catalogs
from bot.later import LaterJob
from bot.ports import Clock, Outcome, SendResult, UnitOfWorkFactory
from bot.referrals import FollowupJob
from bot.services.booking import staff_is_working
from bot.services.ready_replies import find
from bot.slots import BookingPolicy
from bot.translation import TranslationService
from handlers import relay_views
from handlers.client import announcement_views, privacy_views
from handlers.client import referral_views as rfv
from handlers.client import reminder_views as rv
from handlers.client import waitlist_views as wv
from handlers.plumbing.sending import RateLimitedSender
from handlers.staff import announcement_views as staff_announcement_views
from handlers.staff import offer_views

log = logging.getLogger("lotse.sender")


class TelegramNotifier:
    """bot.ports.Notifier over Telegram: every message through the rate-limited sender."""

    def __init__(
        self,
        bot: Bot,
        catalogs: Catalogs,
        sender: RateLimitedSender,
        policy: BookingPolicy,
        uow_factory: UnitOfWorkFactory,
        clock: Clock,
        *,
        translation: TranslationService | None = None,
    ) -> None:
        self._bot = bot
        #: Typed answers sent later are translated when they go out (none: untranslated).
        self._translation = translation or TranslationService({})
        self._catalogs = catalogs
        self._sender = sender
        self._policy = policy
        self._uow_factory = uow_factory
        self._clock = clock

    async def _send(self, chat_id: int, text: str, **kwargs: Any) -> SendResult:
        try:
            await self._sender.send(
                chat_id,
                lambda: self._bot.send_message(chat_id, text, **kwargs),
            )
        except TelegramRetryAfter as exc:
            return SendResult(Outcome.RETRY, retry_after=float(exc.retry_after))
        except TelegramForbiddenError:
            return SendResult(Outcome.BLOCKED)
        except (TelegramNetworkError, TelegramServerError):
            return SendResult(Outcome.RETRY, retry_after=30)
        except TelegramBadRequest as exc:
            log.warning("message refused", extra={"error": type(exc).__name__})
            return SendResult(Outcome.FAILED)
        return SendResult(Outcome.SENT)

    async def send_reminder(self, job: ReminderJob) -> SendResult:
        t = self._catalogs.translator(job.client.locale)
        screen = rv.reminder(t, job.appointment, job.staff, self._policy.zone)
        return await self._send(job.client.chat_id, screen.text, reply_markup=screen.markup)

    async def send_followup(self, job: FollowupJob) -> SendResult:
        t = self._catalogs.translator(job.client.locale)
        screen = rfv.question(t, job.referral, self._policy.zone)
        return await self._send(job.client.chat_id, screen.text, reply_markup=screen.markup)

    async def send_wait_offer(self, job: WaitOfferJob) -> SendResult:
        t = self._catalogs.translator(job.client.locale)
        offer = job.offer
        screen = wv.offer(t, offer.id, offer.starts_at, job.staff, self._policy.zone)
        return await self._send(job.client.chat_id, screen.text, reply_markup=screen.markup)

    async def send_wait_gone(self, job: WaitOfferJob) -> SendResult:
        t = self._catalogs.translator(job.client.locale)
        screen = wv.gone(t, job.offer.starts_at, self._policy.zone)
        return await self._send(job.client.chat_id, screen.text, reply_markup=screen.markup)

    async def send_later(self, job: LaterJob) -> SendResult:
        ct = self._catalogs.translator(job.client.locale)
        answer = job.answer
        if answer.reply_key is not None:
            reply = await find(self._uow_factory, site_id=job.client.site_id, key=answer.reply_key)
            if reply is None:  # a site's own reply removed meanwhile
                return SendResult(Outcome.FAILED)
            text = relay_views.ready_text(ct, reply, answer.values, self._policy.zone)
            parts = [relay_views.ready_answer(ct, text)]
        else:
            original = answer.text or ""
            result = await self._translation.translate(
                original, job.staff.locale, job.client.locale
            )
            parts = relay_views.answer(ct, original, result)
        outcome = SendResult(Outcome.SENT)
        for index, part in enumerate(parts):
            markup = relay_views.answer_buttons(ct) if index == len(parts) - 1 else None
            outcome = await self._send(job.client.chat_id, part, reply_markup=markup)
            if outcome.outcome is not Outcome.SENT:
                break
        return outcome

    async def send_announcement(self, job: DeliveryJob, message: AnnouncementMessage) -> SendResult:
        """Each part through the rate-limited sender; the first part decides (a refusal
        of a later part of a long text is not sent again)."""
        t = self._catalogs.translator(job.client.locale)
        parts = announcement_views.announcement(t, message)
        first = await self._send(job.client.chat_id, parts[0])
        if first.outcome is Outcome.SENT:
            for part in parts[1:]:
                await self._send(job.client.chat_id, part)
        return first

    async def tell_announcement_done(
        self, staff: Staff, announcement: Announcement, figures: DeliveryFigures
    ) -> None:
        if staff.telegram_user_id is None:
            return
        t = self._catalogs.translator(staff.locale)
        text = staff_announcement_views.done(t, announcement, figures, self._policy.zone)
        result = await self._send(staff.telegram_user_id, text, disable_notification=True)
        if result.outcome is not Outcome.SENT:
            log.warning("author not told", extra={"outcome": result.outcome.value})

    async def tell_unreachable(self, staff: Staff, client: Client) -> None:
        if staff.telegram_user_id is None:
            return
        t = self._catalogs.translator(staff.locale)
        result = await self._send(staff.telegram_user_id, rv.unreachable(t, client))
        if result.outcome is not Outcome.SENT:
            log.warning("case manager not told", extra={"outcome": result.outcome.value})

    async def send_agenda(
        self, staff: Staff, appointments: list[tuple[Appointment, Client]], day_start: datetime
    ) -> SendResult:
        if staff.telegram_user_id is None or staff.id is None:
            return SendResult(Outcome.FAILED)
        t = self._catalogs.translator(staff.locale)
        silent = not await staff_is_working(
            self._uow_factory, self._clock, self._policy, staff_id=staff.id
        )
        text = rv.agenda(t, day_start, appointments, self._policy.zone)
        return await self._send(staff.telegram_user_id, text, disable_notification=silent)

    async def delete_message(self, chat_id: int, message_id: int) -> bool:
        """Remove a shown note. True when done or impossible for good (already gone, too
        old for Telegram, blocked); False for a passing failure, to be tried again."""
        try:
            await self._sender.send(chat_id, lambda: self._bot.delete_message(chat_id, message_id))
        except (TelegramBadRequest, TelegramForbiddenError) as exc:
            log.info("message not deletable", extra={"error": type(exc).__name__})
            return True
        except Exception as exc:  # noqa: BLE001 - network, 429, server: later
            log.info("message not deleted yet", extra={"error": type(exc).__name__})
            return False
        return True

    async def send_offer_review(self, staff: Staff, offers: list[Offer]) -> SendResult:
        if staff.telegram_user_id is None:
            return SendResult(Outcome.FAILED)
        t = self._catalogs.translator(staff.locale)
        return await self._send(
            staff.telegram_user_id, offer_views.review(t, offers), disable_notification=True
        )

    async def warn_retention(self, staff: Staff, client: Client, erase_on: datetime) -> None:
        if staff.telegram_user_id is None:
            return
        t = self._catalogs.translator(staff.locale)
        text = privacy_views.retention_warning(t, client, erase_on, self._policy.zone)
        result = await self._send(staff.telegram_user_id, text, disable_notification=True)
        if result.outcome is not Outcome.SENT:  # warned again never: the mark is set
            log.warning("retention warning not sent", extra={"outcome": result.outcome.value})

    async def tell_erasure(self, erasure: Erasure, *, inactive: bool) -> None:
        await after_erasure(
            self._bot, self._catalogs, self._policy.zone, erasure, inactive=inactive
        )


async def after_erasure(
    bot: Bot, catalogs: Catalogs, zone: ZoneInfo, erasure: Erasure, *, inactive: bool = False
) -> None:
    """After an erasure: the recent messages in the client's chat go, the bot's and the
    client's own (a phone number they typed); their case managers are told which times
    were cancelled and what became of the notes."""
    for message_id in erasure.recent_messages:
        try:
            await bot.delete_message(erasure.client.chat_id, message_id)
        except Exception:  # noqa: BLE001 - gone already, or older than Telegram allows
            continue
    told: dict[int, list[datetime]] = {}
    people = {}
    for appointment, staff in erasure.cancelled:
        if staff.id is not None:
            told.setdefault(staff.id, []).append(appointment.starts_at)
            people[staff.id] = staff
    if erasure.case_manager is not None and erasure.case_manager.id is not None:
        told.setdefault(erasure.case_manager.id, [])
        people[erasure.case_manager.id] = erasure.case_manager
    for staff_id, whens in told.items():
        staff = people[staff_id]
        if staff.telegram_user_id is None or not staff.active:
            continue
        st = catalogs.translator(staff.locale)
        is_manager = erasure.case_manager is not None and staff_id == erasure.case_manager.id
        text = privacy_views.staff_told_erased(
            st,
            cancelled=whens,
            notes=erasure.notes if is_manager else 0,
            anonymised=erasure.notes_kept_anonymised,
            zone=zone,
            inactive=inactive,
        )
        try:
            await bot.send_message(staff.telegram_user_id, text)
        except Exception as exc:  # noqa: BLE001 - the erasure stands
            log.warning("staff not told of an erasure", extra={"error": type(exc).__name__})
