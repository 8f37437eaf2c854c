"""Screens for a case manager's weekly hours and days off."""

from __future__ import annotations

from datetime import date, time, timedelta

from aiogram.types import InlineKeyboardButton, InlineKeyboardMarkup

from bot.domain import Mode, WeeklyHours
from bot.formatting import format_short_day
from bot.i18n import Translator
from handlers import labels
from handlers.callbacks import AvailCb, StaffCb
from handlers.views import Screen

SLOT_LENGTHS = (15, 20, 30, 45, 60, 90)
FIRST_HOUR, LAST_HOUR = 7, 21


def _b(text: str, data: str) -> InlineKeyboardButton:
    return InlineKeyboardButton(text=text, callback_data=data)


def _grid(buttons: list[InlineKeyboardButton], columns: int) -> list[list[InlineKeyboardButton]]:
    return [buttons[i : i + columns] for i in range(0, len(buttons), columns)]


def _back(t: Translator) -> list[InlineKeyboardButton]:
    return [_b(t.p_("button", "⬅️ Back"), AvailCb(action="list").pack())]


def window_line(t: Translator, w: WeeklyHours) -> str:
    line = t._(
        "{weekday}: {start} to {end}, {minutes} minutes, {mode}",
        weekday=labels.weekday(t, w.weekday),
        start=f"{w.start:%H:%M}",
        end=f"{w.end:%H:%M}",
        minutes=w.slot_minutes,
        mode=labels.mode(t, w.mode),
    )
    return line + (f" ({t.german(w.address)})" if w.address else "")


def overview(t: Translator, windows: list[WeeklyHours]) -> Screen:
    if not windows:
        text: str = t._("🕘 You have no working hours yet. Clients can book only in your hours.")
    else:
        lines: list[str] = [t._("🕘 Your weekly hours:")]
        lines += [f"• {window_line(t, w)}" for w in windows]
        text = "\n".join(lines)
    rows = [
        [
            _b(
                f"🗑 {labels.weekday(t, w.weekday)} {w.start:%H:%M}",
                AvailCb(action="rm", value=str(w.id)).pack(),
            )
        ]
        for w in windows
    ]
    rows.append([_b(t.p_("button", "➕ Add hours"), AvailCb(action="add").pack())])
    rows.append([_b(t.p_("button", "🏖 Days off"), AvailCb(action="off").pack())])
    rows.append([_b(t.p_("button", "⬅️ Back to the menu"), StaffCb(action="menu").pack())])
    return Screen(text, InlineKeyboardMarkup(inline_keyboard=rows))


def pick_weekday(t: Translator) -> Screen:
    buttons = [
        _b(labels.weekday(t, i), AvailCb(action="day", value=str(i)).pack()) for i in range(7)
    ]
    return Screen(
        t._("Which weekday?"), InlineKeyboardMarkup(inline_keyboard=[*_grid(buttons, 2), _back(t)])
    )


def _times(start: time, end: time) -> list[time]:
    result, cursor = [], start
    while cursor <= end:
        result.append(cursor)
        minutes = cursor.hour * 60 + cursor.minute + 30
        if minutes >= 24 * 60:
            break
        cursor = time(minutes // 60, minutes % 60)
    return result


def pick_start(t: Translator) -> Screen:
    buttons = [
        _b(f"{moment:%H:%M}", AvailCb(action="from", value=f"{moment:%H%M}").pack())
        for moment in _times(time(FIRST_HOUR), time(LAST_HOUR - 1, 30))
    ]
    return Screen(
        t._("From what time?"), InlineKeyboardMarkup(inline_keyboard=[*_grid(buttons, 4), _back(t)])
    )


def pick_end(t: Translator, start: time) -> Screen:
    after = start.hour * 60 + start.minute + 30
    buttons = [
        _b(f"{moment:%H:%M}", AvailCb(action="to", value=f"{moment:%H%M}").pack())
        for moment in _times(time(after // 60, after % 60), time(LAST_HOUR, 0))
    ]
    return Screen(
        t._("Until what time?"),
        InlineKeyboardMarkup(inline_keyboard=[*_grid(buttons, 4), _back(t)]),
    )


def pick_slot(t: Translator) -> Screen:
    buttons = [
        _b(t._("{minutes} minutes", minutes=m), AvailCb(action="slot", value=str(m)).pack())
        for m in SLOT_LENGTHS
    ]
    return Screen(
        t._("How long is one appointment?"),
        InlineKeyboardMarkup(inline_keyboard=[*_grid(buttons, 3), _back(t)]),
    )


def pick_mode(t: Translator) -> Screen:
    rows = [[_b(labels.mode(t, m), AvailCb(action="mode", value=m.value).pack())] for m in Mode]
    return Screen(
        t._("How do you meet clients in these hours?"),
        InlineKeyboardMarkup(inline_keyboard=[*rows, _back(t)]),
    )


def ask_address(t: Translator, last_address: str | None) -> Screen:
    rows = []
    if last_address:
        rows.append(
            [_b(t.p_("button", "📍 Same address as before"), AvailCb(action="addr").pack())]
        )
    rows.append(_back(t))
    return Screen(
        t._("📍 Please type the address where clients meet you (street, house number, room)."),
        InlineKeyboardMarkup(inline_keyboard=rows),
    )


def address_invalid(t: Translator) -> str:
    return t._("Please type an address of 5 to 200 characters.")


def saved(t: Translator, window: WeeklyHours) -> str:
    return t._("✓ Saved: {hours}", hours=window_line(t, window))


def removed(t: Translator) -> str:
    return t._("✓ Removed.")


def days_off(t: Translator, today: date, off: set[date], days: int = 28) -> Screen:
    buttons = []
    for offset in range(days):
        day = today + timedelta(days=offset)
        short = format_short_day(day, t.locale)
        label = f"{'🏖 ' if day in off else ''}{short}"
        buttons.append(_b(label, AvailCb(action="offday", value=day.isoformat()).pack()))
    return Screen(
        t._(
            "🏖 Tap a day to mark it as a day off (🏖), or tap again to undo. "
            "Clients cannot book on days off."
        ),
        InlineKeyboardMarkup(inline_keyboard=[*_grid(buttons, 3), _back(t)]),
    )
