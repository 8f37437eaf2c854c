"""Screens for case managers and coordinators (German by default, their choice later)."""

from __future__ import annotations

import html

from aiogram.types import InlineKeyboardButton, InlineKeyboardMarkup

from bot.domain import Site, Staff, StaffRole
from bot.i18n import SUPPORTED_LOCALES, Translator, language_label
from handlers.callbacks import (
    AgendaCb,
    AnnCb,
    ClientCb,
    LaterCb,
    NoteCb,
    OfferCb,
    StaffCb,
    TeamCb,
)
from handlers.views import Screen


def _b(text: str, data: str) -> InlineKeyboardButton:
    return InlineKeyboardButton(text=text, callback_data=data)


def _back(t: Translator) -> list[InlineKeyboardButton]:
    return [_b(t.p_("button", "⬅️ Back to the menu"), StaffCb(action="menu").pack())]


def role_name(t: Translator, role: StaffRole) -> str:
    if role is StaffRole.COORDINATOR:
        return t.p_("role", "coordinator")
    return t.p_("role", "case manager")


def welcome(t: Translator, staff: Staff, site: Site | None) -> str:
    return t._(
        "👋 Welcome! You are now registered as {role} at {site}.",
        role=role_name(t, staff.role),
        site=site.name if site else "",
    )


def menu(t: Translator, *, intro: str | None = None) -> Screen:
    prompt = t._("Staff menu: what would you like to do?")
    return Screen(
        f"{intro}\n\n{prompt}" if intro else prompt,
        InlineKeyboardMarkup(
            inline_keyboard=[
                [
                    _b(t.p_("button", "📋 Clients"), ClientCb(action="list").pack()),
                    _b(t.p_("button", "📝 New note"), NoteCb(action="new").pack()),
                ],
                [
                    _b(t.p_("button", "🗓 Today"), AgendaCb(action="today").pack()),
                    _b(t.p_("button", "🔎 Support offers"), OfferCb(action="new").pack()),
                ],
                [
                    _b(t.p_("button", "➕ Invite a client"), StaffCb(action="invite").pack()),
                    _b(t.p_("button", "⏳ Pending answers"), LaterCb(action="list").pack()),
                ],
                [_b(t.p_("button", "📣 Announcements"), AnnCb(action="list").pack())],
                [
                    _b(t.p_("button", "🕘 My working hours"), StaffCb(action="hours").pack()),
                    _b(t.p_("button", "🧳 Absence"), TeamCb(action="away").pack()),
                ],
                [_b(t.p_("button", "🗣 Languages I speak"), StaffCb(action="spoken").pack())],
                [_b(t.p_("button", "🌐 Language"), StaffCb(action="lang").pack())],
                [_b(t.p_("button", "🖥 Open the console"), StaffCb(action="console").pack())],
            ]
        ),
    )


def invite_ask(t: Translator) -> Screen:
    return Screen(
        t._(
            "➕ Please type a short name for the client, for example “Ahmad K.”.\n"
            "Only you and your team see it. Send /cancel to stop."
        ),
        InlineKeyboardMarkup(inline_keyboard=[_back(t)]),
    )


def nickname_invalid(t: Translator) -> str:
    return t._("Please type a name of 1 to 40 characters, or /cancel.")


def invite_ready(t: Translator, nickname: str, link: str) -> str:
    """The link on a line of its own and outside any isolate: what is copied (or tapped)
    is the URL alone, with no invisible character glued to it."""
    # TRANSLATORS: the next line is the invitation link itself.
    head = t._("✅ Invitation for {nickname}:", nickname=nickname)
    how = t._(
        "Show the QR code on your phone, or send the link by SMS. It works once, for 30 days."
    )
    return f"{head}\n{html.escape(link, quote=False)}\n\n{how}"


def console_link(t: Translator, link: str) -> str:
    """The console's one-time login link, on a line of its own outside any isolate (what
    is tapped is the URL alone)."""
    # TRANSLATORS: the next line is the login link of the web console itself.
    head = t._("🖥 Your link to the Lotse console in the browser:")
    how = t._("It works once, for 10 minutes, and only for you. Please do not forward it.")
    return f"{head}\n{html.escape(link, quote=False)}\n\n{how}"


def _two_columns(buttons: list[InlineKeyboardButton]) -> list[list[InlineKeyboardButton]]:
    """Thirteen languages on one phone screen."""
    return [buttons[i : i + 2] for i in range(0, len(buttons), 2)]


def spoken_picker(t: Translator, staff: Staff) -> Screen:
    buttons = [
        _b(
            ("✓ " if code in staff.spoken else "") + language_label(code),
            StaffCb(action="toggle", value=code).pack(),
        )
        for code in SUPPORTED_LOCALES
    ]
    rows = [*_two_columns(buttons), _back(t)]
    return Screen(
        t._("🗣 Which languages do you speak? Tap to switch. Clients who speak them see you first."),
        InlineKeyboardMarkup(inline_keyboard=rows),
    )


def ui_language_picker(t: Translator, staff: Staff) -> Screen:
    buttons = [
        _b(
            ("✓ " if code == staff.locale else "") + language_label(code),
            StaffCb(action="setlang", value=code).pack(),
        )
        for code in SUPPORTED_LOCALES
    ]
    rows = _two_columns(buttons)
    rows.append(_back(t))
    return Screen(
        t._("🌐 Please choose your language:"), InlineKeyboardMarkup(inline_keyboard=rows)
    )


def invite_failed(t: Translator, reason: str) -> str:
    if reason == "expired":
        return t._("This staff link has expired. Please ask your coordinator for a new one.")
    if reason == "used":
        return t._("This staff link was used already. Please ask your coordinator for a new one.")
    return t._("This staff link does not work. Please ask your coordinator for a new one.")


def not_your_client(t: Translator) -> str:
    # TRANSLATORS: short pop-up (max 200 characters).
    return t._("This client is not at your site.")


def no_own_slots(t: Translator) -> Screen:
    return Screen(
        t._("You have no free times in the next days. Please add working hours first."),
        InlineKeyboardMarkup(inline_keyboard=[_back(t)]),
    )


def help_text(t: Translator) -> str:
    return t._(
        "💬 <b>Lotse for case managers</b>\n\n"
        "Staff menu: /start\n"
        "Today's and this week's appointments: /today, /week\n"
        "My clients: /clients (or /clients Name to search)\n"
        "Write a case note: /note\n"
        "Read a client's notes: /notes\n"
        "Invite a client: /invite\n"
        "Working hours and days off: /availability\n"
        "Support offers: /offers\n"
        "Statistics of your site (coordinators): /stats\n"
        "Change the language: /language\n"
        "Stop the current step: /cancel\n\n"
        "🔒 <b>Case notes and Telegram</b>\n"
        "Notes are stored encrypted in the Lotse database, not in Telegram. "
        "Lotse deletes the message in which you typed a note once it is saved, and removes "
        "notes it shows you after 5 minutes; they cannot be forwarded or saved. "
        "Telegram's servers may still hold a typed note for a short time, deleted messages "
        "may stay in notifications on your phone, and a screenshot cannot be prevented. "
        "Write only what the case needs."
    )


def staff_command_descriptions(t: Translator) -> list[tuple[str, str]]:
    return [
        ("start", t._("Main menu")),
        ("today", t.p_("button", "🗓 Today")),
        ("week", t.p_("button", "📆 This week")),
        ("clients", t.p_("button", "📋 Clients")),
        ("note", t.p_("button", "📝 New note")),
        ("notes", t._("Read a client's notes")),
        ("invite", t.p_("button", "➕ Invite a client")),
        ("availability", t.p_("button", "🕘 My working hours")),
        ("offers", t.p_("button", "🔎 Support offers")),
        ("console", t.p_("button", "🖥 Open the console")),
        ("language", t._("Change the language")),
        ("help", t._("Help")),
        ("cancel", t._("Stop the current step")),
    ]


def not_delivered(t: Translator) -> str:
    # TRANSLATORS: short pop-up (max 200 characters).
    return t._("The message did not reach the client (maybe they blocked Lotse).")
