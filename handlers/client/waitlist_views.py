"""Screens of the waiting list: asking for an earlier time, the wish in "My
appointments", the offer of a freed time and what becomes of a tap on it."""

from __future__ import annotations

from collections.abc import Collection
from datetime import datetime
from zoneinfo import ZoneInfo

from aiogram.types import InlineKeyboardButton, InlineKeyboardMarkup

from bot.domain import DayPart, Mode, Staff, Wish
from bot.formatting import format_day_month
from bot.i18n import Translator
from bot.services.waitlist import UNTIL_WEEKS
from handlers import labels
from handlers.callbacks import MenuCb, WaitCb
from handlers.views import Screen


def _b(text: str, data: str) -> InlineKeyboardButton:
    return InlineKeyboardButton(text=text, callback_data=data)


def _nav(t: Translator) -> list[InlineKeyboardButton]:
    return [
        _b(t.p_("button", "⬅️ Back"), WaitCb(action="back").pack()),
        _b(t.p_("button", "✖️ Stop"), WaitCb(action="stop").pack()),
    ]


def start_button(t: Translator, value: str = "") -> list[InlineKeyboardButton]:
    """Under the day and time steps: none of them suits (`value`: "topic.mode", or empty:
    the booking's data)."""
    # TRANSLATORS: a button under the days or times offered for booking.
    return [
        _b(
            t.p_("button", "🔔 None of these times suit me"),
            WaitCb(action="start", value=value).pack(),
        )
    ]


def ask_button(t: Translator, value: str) -> list[InlineKeyboardButton]:
    """Under "no free times": ask to be told when one frees up."""
    # TRANSLATORS: a button under "there are no free times": join the waiting list.
    label = t.p_("button", "🔔 Tell me when a time frees up")
    return [_b(label, WaitCb(action="start", value=value).pack())]


def mode_picker(t: Translator) -> Screen:
    rows = [[_b(labels.mode(t, m), WaitCb(action="mode", value=m.value).pack())] for m in Mode]
    return Screen(
        t._("🔔 How would you like to meet?"),
        InlineKeyboardMarkup(inline_keyboard=[*rows, _nav(t)]),
    )


def when_picker(t: Translator, days: Collection[int], part: DayPart) -> Screen:
    """Weekdays (none ticked: any day) and part of day, one screen."""
    tick = "✓ "
    day_buttons = [
        _b(
            (tick if index in days else "") + labels.weekday(t, index),
            WaitCb(action="day", value=str(index)).pack(),
        )
        for index in range(7)
    ]
    parts = {
        DayPart.ANY: t.p_("button", "Any time"),
        DayPart.MORNING: t.p_("button", "Mornings"),
        DayPart.AFTERNOON: t.p_("button", "Afternoons"),
    }
    part_buttons = [
        _b((tick if code is part else "") + label, WaitCb(action="part", value=code.value).pack())
        for code, label in parts.items()
    ]
    # TRANSLATORS: the waiting list: the client may tick weekdays and a part of the day.
    text = t._(
        "🔔 When can you come? Tap the days that suit you (none: any day), "
        "and the part of the day. Then tap “Next”."
    )
    rows = [day_buttons[i : i + 3] for i in range(0, 7, 3)]
    return Screen(
        text,
        InlineKeyboardMarkup(
            inline_keyboard=[
                *rows,
                part_buttons,
                [_b(t.p_("button", "Next ➡️"), WaitCb(action="next").pack())],
                _nav(t),
            ]
        ),
    )


def until_picker(t: Translator) -> Screen:
    buttons = [
        _b(
            t.n_("{n} week", "{n} weeks", weeks),
            WaitCb(action="until", value=str(weeks)).pack(),
        )
        for weeks in UNTIL_WEEKS
    ]
    return Screen(
        t._("🔔 How long should we look for an earlier time for you?"),
        InlineKeyboardMarkup(inline_keyboard=[buttons, _nav(t)]),
    )


def wish_saved(t: Translator, wish: Wish) -> Screen:
    # TRANSLATORS: the client is on the waiting list now; {date} is the last day.
    text = t._(
        "✅ You are on the waiting list until {date}. When an earlier time frees up, "
        "we will send it to you. Tap “Book it” quickly: the first one gets it.",
        date=format_day_only(t, wish),
    )
    return Screen(
        text,
        InlineKeyboardMarkup(
            inline_keyboard=[
                [_b(t.p_("button", "🗓 My appointments"), MenuCb(item="appts").pack())],
                [_b(t.p_("button", "⬅️ Back to the menu"), MenuCb(item="home").pack())],
            ]
        ),
    )


def format_day_only(t: Translator, wish: Wish) -> str:
    """The wish's last day, "26 November", in the reader's language (CLDR)."""
    return format_day_month(wish.until, t.locale)


def wish_lines(t: Translator, wishes: list[Wish]) -> str:
    """The wishes under "My appointments"."""
    lines = [
        # TRANSLATORS: in "My appointments": the client waits for an earlier time about
        # {topic} until {date}.
        t._(
            "🔔 On the waiting list: {topic}, until {date}.",
            topic=labels.life_area_name(t, wish.topic),
            date=format_day_only(t, wish),
        )
        for wish in wishes
    ]
    return "\n".join(lines)


def leave_buttons(t: Translator, wishes: list[Wish]) -> list[list[InlineKeyboardButton]]:
    return [
        [
            _b(
                t.p_("button", "✖️ Leave the waiting list"),
                WaitCb(action="leave", id=wish.id or 0).pack(),
            )
        ]
        for wish in wishes
    ]


def left(t: Translator) -> str:
    # TRANSLATORS: short pop-up (max 200 characters).
    return t._("You are no longer on the waiting list.")


def offer(
    t: Translator, offer_id: int, starts_at: datetime, staff: Staff, zone: ZoneInfo
) -> Screen:
    # TRANSLATORS: a time freed up for a client on the waiting list; {when} is weekday,
    # date and time.
    text = t._(
        "🔔 An earlier time is free: {when}.\nDo you want it? The first to tap gets it.",
        when=labels.when(t, starts_at, zone),
    )
    return Screen(
        text,
        InlineKeyboardMarkup(
            inline_keyboard=[
                [_b(t.p_("button", "✅ Book it"), WaitCb(action="take", id=offer_id).pack())],
                [_b(t.p_("button", "⬅️ Back to the menu"), MenuCb(item="home2").pack())],
            ]
        ),
    )


def gone(t: Translator, starts_at: datetime, zone: ZoneInfo) -> Screen:
    text = t._(
        "Sorry, someone else took the time {when}. You stay on the waiting list.",
        when=labels.when(t, starts_at, zone),
    )
    return Screen(text, _menu_only(t))


def too_late(t: Translator) -> Screen:
    # TRANSLATORS: the client tapped "Book it" too late (it is too close now, or over).
    text = t._("Sorry, this time is no longer free. You can book another time.")
    return Screen(
        text,
        InlineKeyboardMarkup(
            inline_keyboard=[
                [_b(t.p_("button", "📅 Book an appointment"), MenuCb(item="book").pack())],
                [_b(t.p_("button", "⬅️ Back to the menu"), MenuCb(item="home").pack())],
            ]
        ),
    )


def taken_by_other(t: Translator) -> Screen:
    return Screen(
        t._("Sorry, someone else was faster. You stay on the waiting list."), _menu_only(t)
    )


def _menu_only(t: Translator) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        inline_keyboard=[[_b(t.p_("button", "⬅️ Back to the menu"), MenuCb(item="home2").pack())]]
    )
