"""Screens for a case manager working with one client: entry, booking for them."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from html import escape
from zoneinfo import ZoneInfo

from aiogram.types import InlineKeyboardButton, InlineKeyboardMarkup

from bot.domain import Appointment, Client, LifeArea, Mode, Slot
from bot.formatting import format_clock
from bot.i18n import Translator
from bot.referrals import Referral
from handlers import labels
from handlers.callbacks import ApptCb, ClientCb, MenuCb, NoteCb, RelayCb, TeamCb
from handlers.client import booking_views as bv
from handlers.client import referral_views as rfv
from handlers.views import Screen


def _b(text: str, data: str) -> InlineKeyboardButton:
    return InlineKeyboardButton(text=text, callback_data=data)


def _grid(buttons: list[InlineKeyboardButton], columns: int) -> list[list[InlineKeyboardButton]]:
    return [buttons[i : i + columns] for i in range(0, len(buttons), columns)]


def _back_to(t: Translator, client_id: int) -> list[InlineKeyboardButton]:
    return [_b(t.p_("button", "⬅️ Back"), ClientCb(action="view", id=client_id).pack())]


def client_entry(
    t: Translator,
    client: Client,
    appointments: list[Appointment],
    zone: ZoneInfo,
    referrals: Sequence[Referral] = (),
) -> Screen:
    ident = client.id or 0
    lines = [
        f"👤 {escape(labels.client_name(t, client.nickname, ident))}",
        t._("Language: {language}", language=labels.language_in(t, client.locale)),
    ]
    if appointments:
        lines.append(t._("Next appointments:"))
        lines += [
            f"• {labels.when(t, a.starts_at, zone)}, {labels.mode(t, a.mode)}" for a in appointments
        ]
    else:
        lines.append(t._("No appointments booked."))
    lines += rfv.client_lines(t, list(referrals), zone)
    rows = [
        [
            _b(t.p_("button", "📝 New note"), NoteCb(action="client", id=ident).pack()),
            _b(t.p_("button", "🗒 Notes"), NoteCb(action="list", id=ident).pack()),
        ],
        [_b(t.p_("button", "📅 Book for this client"), ClientCb(action="book", id=ident).pack())],
        [
            _b(t.p_("button", "✉️ Write"), RelayCb(action="reply", id=ident).pack()),
            _b(t.p_("button", "🤝 Hand over"), TeamCb(action="ho", id=ident).pack()),
        ],
    ]
    for a in appointments:
        label = t.p_("button", "✖️ Cancel {when}", when=labels.when(t, a.starts_at, zone))
        rows.append([_b(label, ClientCb(action="cancel", id=ident, value=str(a.id)).pack())])
    rows.append([_b(t.p_("button", "⬅️ Back"), ClientCb(action="list").pack())])
    return Screen("\n".join(lines), InlineKeyboardMarkup(inline_keyboard=rows))


def topics(t: Translator, client_id: int) -> Screen:
    buttons = [
        _b(
            labels.life_area(t, area),
            ClientCb(action="topic", id=client_id, value=area.value).pack(),
        )
        for area in LifeArea
    ]
    return Screen(
        t._("📅 What is the appointment about?"),
        InlineKeyboardMarkup(inline_keyboard=[*_grid(buttons, 2), _back_to(t, client_id)]),
    )


def modes(t: Translator, client_id: int, offered: list[Mode]) -> Screen:
    rows = [
        [_b(labels.mode(t, m), ClientCb(action="mode", id=client_id, value=m.value).pack())]
        for m in offered
    ]
    return Screen(
        t._("How would you like to meet?"),
        InlineKeyboardMarkup(inline_keyboard=[*rows, _back_to(t, client_id)]),
    )


def days(t: Translator, client_id: int, offered: list[date], zone: ZoneInfo) -> Screen:
    buttons = []
    for day in offered:
        noon = datetime(day.year, day.month, day.day, 12, tzinfo=zone)
        buttons.append(
            _b(
                labels.day_label(t, noon, zone),
                ClientCb(action="day", id=client_id, value=day.isoformat()).pack(),
            )
        )
    return Screen(
        t._("Which day suits you?"),
        InlineKeyboardMarkup(inline_keyboard=[*_grid(buttons, 2), _back_to(t, client_id)]),
    )


def times(t: Translator, client_id: int, slots: list[Slot], zone: ZoneInfo) -> Screen:
    buttons = [
        _b(
            format_clock(s.starts_at, t.locale, zone),
            ClientCb(action="time", id=client_id, value=bv.slot_value(s)).pack(),
        )
        for s in slots
    ]
    day = labels.day_label(t, slots[0].starts_at, zone) if slots else ""
    return Screen(
        t._("🕒 Which time on {day}?", day=day),
        InlineKeyboardMarkup(inline_keyboard=[*_grid(buttons, 3), _back_to(t, client_id)]),
    )


def other_times(
    t: Translator, client_id: int, head: str, nearest: list[Slot], zone: ZoneInfo
) -> Screen:
    """A typed time is not free (`head`): up to six free times nearest to it."""
    rows = [
        [
            _b(
                labels.when(t, s.starts_at, zone),
                ClientCb(action="time", id=client_id, value=bv.slot_value(s)).pack(),
            )
        ]
        for s in nearest[:6]
    ]
    text = head
    if nearest:
        text += "\n" + t._("Here are the free times closest to the one you chose:")
    return Screen(text, InlineKeyboardMarkup(inline_keyboard=[*rows, _back_to(t, client_id)]))


def hint(t: Translator, client_id: int, text: str) -> Screen:
    """Typed text that does not fit the booking step: one line, and the way back to the
    client's entry (which ends the booking); the step's buttons above still work."""
    return Screen(text, InlineKeyboardMarkup(inline_keyboard=[_back_to(t, client_id)]))


def interpreter(t: Translator, client: Client) -> Screen:
    ident = client.id or 0
    return Screen(
        t._(
            "🗣 Does the client need an interpreter for {language}?",
            language=labels.language_in(t, client.locale),
        ),
        InlineKeyboardMarkup(
            inline_keyboard=[
                [
                    _b(
                        t.p_("button", "Yes, please"),
                        ClientCb(action="interp", id=ident, value="yes").pack(),
                    )
                ],
                [
                    _b(
                        t.p_("button", "No, thank you"),
                        ClientCb(action="interp", id=ident, value="no").pack(),
                    )
                ],
                _back_to(t, ident),
            ]
        ),
    )


def confirm(t: Translator, client_id: int, body: str) -> Screen:
    return Screen(
        t._("Please check your appointment:") + "\n\n" + body,
        InlineKeyboardMarkup(
            inline_keyboard=[
                [
                    _b(
                        t.p_("button", "✅ Book this appointment"),
                        ClientCb(action="confirm", id=client_id).pack(),
                    )
                ],
                _back_to(t, client_id),
            ]
        ),
    )


def booked_for_client(t: Translator, who: str) -> str:
    return t._("✅ Booked for {client}. The client has been told.", client=who)


def cancelled_for_client(t: Translator, who: str) -> str:
    return t._("✓ Cancelled for {client}. The client has been told.", client=who)


# ----- what the client reads (in the client's language) -------------------------------


def client_told_booked(t: Translator, body: str) -> Screen:
    return Screen(
        t._("📅 Your advisor booked an appointment for you.") + "\n\n" + body,
        InlineKeyboardMarkup(
            inline_keyboard=[
                # In a new message: this notice stays as the client's record.
                [_b(t.p_("button", "🗓 My appointments"), ApptCb(action="list2").pack())],
            ]
        ),
    )


def client_told_cancelled(t: Translator, when: str) -> Screen:
    return Screen(
        t._(
            "Your advisor had to cancel your appointment on {when}. We are sorry. "
            "Please book a new one.",
            when=when,
        ),
        InlineKeyboardMarkup(
            inline_keyboard=[
                [_b(t.p_("button", "📅 Book an appointment"), MenuCb(item="book").pack())],
            ]
        ),
    )
