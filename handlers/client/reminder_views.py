"""What reminders, agendas and 'unreachable' notices say."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from aiogram.types import InlineKeyboardButton, InlineKeyboardMarkup

from bot.domain import Appointment, Client, Staff
from bot.formatting import format_clock
from bot.i18n import Translator
from handlers import labels
from handlers.callbacks import ApptCb, RemCb
from handlers.views import Screen


def reminder(t: Translator, appointment: Appointment, staff: Staff, zone: ZoneInfo) -> Screen:
    body = labels.appointment_details(t, appointment, zone)
    lines = [t._("⏰ A friendly reminder of your appointment:"), "", body]
    if staff.display_name:
        lines.append(t._("👤 With: {name}", name=staff.display_name))
    lines += ["", t._("Will you come?")]
    ident = appointment.id or 0
    return Screen(
        "\n".join(lines),
        InlineKeyboardMarkup(
            inline_keyboard=[
                [
                    InlineKeyboardButton(
                        text=t.p_("button", "✅ I will come"),
                        callback_data=RemCb(action="come", id=ident).pack(),
                    )
                ],
                [
                    InlineKeyboardButton(
                        text=t.p_("button", "❌ I cannot come"),
                        callback_data=ApptCb(action="cancel", id=ident).pack(),
                    )
                ],
                [
                    InlineKeyboardButton(
                        text=t.p_("button", "🔁 Change the time"),
                        callback_data=ApptCb(action="move", id=ident).pack(),
                    )
                ],
            ]
        ),
    )


def confirmed(t: Translator) -> str:
    return t._("✓ Thank you! Your advisor knows that you will come.")


def agenda(
    t: Translator, day_start: datetime, entries: list[tuple[Appointment, Client]], zone: ZoneInfo
) -> str:
    day = labels.day_label(t, day_start, zone)
    if not entries:
        return t._("☀️ Good morning! You have no appointments today, {day}.", day=day)
    lines: list[str] = [
        t.n_(
            "☀️ Good morning! Today, {day}, you have {n} appointment:",
            "☀️ Good morning! Today, {day}, you have {n} appointments:",
            len(entries),
            day=day,
        )
    ]
    for appointment, client in entries:
        who = labels.client_name(t, client.nickname, client.id or 0)
        parts = [
            format_clock(appointment.starts_at, t.locale, zone),
            who,
            labels.life_area(t, appointment.topic),
            labels.mode(t, appointment.mode),
        ]
        if appointment.interpreter:
            parts.append(
                t._(
                    "interpreter: {language}",
                    language=labels.language_in(t, appointment.interpreter),
                )
            )
        if appointment.confirmed_at is not None:
            parts.append(t._("✓ confirmed"))
        lines.append("• " + " · ".join(parts))
    return "\n".join(lines)


def unreachable(t: Translator, client: Client) -> str:
    return t._(
        "📵 {client} has blocked Lotse. Reminders no longer reach them. "
        "Please contact them another way.",
        client=labels.client_name(t, client.nickname, client.id or 0),
    )
