"""Telegram side effects after a booking change: the case manager's notice, the .ics file
(sent after a booking, a move and a cancellation; the one it replaces removed)."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta

from aiogram import Bot
from aiogram.types import BufferedInputFile

from bot.calendar_file import appointment_ics
from bot.domain import Appointment, AppointmentStatus
from bot.i18n import Catalogs, Translator
from bot.ports import UnitOfWorkFactory
from bot.services.booking import BookingOutcome
from bot.services.booking_calendar import calendar_file_sent, calendar_file_write
from bot.slots import BookingPolicy
from handlers import labels
from handlers.client import booking_views
from handlers.plumbing.deferred import Pending, defer
from handlers.turn import Turn

log = logging.getLogger("lotse.notify")

#: How long Telegram lets a bot delete its own messages in a private chat.
DELETABLE_FOR = timedelta(hours=48)


def outcome_details(
    t: Translator, outcome: BookingOutcome, policy: BookingPolicy, *, for_staff: bool = False
) -> str:
    return labels.appointment_details(
        t,
        outcome.appointment,
        policy.zone,
        for_staff=for_staff,
        phone=outcome.client.phone if for_staff else None,
    )


async def send_calendar_file(turn: Turn, t: Translator, outcome: BookingOutcome) -> None:
    """The appointment's calendar file to the client, in `t`'s language: to add it, or (once
    cancelled) to take it out of their calendar. The file it replaces leaves the chat where
    Telegram still allows that, so only the current one can be added."""
    a = outcome.appointment
    cancelled = a.status is AppointmentStatus.CANCELLED
    title = t._("Appointment with your advisor")
    location = a.address or labels.mode(t, a.mode)
    data = appointment_ics(a, title=str(title), location=location, now=turn.clock.now())
    caption = (
        booking_views.calendar_cancel_caption(t) if cancelled else booking_views.calendar_caption(t)
    )
    try:
        sent = await turn.bot.send_document(
            chat_id=outcome.client.chat_id,
            document=BufferedInputFile(data, filename="lotse-appointment.ics"),
            caption=caption,
        )
    except Exception as exc:  # noqa: BLE001 - the booking stands; the file is a convenience
        log.warning("calendar file not sent", extra={"error": type(exc).__name__})
        return
    sent_at = turn.clock.now()
    if a.id is not None:
        await _remember(turn.uow_factory, _CalendarFile(a.id, sent.message_id, sent_at))
    await _remove_replaced_file(turn.bot, outcome.client.chat_id, a, sent_at)


@dataclass(frozen=True)
class _CalendarFile:
    """A calendar file just sent: remembered with the update's other writes at its end
    (handlers.plumbing.deferred), not in a transaction of its own."""

    appointment_id: int
    message_id: int
    sent_at: datetime

    def take(self) -> Pending:
        return Pending(calendar_file_write(self.appointment_id, self.message_id, self.sent_at))


async def _remember(uow_factory: UnitOfWorkFactory, sent: _CalendarFile) -> None:
    if not defer(sent):  # outside an update: at once
        await calendar_file_sent(
            uow_factory,
            appointment_id=sent.appointment_id,
            message_id=sent.message_id,
            at=sent.sent_at,
        )


async def _remove_replaced_file(
    bot: Bot, chat_id: int, replaced: Appointment, now: datetime
) -> None:
    """The calendar file sent before (its message id as `replaced` still has it) leaves the
    private chat if Telegram still allows it (sent less than 48 hours ago); else it stays."""
    message_id, sent_at = replaced.calendar_message_id, replaced.calendar_sent_at
    if message_id is None or sent_at is None or now - sent_at >= DELETABLE_FOR:
        return
    try:
        await bot.delete_message(chat_id, message_id)
    except Exception as exc:  # noqa: BLE001 - gone already, or refused: it stays
        log.info("old calendar file not removed", extra={"error": type(exc).__name__})


async def tell_case_manager(
    bot: Bot,
    catalogs: Catalogs,
    policy: BookingPolicy,
    outcome: BookingOutcome,
    kind: str,
    *,
    old_start: datetime | None = None,
) -> None:
    """The case manager's notice of a booking, move or cancellation, in their language;
    silent when the service says they are off duty."""
    staff = outcome.staff
    if staff.telegram_user_id is None or staff.id is None:
        return
    t = catalogs.translator(staff.locale)
    who = labels.client_name(t, outcome.client.nickname, outcome.client.id or 0)
    body = outcome_details(t, outcome, policy, for_staff=True)
    if kind == "cancelled":
        body = f"{body}\n{labels.cancel_reason(t, outcome.appointment.cancel_reason)}"
    old = labels.when(t, old_start, policy.zone) if old_start is not None else None
    text = booking_views.staff_notice(t, kind, who, body, old=old)
    try:
        await bot.send_message(
            staff.telegram_user_id, text, disable_notification=outcome.notice_silent
        )
    except Exception as exc:  # noqa: BLE001 - a blocked bot must not undo the booking
        log.warning("case manager not reached", extra={"error": type(exc).__name__})
