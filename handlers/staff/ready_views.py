"""What the case manager sees of ready-made replies and of answers sent later (issue 23):
the list, the buttons that fill a placeholder, the preview in their own language, the
choice of a time, and the answers still waiting."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime, time, timedelta
from html import escape
from zoneinfo import ZoneInfo

from aiogram.types import InlineKeyboardButton, InlineKeyboardMarkup

from bot.domain import Client
from bot.formatting import split_text
from bot.i18n import Translator
from bot.later import LaterAnswer
from bot.ready_replies import CONTEXT, ReadyReply
from bot.services.later import LaterChoices
from handlers import labels
from handlers import relay_views as rv
from handlers.callbacks import ClientCb, LaterCb, ReadyCb, StaffCb
from handlers.views import Screen

#: Times offered for {time}: every half hour of an office day.
TIMES = tuple(f"{h:02d}:{m:02d}" for h in range(8, 19) for m in (0, 30) if (h, m) != (18, 30))
#: Days offered for {day}: today and the week after.
DAYS = 8
#: How much of a waiting typed answer the pending list shows.
PREVIEW_CHARS = 60


def _b(text: str, data: str) -> InlineKeyboardButton:
    return InlineKeyboardButton(text=text, callback_data=data)


def _rows(buttons: list[InlineKeyboardButton], width: int) -> list[list[InlineKeyboardButton]]:
    return [buttons[i : i + width] for i in range(0, len(buttons), width)]


def _who(t: Translator, client: Client) -> str:
    return labels.client_name(t, client.nickname, client.id or 0)


def _back_to_list(t: Translator, client_id: int) -> list[InlineKeyboardButton]:
    return [_b(t.p_("button", "⬅️ Back"), ReadyCb(action="list", id=client_id).pack())]


def reply_prompt(t: Translator, client: Client, *, translated: bool) -> Screen:
    """The Answer button's prompt, with ready-made replies and "send later" under it."""
    screen = rv.reply_prompt(t, client, translated=translated)
    ident = client.id or 0
    rows = [
        [_b(t.p_("button", "📋 Ready-made replies"), ReadyCb(action="list", id=ident).pack())],
        [_b(t.p_("button", "⏰ Write now, send later"), LaterCb(action="write", id=ident).pack())],
    ]
    assert screen.markup is not None
    return Screen(
        screen.text, InlineKeyboardMarkup(inline_keyboard=rows + screen.markup.inline_keyboard)
    )


def _listed(t: Translator, reply: ReadyReply, zone: ZoneInfo) -> str:
    """A reply in the list: a shipped one with "…" for what buttons fill in later."""
    if reply.site_id is None:
        return t.p_(CONTEXT, reply.msgid, day="…", time="…", place="…")
    return rv.ready_text(t, reply, {}, zone)


def ready_list(
    t: Translator, client: Client, replies: Sequence[ReadyReply], zone: ZoneInfo
) -> Screen:
    """The ready-made replies, numbered, in the staff member's language; a button each."""
    lines = [
        t._(
            "📋 Ready-made replies for {client}. People translated them into every language, "
            "so no machine translation is used. Choose one:",
            client=_who(t, client),
        ),
        "",
    ]
    for number, reply in enumerate(replies, start=1):
        lines.append(f"{number}. " + _listed(t, reply, zone))
    buttons = [
        _b(str(number), ReadyCb(action="pick", id=client.id or 0, value=reply.key).pack())
        for number, reply in enumerate(replies, start=1)
    ]
    back = [_b(t.p_("button", "⬅️ Back"), ClientCb(action="view", id=client.id or 0).pack())]
    return Screen(
        "\n".join(lines), InlineKeyboardMarkup(inline_keyboard=[*_rows(buttons, 6), back])
    )


def choose_day(t: Translator, client_id: int, today: date, zone: ZoneInfo) -> Screen:
    buttons = [
        _b(
            labels.day_label(t, datetime.combine(day, time(12), tzinfo=zone), zone),
            ReadyCb(action="day", id=client_id, value=day.isoformat()).pack(),
        )
        for day in (today + timedelta(days=n) for n in range(DAYS))
    ]
    return Screen(
        # TRANSLATORS: staff choose the day for a ready-made reply's {day}.
        t._("📅 Which day?"),
        InlineKeyboardMarkup(inline_keyboard=[*_rows(buttons, 2), _back_to_list(t, client_id)]),
    )


def choose_time(t: Translator, client_id: int) -> Screen:
    buttons = [
        _b(value, ReadyCb(action="time", id=client_id, value=value.replace(":", "")).pack())
        for value in TIMES
    ]
    return Screen(
        t._("🕘 Which time?"),
        InlineKeyboardMarkup(inline_keyboard=[*_rows(buttons, 4), _back_to_list(t, client_id)]),
    )


def choose_place(t: Translator, client_id: int, addresses: list[str]) -> Screen:
    if not addresses:
        return Screen(
            t._(
                "You have no address in your working hours yet. Add in-person hours with an "
                "address, or choose another reply."
            ),
            InlineKeyboardMarkup(inline_keyboard=[_back_to_list(t, client_id)]),
        )
    buttons = [
        [_b(address, ReadyCb(action="place", id=client_id, value=str(index)).pack())]
        for index, address in enumerate(addresses)
    ]
    return Screen(
        t._("📍 Which place?"),
        InlineKeyboardMarkup(inline_keyboard=[*buttons, _back_to_list(t, client_id)]),
    )


def preview(
    t: Translator, client: Client, reply: ReadyReply, values: dict[str, str], zone: ZoneInfo
) -> Screen:
    """The filled reply in the staff member's language, before it goes out."""
    ident = client.id or 0
    text = "\n\n".join(
        [
            t._("👁 Preview in your language:"),
            f"<i>{rv.ready_text(t, reply, values, zone)}</i>",
            t._(
                "{client} receives it in {language}, as people translated it.",
                client=_who(t, client),
                language=labels.language_in(t, client.locale),
            ),
        ]
    )
    return Screen(
        text,
        InlineKeyboardMarkup(
            inline_keyboard=[
                [_b(t.p_("button", "✅ Send now"), ReadyCb(action="send", id=ident).pack())],
                [_b(t.p_("button", "⏰ Send later"), ReadyCb(action="later", id=ident).pack())],
                _back_to_list(t, ident),
            ]
        ),
    )


def ready_sent(t: Translator, client: Client) -> str:
    return t._(
        "✓ Sent to {client} in {language}, as people translated it.",
        client=_who(t, client),
        language=labels.language_in(t, client.locale),
    )


# ----- send later -------------------------------------------------------------------------


def write_later(t: Translator, client: Client) -> Screen:
    return Screen(
        t._(
            "⏰ Write your answer to {client} and send it. You choose next when it goes out. "
            "Send /cancel to stop.",
            client=_who(t, client),
        ),
        InlineKeyboardMarkup(
            inline_keyboard=[
                [_b(t.p_("button", "⬅️ Back"), ClientCb(action="view", id=client.id or 0).pack())]
            ]
        ),
    )


def when_later(t: Translator, found: LaterChoices, zone: ZoneInfo) -> Screen:
    """When the answer goes out: tomorrow morning, my next hours, or a typed time."""
    # TRANSLATORS: "send later" buttons: {when} is a weekday, date and time.
    rows = [
        [
            _b(
                t.p_("button", "🌅 Tomorrow: {when}", when=labels.when(t, found.tomorrow, zone)),
                LaterCb(action="tmr").pack(),
            )
        ]
    ]
    if found.next_hours is not None:
        rows.append(
            [
                _b(
                    t.p_(
                        "button",
                        "🕘 My next hours: {when}",
                        when=labels.when(t, found.next_hours, zone),
                    ),
                    LaterCb(action="hours").pack(),
                )
            ]
        )
    rows.append([_b(t.p_("button", "⌨️ Type a date and time"), LaterCb(action="type").pack())])
    rows.append([_b(t.p_("button", "⏳ Pending answers"), LaterCb(action="list").pack())])
    return Screen(
        t._("⏰ When should it go out? Never at night: times in quiet hours move to their end."),
        InlineKeyboardMarkup(inline_keyboard=rows),
    )


def type_when(t: Translator) -> Screen:
    return Screen(t._("⌨️ Type the date and time, for example 24.12. 10:30. Send /cancel to stop."))


def bad_when(t: Translator) -> str:
    return t._(
        "I could not read a date and time in the future. Please type it like this: 24.12. 10:30"
    )


def nothing_to_send(t: Translator) -> str:
    return t._("There is no answer waiting to be scheduled. Please start again.")


def scheduled(t: Translator, client: Client, due_at: datetime, zone: ZoneInfo) -> Screen:
    return Screen(
        t._(
            "⏳ Your answer to {client} goes out on {when}. You can cancel it until then.",
            client=_who(t, client),
            when=labels.when(t, due_at, zone),
        ),
        InlineKeyboardMarkup(
            inline_keyboard=[
                [_b(t.p_("button", "⏳ Pending answers"), LaterCb(action="list").pack())],
                [_b(t.p_("button", "⬅️ Back to the menu"), StaffCb(action="menu").pack())],
            ]
        ),
    )


def _summary(t: Translator, answer: LaterAnswer, reply: ReadyReply | None, zone: ZoneInfo) -> str:
    if reply is not None:
        return rv.ready_text(t, reply, answer.values, zone)
    pieces = split_text(answer.text or "", PREVIEW_CHARS)
    short = pieces[0] + ("…" if len(pieces) > 1 else "") if pieces else ""
    return escape(short)


def pending(
    t: Translator,
    answers: Sequence[tuple[LaterAnswer, Client | None, ReadyReply | None]],
    zone: ZoneInfo,
) -> Screen:
    """My answers waiting to go out, the soonest first; a cancel button each."""
    back = [_b(t.p_("button", "⬅️ Back to the menu"), StaffCb(action="menu").pack())]
    if not answers:
        return Screen(
            t._("⏳ You have no answers waiting to go out."),
            InlineKeyboardMarkup(inline_keyboard=[back]),
        )
    lines = [t._("⏳ Your answers waiting to go out:"), ""]
    rows = []
    for number, (answer, client, reply) in enumerate(answers, start=1):
        who = labels.client_name(t, client.nickname if client else None, answer.client_id)
        lines.append(
            f"{number}. "
            + t._(
                "To {client}, {when}:",
                client=who,
                when=labels.when(t, answer.due_at, zone),
            )
            + "\n<i>"
            + _summary(t, answer, reply, zone)
            + "</i>"
        )
        rows.append(
            [
                _b(
                    t.p_("button", "✖️ Cancel {number}", number=number),
                    LaterCb(action="cancel", id=answer.id or 0).pack(),
                )
            ]
        )
    return Screen("\n".join(lines), InlineKeyboardMarkup(inline_keyboard=[*rows, back]))


def cancelled(t: Translator) -> str:
    return t._("✖️ Cancelled: this answer will not be sent.")


def too_late(t: Translator) -> str:
    return t._("This answer is no longer waiting: it was sent or cancelled already.")
