"""Telegram side effects after a booking change: the case manager's notice, the .ics file."""

from __future__ import annotations

import logging
from datetime import datetime

from aiogram import Bot
from aiogram.types import BufferedInputFile

from bot.calendar_file import appointment_ics
from bot.i18n import Catalogs, Translator
from bot.ports import Clock
from bot.services.booking import BookingOutcome
from bot.slots import BookingPolicy
from handlers import labels
from handlers.client import booking_views

log = logging.getLogger("lotse.notify")


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


async def send_calendar_file(
    bot: Bot, t: Translator, outcome: BookingOutcome, clock: Clock, *, sequence: int = 0
) -> None:
    a = outcome.appointment
    title = t._("Appointment with your advisor")
    location = a.address or labels.mode(t, a.mode)
    data = appointment_ics(
        a, title=str(title), location=location, now=clock.now(), sequence=sequence
    )
    try:
        await bot.send_document(
            chat_id=outcome.client.chat_id,
            document=BufferedInputFile(data, filename="lotse-appointment.ics"),
            caption=booking_views.calendar_caption(t),
        )
    except Exception as exc:  # noqa: BLE001 - the booking stands; the file is a convenience
        log.warning("calendar file not sent", extra={"error": type(exc).__name__})


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
