"""What staff see of announcements (issue 23): the list with figures, writing, the
filters, the preview per language, the schedule, and the figures after sending."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from html import escape
from zoneinfo import ZoneInfo

from aiogram.types import InlineKeyboardButton, InlineKeyboardMarkup

from bot.announcements import (
    APPOINTMENT_DAYS,
    SOURCE_LOCALES,
    TEXT_LIMIT,
    Announcement,
    AnnouncementStatus,
    DeliveryFigures,
)
from bot.domain import Staff, StaffRole
from bot.i18n import SUPPORTED_LOCALES, Translator
from handlers import labels
from handlers.callbacks import AnnAction, AnnCb, StaffCb
from handlers.views import Screen

#: How much of an announcement's text the list shows.
_GIST = 60


def _b(text: str, action: AnnAction, value: str = "") -> InlineKeyboardButton:
    return InlineKeyboardButton(text=text, callback_data=AnnCb(action=action, value=value).pack())


def _menu(t: Translator) -> list[InlineKeyboardButton]:
    return [
        InlineKeyboardButton(
            text=t.p_("button", "⬅️ Back to the menu"), callback_data=StaffCb(action="menu").pack()
        )
    ]


@dataclass(frozen=True)
class Draft:
    """An announcement being written in the chat (kept in the conversation's state)."""

    text: str
    source: str
    languages: tuple[str, ...] = ()
    days: int | None = None


def status_label(t: Translator, status: AnnouncementStatus) -> str:
    if status is AnnouncementStatus.SENDING:
        return t.p_("announcement", "being sent")
    if status is AnnouncementStatus.DONE:
        return t.p_("announcement", "sent")
    if status is AnnouncementStatus.CANCELLED:
        return t.p_("announcement", "cancelled")
    return t.p_("announcement", "planned")


def figures_line(t: Translator, figures: DeliveryFigures) -> str:
    return t._(
        "Sent: {sent}, blocked: {blocked}, failed: {failed}, waiting: {pending}",
        sent=figures.sent,
        blocked=figures.blocked,
        failed=figures.failed,
        pending=figures.pending,
    )


def listing(
    t: Translator, entries: list[tuple[Announcement, DeliveryFigures]], zone: ZoneInfo
) -> Screen:
    lines = ["📣 " + t._("<b>Announcements</b>")]
    rows = [[_b(t.p_("button", "✍️ New announcement"), AnnAction.NEW)]]
    if not entries:
        lines.append(t._("No announcements yet."))
    for announcement, figures in entries:
        when = labels.when(t, announcement.scheduled_at, zone)
        gist = (
            announcement.text
            if len(announcement.text) <= _GIST
            else announcement.text[:_GIST] + "…"
        )
        lines.append("")
        lines.append(f"<b>{when}</b> · {status_label(t, announcement.status)}")
        lines.append(f"<i>{escape(gist)}</i>")
        if announcement.status is not AnnouncementStatus.SCHEDULED:
            lines.append(figures_line(t, figures))
        else:
            rows.append(
                [
                    _b(
                        t.p_("button", "❌ Cancel: {when}", when=when),
                        AnnAction.CANCEL,
                        str(announcement.id),
                    )
                ]
            )
    rows.append(_menu(t))
    return Screen("\n".join(lines), InlineKeyboardMarkup(inline_keyboard=rows))


def write_prompt(t: Translator, staff: Staff) -> Screen:
    whom = (
        t._("It goes to all clients of your site.")
        if staff.role is StaffRole.COORDINATOR
        else t._("It goes to your own clients.")
    )
    return Screen(
        "📣 "
        + t._(
            "Write the announcement in German or English (up to {limit} characters).",
            limit=TEXT_LIMIT,
        )
        + "\n"
        + whom
        + "\n"
        + t._("Send /cancel to stop."),
        InlineKeyboardMarkup(inline_keyboard=[_menu(t)]),
    )


def text_invalid(t: Translator) -> str:
    return t._("Please write a text of 1 to {limit} characters.", limit=TEXT_LIMIT)


def _days_label(t: Translator, days: int | None) -> str:
    if days is None:
        return t.p_("button", "📅 Everyone, with or without an appointment")
    return t.n_(
        "📅 Only with an appointment in the next {n} day",
        "📅 Only with an appointment in the next {n} days",
        days,
    )


def next_days(days: int | None) -> int | None:
    """The appointment filter's button goes round: everyone, 3, 7, 14 days, everyone."""
    choices: list[int | None] = [None, *APPOINTMENT_DAYS]
    return choices[(choices.index(days) + 1) % len(choices)] if days in choices else None


def filters(t: Translator, draft: Draft) -> Screen:
    text = "\n".join(
        [
            "📣 " + t._("Who gets it?"),
            t._("Tap languages to choose them; none chosen: every language."),
        ]
    )
    rows: list[list[InlineKeyboardButton]] = []
    row: list[InlineKeyboardButton] = []
    for locale in SUPPORTED_LOCALES:
        mark = "✅ " if locale in draft.languages else ""
        row.append(_b(mark + labels.language_name(locale), AnnAction.LANG, locale))
        if len(row) == 3:
            rows.append(row)
            row = []
    if row:
        rows.append(row)
    rows.append([_b(_days_label(t, draft.days), AnnAction.DAYS)])
    source = labels.language_name(draft.source)
    rows.append([_b(t.p_("button", "✏️ Written in: {language}", language=source), AnnAction.SOURCE)])
    rows.append([_b(t.p_("button", "👀 Preview"), AnnAction.PREVIEW)])
    rows.append(_menu(t))
    return Screen(text, InlineKeyboardMarkup(inline_keyboard=rows))


def other_source(source: str) -> str:
    return SOURCE_LOCALES[(SOURCE_LOCALES.index(source) + 1) % len(SOURCE_LOCALES)]


def preview(t: Translator, draft: Draft, counts: dict[str, int], *, can_translate: bool) -> Screen:
    lines = ["👀 " + t._("<b>Preview</b>"), "", f"<i>{escape(draft.text)}</i>", ""]
    total = sum(counts.values())
    for locale in SUPPORTED_LOCALES:
        if locale not in counts:
            continue
        if locale == draft.source:
            kind: str = t._("original text")
        elif can_translate:
            kind = "🤖 " + t._("machine translation, with the original below")
        else:
            kind = t._("original text, with a note that it could not be translated")
        lines.append(f"{labels.language_name(locale)}: {counts[locale]} · {kind}")
    if total:
        lines.append("")
        lines.append(t._("Recipients: {count}", count=total))
        lines.append(t._("Human translations can be added in the console."))
        rows = [
            [_b(t.p_("button", "🚀 Send now"), AnnAction.NOW)],
            [_b(t.p_("button", "🌅 Tomorrow 09:00"), AnnAction.TOMORROW)],
            [_b(t.p_("button", "🗓 Type a date and time"), AnnAction.TYPE)],
        ]
    else:
        lines.append(t._("Nobody matches these filters."))
        rows = []
    rows.append([_b(t.p_("button", "⬅️ Change the filters"), AnnAction.FILTERS)])
    return Screen("\n".join(lines), InlineKeyboardMarkup(inline_keyboard=rows))


def ask_when(t: Translator) -> Screen:
    return Screen(
        "🗓 " + t._("Type the date and time, for example 24.12. 10:00"),
        InlineKeyboardMarkup(
            inline_keyboard=[[_b(t.p_("button", "⬅️ Change the filters"), AnnAction.FILTERS)]]
        ),
    )


def when_invalid(t: Translator) -> str:
    return t._("Please type a date and time to come, for example 24.12. 10:00")


def confirm(t: Translator, when: datetime, asked: datetime, count: int, zone: ZoneInfo) -> Screen:
    lines = [
        t._("It goes out {when} to {count} people.", when=labels.when(t, when, zone), count=count)
    ]
    if when > asked:
        lines.append(t._("No announcements go out in the quiet hours (at night)."))
    return Screen(
        "\n".join(lines),
        InlineKeyboardMarkup(
            inline_keyboard=[
                [_b(t.p_("button", "✅ Confirm"), AnnAction.CONFIRM)],
                [_b(t.p_("button", "⬅️ Change the filters"), AnnAction.FILTERS)],
            ]
        ),
    )


def scheduled(t: Translator) -> str:
    return "✅ " + t._("Planned. You can cancel it under 📣 Announcements until it goes out.")


def cancelled(t: Translator, *, done: bool) -> str:
    if done:
        return t._("Cancelled: it will not go out.")
    return t._("It cannot be cancelled any more.")


def done(
    t: Translator, announcement: Announcement, figures: DeliveryFigures, zone: ZoneInfo
) -> str:
    gist = announcement.text if len(announcement.text) <= _GIST else announcement.text[:_GIST] + "…"
    return "\n".join(
        [
            "📣 " + t._("Your announcement went out."),
            f"<i>{escape(gist)}</i>",
            figures_line(t, figures),
        ]
    )
