"""Screens of booking, moving and cancelling, for clients; notices for case managers."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

from aiogram.types import (
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    KeyboardButton,
    ReplyKeyboardMarkup,
)

from bot.domain import Appointment, CancelReason, LifeArea, Mode, Site, Slot
from bot.formatting import format_clock
from bot.i18n import Translator
from handlers import labels
from handlers.callbacks import ApptCb, BookCb, MenuCb
from handlers.client import waitlist_views as wv
from handlers.views import Screen


def _b(text: str, data: str) -> InlineKeyboardButton:
    return InlineKeyboardButton(text=text, callback_data=data)


def _grid(buttons: list[InlineKeyboardButton], columns: int) -> list[list[InlineKeyboardButton]]:
    return [buttons[i : i + columns] for i in range(0, len(buttons), columns)]


def _nav(t: Translator, *, back: bool = True) -> list[list[InlineKeyboardButton]]:
    row = []
    if back:
        row.append(_b(t.p_("button", "⬅️ Back"), BookCb(step="back").pack()))
    row.append(_b(t.p_("button", "✖️ Stop"), BookCb(step="cancel").pack()))
    return [row]


def slot_value(slot: Slot) -> str:
    """Short, exact and checkable: staff id and start in whole minutes since the epoch."""
    return f"{slot.staff_id}.{int(slot.starts_at.timestamp()) // 60}"


def site_picker(t: Translator, sites: list[Site]) -> Screen:
    buttons = [_b(site.name, BookCb(step="site", value=str(site.id)).pack()) for site in sites]
    return Screen(
        t._("📍 Where do you live? Please choose your town or district."),
        InlineKeyboardMarkup(inline_keyboard=[*_grid(buttons, 2), *_nav(t, back=False)]),
    )


def topic_picker(t: Translator) -> Screen:
    buttons = [
        _b(labels.life_area(t, area), BookCb(step="topic", value=area.value).pack())
        for area in LifeArea
    ]
    return Screen(
        t._("📅 What is the appointment about?"),
        InlineKeyboardMarkup(inline_keyboard=[*_grid(buttons, 2), *_nav(t, back=False)]),
    )


def mode_picker(t: Translator, modes: list[Mode]) -> Screen:
    buttons = [[_b(labels.mode(t, m), BookCb(step="mode", value=m.value).pack())] for m in modes]
    return Screen(
        t._("How would you like to meet?"),
        InlineKeyboardMarkup(inline_keyboard=[*buttons, *_nav(t)]),
    )


def phone_request(t: Translator) -> tuple[Screen, ReplyKeyboardMarkup]:
    keyboard = ReplyKeyboardMarkup(
        keyboard=[
            [KeyboardButton(text=t.p_("button", "📞 Share my phone number"), request_contact=True)],
            [KeyboardButton(text=stop_label(t))],
        ],
        resize_keyboard=True,
        one_time_keyboard=True,
    )
    text = t._(
        "📞 For a phone appointment, your advisor needs your phone number.\n"
        "Please tap the button below to share it, or type it here."
    )
    return Screen(text, None), keyboard


def phone_invalid(t: Translator) -> str:
    # TRANSLATORS: the client typed something that is not a phone number (e.g. "123").
    # {local} and {international} are example numbers (0176 1234567, +49 176 1234567).
    return t._(
        "This is not a phone number. Please type the whole number with its area code, "
        "for example {local} or {international}, or tap the button below.",
        local="0176 1234567",
        international="+49 176 1234567",
    )


def stop_label(t: Translator) -> str:
    return t.p_("button", "✖️ Stop")


def phone_saved(t: Translator) -> str:
    return t._("✓ Thank you. Your advisor will call you at this number.")


def phone_not_own(t: Translator) -> str:
    return t._("Please share your own phone number with the button below.")


def day_picker(t: Translator, days: list[date], zone: ZoneInfo, *, wish: bool = False) -> Screen:
    """`wish`: with "None of these times suit me" (the waiting list)."""
    buttons = []
    for day in days:
        noon = datetime(day.year, day.month, day.day, 12, tzinfo=zone)
        buttons.append(
            _b(labels.day_label(t, noon, zone), BookCb(step="day", value=day.isoformat()).pack())
        )
    extra = [wv.start_button(t)] if wish else []
    return Screen(
        t._("Which day suits you?"),
        InlineKeyboardMarkup(inline_keyboard=[*_grid(buttons, 2), *extra, *_nav(t)]),
    )


def no_slots(t: Translator, horizon_days: int, *, wish_value: str | None = None) -> Screen:
    """`wish_value` ("topic.mode"): with "Tell me when a time frees up"."""
    text = t.n_(
        "Sorry, there is no free time in the next {n} day.",
        "Sorry, there are no free times in the next {n} days.",
        horizon_days,
    )
    more = t._("Please write to your advisor, or try again in a few days.")
    return Screen(
        f"{text}\n{more}",
        InlineKeyboardMarkup(
            inline_keyboard=[
                *([wv.ask_button(t, wish_value)] if wish_value is not None else []),
                [_b(t.p_("button", "✉️ Message my advisor"), MenuCb(item="write").pack())],
                [_b(t.p_("button", "⬅️ Back to the menu"), MenuCb(item="home").pack())],
            ]
        ),
    )


def time_picker(t: Translator, slots: list[Slot], zone: ZoneInfo, *, wish: bool = False) -> Screen:
    buttons = [
        _b(
            format_clock(slot.starts_at, t.locale, zone),
            BookCb(step="time", value=slot_value(slot)).pack(),
        )
        for slot in slots
    ]
    day = labels.day_label(t, slots[0].starts_at, zone) if slots else ""
    extra = [wv.start_button(t)] if wish else []
    return Screen(
        t._("🕒 Which time on {day}?", day=day),
        InlineKeyboardMarkup(inline_keyboard=[*_grid(buttons, 3), *extra, *_nav(t)]),
    )


def interpreter_question(t: Translator) -> Screen:
    language = labels.language_in(t, t.locale)
    return Screen(
        t._("🗣 Do you need an interpreter for {language}?", language=language),
        InlineKeyboardMarkup(
            inline_keyboard=[
                [_b(t.p_("button", "Yes, please"), BookCb(step="interp", value="yes").pack())],
                [_b(t.p_("button", "No, thank you"), BookCb(step="interp", value="no").pack())],
                *_nav(t),
            ]
        ),
    )


def summary(t: Translator, body: str) -> Screen:
    return Screen(
        t._("Please check your appointment:") + "\n\n" + body,
        InlineKeyboardMarkup(
            inline_keyboard=[
                [_b(t.p_("button", "✅ Book this appointment"), BookCb(step="confirm").pack())],
                *_nav(t),
            ]
        ),
    )


def booked(t: Translator, body: str) -> Screen:
    return Screen(
        t._("✅ Your appointment is booked.") + "\n\n" + body,
        _confirmation_buttons(t),
    )


def _confirmation_buttons(t: Translator) -> InlineKeyboardMarkup:
    """Under a confirmation, which is the client's record of the appointment: its buttons
    open their screens in new messages instead of replacing it."""
    return InlineKeyboardMarkup(
        inline_keyboard=[
            [_b(t.p_("button", "🗓 My appointments"), ApptCb(action="list2").pack())],
            [_b(t.p_("button", "⬅️ Back to the menu"), MenuCb(item="home2").pack())],
        ]
    )


def calendar_caption(t: Translator) -> str:
    return t._("📎 Tap the file to add the appointment to your calendar.")


def calendar_cancel_caption(t: Translator) -> str:
    # TRANSLATORS: under a calendar file (.ics) sent after a cancellation.
    return t._("📎 Tap the file to take the cancelled appointment out of your calendar.")


def slot_taken(t: Translator, alternatives: list[Slot], zone: ZoneInfo) -> Screen:
    return other_times(
        t, t._("Sorry, this time was just taken by someone else."), alternatives, zone
    )


def slot_too_soon(t: Translator, alternatives: list[Slot], zone: ZoneInfo) -> Screen:
    # TRANSLATORS: the client waited before confirming, and now the time starts too soon:
    # appointments are booked a little ahead (BOOKING_LEAD, e.g. 2 hours).
    head = t._(
        "Sorry, this time is too soon now: appointments are booked a little ahead, "
        "so that your advisor can prepare."
    )
    return other_times(t, head, alternatives, zone)


def other_times(t: Translator, head: str, alternatives: list[Slot], zone: ZoneInfo) -> Screen:
    """Why the chosen time cannot be had, and up to six other times, nearest to it first."""
    buttons = [
        [
            _b(
                labels.when(t, slot.starts_at, zone),
                BookCb(step="time", value=slot_value(slot)).pack(),
            )
        ]
        for slot in alternatives[:6]
    ]
    text = head
    if alternatives:
        text += "\n" + t._("Here are the free times closest to the one you chose:")
    return Screen(text, InlineKeyboardMarkup(inline_keyboard=[*buttons, *_nav(t)]))


def too_many(t: Translator, limit: int) -> Screen:
    text = t.n_(
        "You already have {n} open appointment. Please cancel it before you book a new one.",
        "You already have {n} open appointments. Please cancel one before you book a new one.",
        limit,
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


def stopped(t: Translator) -> str:
    return t._("Stopped. Nothing was booked.")


def appointment_list(t: Translator, appointments: list[Appointment], zone: ZoneInfo) -> Screen:
    if not appointments:
        return Screen(
            t._("🗓 You have no appointments."),
            InlineKeyboardMarkup(
                inline_keyboard=[
                    [_b(t.p_("button", "📅 Book an appointment"), MenuCb(item="book").pack())],
                    [_b(t.p_("button", "⬅️ Back to the menu"), MenuCb(item="home").pack())],
                ]
            ),
        )
    rows = [
        [_b(f"📅 {labels.when(t, a.starts_at, zone)}", ApptCb(action="view", id=a.id or 0).pack())]
        for a in appointments
    ]
    rows.append([_b(t.p_("button", "⬅️ Back to the menu"), MenuCb(item="home").pack())])
    text = t.n_(
        "🗓 You have {n} appointment. Tap it to change or cancel it.",
        "🗓 You have {n} appointments. Tap one to change or cancel it.",
        len(appointments),
    )
    return Screen(text, InlineKeyboardMarkup(inline_keyboard=rows))


def appointment_detail(t: Translator, appointment: Appointment, body: str) -> Screen:
    ident = appointment.id or 0
    return Screen(
        body,
        InlineKeyboardMarkup(
            inline_keyboard=[
                [_b(t.p_("button", "🔁 Change the time"), ApptCb(action="move", id=ident).pack())],
                [
                    _b(
                        t.p_("button", "✖️ Cancel this appointment"),
                        ApptCb(action="cancel", id=ident).pack(),
                    )
                ],
                [_b(t.p_("button", "⬅️ Back"), ApptCb(action="list").pack())],
            ]
        ),
    )


def cancel_question(t: Translator, appointment: Appointment) -> Screen:
    ident = appointment.id or 0
    buttons = {
        CancelReason.ILL: t.p_("button", "🤒 I am ill"),
        CancelReason.TIME: t.p_("button", "🕒 The time does not suit me"),
        CancelReason.SOLVED: t.p_("button", "✅ My question is solved"),
        CancelReason.OTHER: t.p_("button", "Another reason"),
    }
    reasons = [(code, buttons[code]) for code in CancelReason.of_clients()]
    rows = [
        [_b(label, ApptCb(action="reason", id=ident, value=code).pack())] for code, label in reasons
    ]
    rows.append([_b(t.p_("button", "⬅️ No, keep it"), ApptCb(action="view", id=ident).pack())])
    return Screen(
        t._("Do you want to cancel this appointment? Please tap the reason."),
        InlineKeyboardMarkup(inline_keyboard=rows),
    )


def cancelled(t: Translator) -> Screen:
    return Screen(
        t._("✓ Your appointment is cancelled. Your advisor has been told."),
        InlineKeyboardMarkup(
            inline_keyboard=[
                [_b(t.p_("button", "📅 Book an appointment"), MenuCb(item="book").pack())],
                [_b(t.p_("button", "⬅️ Back to the menu"), MenuCb(item="home").pack())],
            ]
        ),
    )


def moved(t: Translator, body: str) -> Screen:
    return Screen(
        t._("✅ Your appointment has a new time.") + "\n\n" + body,
        _confirmation_buttons(t),
    )


def not_bookable(t: Translator) -> str:
    # TRANSLATORS: short pop-up (max 200 characters).
    return t._("This time is no longer free. Please choose another one.")


# ----- notices for the case manager (in the staff member's language) -----------------


def staff_notice(t: Translator, kind: str, who: str, body: str, *, old: str | None = None) -> str:
    if kind == "booked":
        head = t._("📅 New appointment with {client}", client=who)
    elif kind == "moved":
        head = t._("🔁 {client} moved the appointment from {old}", client=who, old=old or "")
    else:
        head = t._("✖️ {client} cancelled the appointment", client=who)
    return f"{head}\n\n{body}"
