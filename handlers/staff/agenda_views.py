"""Screens of the agenda (staff language) and what clients read about changes (theirs)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from html import escape
from zoneinfo import ZoneInfo

from aiogram.types import InlineKeyboardButton, InlineKeyboardMarkup

from bot.domain import AppointmentStatus, Mode
from bot.formatting import format_clock
from bot.i18n import Translator
from bot.services.agenda import AgendaItem
from handlers import labels
from handlers.callbacks import AgendaCb, MenuCb, NoteCb, StaffCb
from handlers.views import Screen


def _b(text: str, data: str) -> InlineKeyboardButton:
    return InlineKeyboardButton(text=text, callback_data=data)


def _status(t: Translator, status: AppointmentStatus) -> str:
    return {
        AppointmentStatus.BOOKED: "",
        AppointmentStatus.ATTENDED: " · ✅ " + t.p_("status", "attended"),
        AppointmentStatus.NO_SHOW: " · ❌ " + t.p_("status", "did not come"),
        AppointmentStatus.CANCELLED: " · ✖️ " + t.p_("status", "cancelled"),
    }[status]


def _line(t: Translator, item: AgendaItem, zone: ZoneInfo) -> str:
    a, c = item.appointment, item.client
    parts = [
        format_clock(a.starts_at, t.locale, zone),
        escape(labels.client_name(t, c.nickname, c.id or 0)),
        labels.life_area(t, a.topic),
        labels.mode(t, a.mode),
    ]
    if a.interpreter:
        parts.append(
            "🗣 " + t._("interpreter: {language}", language=labels.language_in(t, a.interpreter))
        )
    text = " · ".join(parts) + _status(t, a.status)
    if a.mode is not Mode.IN_PERSON and a.status is AppointmentStatus.BOOKED:
        text += "\n" + labels.staff_how(t, a.mode, c.phone)
    if item.reminder_expired and a.status is AppointmentStatus.BOOKED:
        # TRANSLATORS: in the case manager's agenda, under an appointment.
        text += "\n" + t._("⚠️ The reminder did not reach the person. Please remind them yourself.")
    return text


def agenda(
    t: Translator,
    items: list[AgendaItem],
    zone: ZoneInfo,
    *,
    week: bool,
    today: date,
    followups: Sequence[str] = (),
) -> Screen:
    """The day or the week; `followups` (the clients' answers about offers sent to them,
    handlers/client/referral_views.agenda_lines) below it."""
    lines: list[str] = [t._("🗓 Your week:") if week else t._("🗓 Your day:")]
    current = None
    rows = []
    for item in items:
        day = item.appointment.starts_at.astimezone(zone).date()
        if day != current:
            current = day
            lines.append("\n<b>" + labels.day_label(t, item.appointment.starts_at, zone) + "</b>")
        lines.append("• " + _line(t, item, zone))
        if item.appointment.status is AppointmentStatus.BOOKED:
            label = f"{format_clock(item.appointment.starts_at, t.locale, zone)} {labels.client_name(t, item.client.nickname, item.client.id or 0)}"
            if week:
                label = f"{labels.weekday(t, day.weekday())[:2]} {label}"
            rows.append(
                [_b(label[:60], AgendaCb(action="view", id=item.appointment.id or 0).pack())]
            )
    if not items:
        lines.append(t._("No appointments."))
    if followups:
        lines += ["", *followups]
    switch = (
        _b(t.p_("button", "🗓 Today"), AgendaCb(action="today").pack())
        if week
        else _b(t.p_("button", "📆 This week"), AgendaCb(action="week").pack())
    )
    rows.append([switch])
    if not week and any(i.appointment.status is AppointmentStatus.BOOKED for i in items):
        rows.append(
            [
                _b(
                    t.p_("button", "🤒 Cancel my day"),
                    AgendaCb(action="cday", value=today.isoformat()).pack(),
                )
            ]
        )
    rows.append([_b(t.p_("button", "⬅️ Back to the menu"), StaffCb(action="menu").pack())])
    return Screen("\n".join(lines), InlineKeyboardMarkup(inline_keyboard=rows))


def appointment(t: Translator, item: AgendaItem, zone: ZoneInfo, now: datetime) -> Screen:
    a = item.appointment
    ident = a.id or 0
    text = labels.day_label(t, a.starts_at, zone) + "\n" + _line(t, item, zone)
    rows = []
    if a.status is AppointmentStatus.BOOKED and a.starts_at <= now:
        # Came / did not come: only once the appointment has begun.
        rows.append(
            [
                _b(t.p_("button", "✅ Came"), AgendaCb(action="att", id=ident).pack()),
                _b(t.p_("button", "❌ Did not come"), AgendaCb(action="noshow", id=ident).pack()),
            ]
        )
    if a.status is AppointmentStatus.BOOKED:
        rows.append(
            [
                _b(
                    t.p_("button", "✖️ Cancel the appointment"),
                    AgendaCb(action="cancel", id=ident).pack(),
                )
            ]
        )
    rows.append(
        [_b(t.p_("button", "📝 Note for this appointment"), NoteCb(action="appt", id=ident).pack())]
    )
    rows.append([_b(t.p_("button", "⬅️ Back"), AgendaCb(action="today").pack())])
    return Screen(text, InlineKeyboardMarkup(inline_keyboard=rows))


def too_early(t: Translator) -> str:
    # TRANSLATORS: short pop-up (max 200 characters): "came / did not come" was tapped
    # before the appointment began.
    return t._("You can mark this once the appointment has begun.")


def marked(t: Translator) -> str:
    # TRANSLATORS: short pop-up (max 200 characters).
    return t._("Saved. The client has been told.")


def confirm_cancel_day(t: Translator, count: int, day: date) -> Screen:
    return Screen(
        t.n_(
            "🤒 Cancel your {n} appointment today? The client gets an apology in their language "
            "and a button to book again.",
            "🤒 Cancel all {n} appointments today? Each client gets an apology in their language "
            "and a button to book again.",
            count,
        ),
        InlineKeyboardMarkup(
            inline_keyboard=[
                [
                    _b(
                        t.p_("button", "🤒 Yes, cancel my day"),
                        AgendaCb(action="cdayok", value=day.isoformat()).pack(),
                    )
                ],
                [_b(t.p_("button", "⬅️ No, go back"), AgendaCb(action="today").pack())],
            ]
        ),
    )


def day_cancelled(t: Translator, count: int) -> str:
    return t.n_(
        "✓ {n} appointment cancelled; the client has been told. Get well soon!",
        "✓ {n} appointments cancelled; every client has been told. Get well soon!",
        count,
    )


# ----- what the client reads (in the client's language) -------------------------------


def client_attended(t: Translator) -> Screen:
    return Screen(
        t._("Thank you for coming to your appointment today. 🙂"),
        InlineKeyboardMarkup(
            inline_keyboard=[[_b(t.p_("button", "⬅️ Back to the menu"), MenuCb(item="home").pack())]]
        ),
    )


def client_missed(t: Translator, when: str) -> Screen:
    return Screen(
        t._(
            "We missed you at your appointment on {when}. Would you like to book a new one?",
            when=when,
        ),
        InlineKeyboardMarkup(
            inline_keyboard=[
                [_b(t.p_("button", "📅 Book an appointment"), MenuCb(item="book").pack())]
            ]
        ),
    )


def client_staff_ill(t: Translator, when: str) -> Screen:
    return Screen(
        t._(
            "We are very sorry: your advisor is ill, so your appointment on {when} is cancelled. "
            "Please book a new one.",
            when=when,
        ),
        InlineKeyboardMarkup(
            inline_keyboard=[
                [_b(t.p_("button", "📅 Book an appointment"), MenuCb(item="book").pack())]
            ]
        ),
    )
