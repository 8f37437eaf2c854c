"""Screens for handing a client over and for absences with a deputy."""

from __future__ import annotations

from datetime import date, datetime, time
from html import escape
from zoneinfo import ZoneInfo

from aiogram.types import InlineKeyboardButton, InlineKeyboardMarkup

from bot.domain import Client, Staff
from bot.i18n import Translator
from handlers import labels
from handlers.callbacks import ClientCb, MenuCb, StaffCb, TeamCb
from handlers.staff.views import role_name
from handlers.views import Screen


def _b(text: str, data: str) -> InlineKeyboardButton:
    return InlineKeyboardButton(text=text, callback_data=data)


def _menu(t: Translator) -> list[InlineKeyboardButton]:
    return [_b(t.p_("button", "⬅️ Back to the menu"), StaffCb(action="menu").pack())]


def person(staff: Staff) -> str:
    return staff.display_name or f"#{staff.id}"


def day(t: Translator, value: date, zone: ZoneInfo) -> str:
    return labels.day_label(t, datetime.combine(value, time(12), zone), zone)


def _who(t: Translator, client: Client) -> str:
    return escape(labels.client_name(t, client.nickname, client.id or 0))


def handover_pick(t: Translator, client: Client, colleagues: list[Staff]) -> Screen:
    rows = [
        [
            _b(
                f"{person(s)} · {role_name(t, s.role)}"[:60],
                TeamCb(action="hto", id=client.id or 0, value=str(s.id)).pack(),
            )
        ]
        for s in colleagues[:20]
    ]
    rows.append([_b(t.p_("button", "⬅️ Back"), ClientCb(action="view", id=client.id or 0).pack())])
    text = (
        t._(
            "🤝 Hand {client} over to whom? Notes and appointments stay with the case.",
            client=_who(t, client),
        )
        if colleagues
        else t._("There is no colleague at your site to hand over to.")
    )
    return Screen(text, InlineKeyboardMarkup(inline_keyboard=rows))


def confirm_handover(t: Translator, client: Client, colleague: Staff) -> Screen:
    ident = client.id or 0
    return Screen(
        t._(
            "🤝 Hand {client} over to {name}? The client is told at once, in their language.",
            client=_who(t, client),
            name=escape(person(colleague)),
        ),
        InlineKeyboardMarkup(
            inline_keyboard=[
                [
                    _b(
                        t.p_("button", "✅ Yes, hand over"),
                        TeamCb(action="hok", id=ident, value=str(colleague.id)).pack(),
                    )
                ],
                [_b(t.p_("button", "⬅️ Back"), TeamCb(action="ho", id=ident).pack())],
            ]
        ),
    )


def handed_over(t: Translator, client: Client, new: Staff) -> Screen:
    return Screen(
        t._(
            "✓ {client} is now with {name}. The client has been told.",
            client=_who(t, client),
            name=escape(person(new)),
        ),
        InlineKeyboardMarkup(
            inline_keyboard=[
                [_b(t.p_("button", "📋 Clients"), ClientCb(action="list").pack())],
                _menu(t),
            ]
        ),
    )


def handover_refused(t: Translator) -> str:
    # TRANSLATORS: short pop-up (max 200 characters).
    return t._("Only the client's case manager or a coordinator can hand this client over.")


def got_client(t: Translator, client: Client, by: Staff) -> str:
    return t._(
        "🤝 {by} handed {client} over to you. You find them under /clients.",
        by=escape(person(by)),
        client=_who(t, client),
    )


def client_new_advisor(t: Translator, new: Staff) -> Screen:
    return Screen(
        t._(
            "From now on, {name} is your advisor. Your appointments stay as they are.",
            name=escape(person(new)),
        ),
        InlineKeyboardMarkup(
            inline_keyboard=[[_b(t.p_("button", "⬅️ Back to the menu"), MenuCb(item="home").pack())]]
        ),
    )


def away(t: Translator, periods: list[tuple[int, Staff, date, date]], zone: ZoneInfo) -> Screen:
    lines: list[str] = [
        t._("🧳 Absence: a colleague of your site serves your clients while you are away.")
    ]
    rows = []
    for ident, deputy, start, end in periods:
        lines.append(
            "• "
            + t._(
                "{name}, from {start} to {end}",
                name=escape(person(deputy)),
                start=day(t, start, zone),
                end=day(t, end, zone),
            )
        )
        rows.append(
            [
                _b(
                    t.p_("button", "✖️ End: {name}", name=person(deputy))[:60],
                    TeamCb(action="dend", id=ident).pack(),
                )
            ]
        )
    if not periods:
        lines.append(t._("No deputy named."))
    rows.append([_b(t.p_("button", "➕ Name a deputy"), TeamCb(action="dep").pack())])
    rows.append(_menu(t))
    return Screen("\n".join(lines), InlineKeyboardMarkup(inline_keyboard=rows))


def pick_deputy(t: Translator, colleagues: list[Staff]) -> Screen:
    rows = [
        [
            _b(
                f"{person(s)} · {role_name(t, s.role)}"[:60],
                TeamCb(action="dper", value=str(s.id)).pack(),
            )
        ]
        for s in colleagues[:20]
    ]
    rows.append([_b(t.p_("button", "⬅️ Back"), TeamCb(action="away").pack())])
    text = (
        t._("Who is your deputy?")
        if colleagues
        else t._("There is no colleague at your site to hand over to.")
    )
    return Screen(text, InlineKeyboardMarkup(inline_keyboard=rows))


def pick_period(t: Translator, deputy: Staff, periods: tuple[int, ...]) -> Screen:
    names = {
        1: t.p_("button", "Today only"),
        3: t.p_("button", "3 days"),
        7: t.p_("button", "1 week"),
        14: t.p_("button", "2 weeks"),
    }
    rows = [[_b(names[d], TeamCb(action="dset", value=f"{deputy.id}-{d}").pack())] for d in periods]
    rows.append([_b(t.p_("button", "⬅️ Back"), TeamCb(action="dep").pack())])
    return Screen(
        t._("For how long is {name} your deputy, starting today?", name=escape(person(deputy))),
        InlineKeyboardMarkup(inline_keyboard=rows),
    )


def deputy_named(t: Translator, deputy: Staff, until: date, count: int, zone: ZoneInfo) -> Screen:
    text = t.n_(
        "✓ {name} is your deputy until {end}. Your {n} client has been told.",
        "✓ {name} is your deputy until {end}. Your {n} clients have been told.",
        count,
        name=escape(person(deputy)),
        end=day(t, until, zone),
    )
    return Screen(
        text,
        InlineKeyboardMarkup(
            inline_keyboard=[
                [_b(t.p_("button", "🧳 Absence"), TeamCb(action="away").pack())],
                _menu(t),
            ]
        ),
    )


def deputy_told(t: Translator, absent: Staff, until: date, count: int, zone: ZoneInfo) -> str:
    return t.n_(
        "🧳 {name} is away until {end}. You are the deputy for {n} client; you find them under /clients.",
        "🧳 {name} is away until {end}. You are the deputy for {n} clients; you find them under /clients.",
        count,
        name=escape(person(absent)),
        end=day(t, until, zone),
    )


def client_deputy(t: Translator, deputy: Staff, until: date, zone: ZoneInfo) -> Screen:
    return Screen(
        t._(
            "Your advisor is away until {end}. In the meantime {name} helps you. "
            "You can book appointments as usual.",
            end=day(t, until, zone),
            name=escape(person(deputy)),
        ),
        InlineKeyboardMarkup(
            inline_keyboard=[
                [_b(t.p_("button", "📅 Book an appointment"), MenuCb(item="book").pack())]
            ]
        ),
    )
