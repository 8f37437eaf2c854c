"""The caseload screen (/clients) for case managers. Nicknames are typed by people:
escaped before they go into an HTML message."""

from __future__ import annotations

from html import escape
from zoneinfo import ZoneInfo

from aiogram.types import InlineKeyboardButton, InlineKeyboardMarkup

from bot.formatting import format_day
from bot.i18n import Translator
from bot.services.notes import ClientSummary
from handlers import labels
from handlers.callbacks import ClientCb, StaffCb
from handlers.staff.note_views import name
from handlers.views import Screen


def _b(text: str, data: str) -> InlineKeyboardButton:
    return InlineKeyboardButton(text=text, callback_data=data)


def _menu(t: Translator) -> list[InlineKeyboardButton]:
    return [_b(t.p_("button", "⬅️ Back to the menu"), StaffCb(action="menu").pack())]


def clients(
    t: Translator, summaries: list[ClientSummary], zone: ZoneInfo, *, everyone: bool, search: str
) -> Screen:
    lines: list[str] = []
    if search:
        lines.append(t._("🔎 Clients matching “{text}”:", text=escape(search)))
    elif everyone:
        lines.append(t._("📋 All clients of your site (★ = yours):"))
    else:
        lines.append(t._("📋 Your clients:"))
    rows = []
    for s in summaries[:30]:
        mark = "★ " if s.mine and (everyone or search) else ""
        nxt = (
            t._("next: {when}", when=labels.when(t, s.next_at, zone))
            if s.next_at
            else t._("no appointment")
        )
        last = (
            t._("last note: {day}", day=format_day(s.last_note_at, t.locale, zone))
            if s.last_note_at
            else t._("no notes yet")
        )
        separator = "؛" if t.is_rtl else ";"  # the Arabic-script semicolon in RTL text
        lines.append(f"• {mark}{name(t, s.client)}: {nxt}{separator} {last}")
        rows.append(
            [
                _b(
                    f"{mark}{labels.client_name(t, s.client.nickname, s.client.id or 0)}"[:60],
                    ClientCb(action="view", id=s.client.id or 0).pack(),
                )
            ]
        )
    if not summaries:
        lines.append(t._("Nobody here yet."))
    elif len(summaries) > 30:
        lines.append(t._("Only the first 30 are shown. Search by name to find others."))
    switch = (
        _b(t.p_("button", "★ Only my clients"), ClientCb(action="list").pack())
        if everyone or search
        else _b(
            t.p_("button", "👥 All clients of the site"),
            ClientCb(action="list", value="all").pack(),
        )
    )
    rows.append([switch, _b(t.p_("button", "🔎 Search by name"), ClientCb(action="find").pack())])
    rows.append(_menu(t))
    return Screen("\n".join(lines), InlineKeyboardMarkup(inline_keyboard=rows))


def search_ask(t: Translator) -> Screen:
    return Screen(
        t._("🔎 Type a part of the client's name. Send /cancel to stop."),
        InlineKeyboardMarkup(
            inline_keyboard=[[_b(t.p_("button", "⬅️ Back"), ClientCb(action="list").pack())]]
        ),
    )
