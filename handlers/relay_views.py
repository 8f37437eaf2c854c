"""What clients and case managers see of relayed messages. Texts people typed are
escaped; long texts are split so that no message passes Telegram's limit."""

from __future__ import annotations

from datetime import date, datetime, time
from html import escape
from zoneinfo import ZoneInfo

from aiogram.types import InlineKeyboardButton, InlineKeyboardMarkup

from bot.domain import Client
from bot.formatting import TELEGRAM_LIMIT, split_text, telegram_length
from bot.i18n import Translator
from bot.ready_replies import CONTEXT, ReadyReply
from bot.services.relay import Availability
from bot.translation import Outcome, Translation
from handlers import labels
from handlers.callbacks import ClientCb, MenuCb, RelayCb
from handlers.views import Screen

#: Room left in each message for a label line and markup.
_HEADROOM = 200


def _b(text: str, data: str) -> InlineKeyboardButton:
    return InlineKeyboardButton(text=text, callback_data=data)


def _menu(t: Translator) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        inline_keyboard=[[_b(t.p_("button", "⬅️ Back to the menu"), MenuCb(item="home").pack())]]
    )


def _sections(parts: list[tuple[str, str]]) -> list[str]:
    """(label, body) pairs into as few HTML messages as fit Telegram's limit; a long body
    continues in the next message. Labels are plain text (escaped here, like bodies)."""
    blocks: list[tuple[str, int]] = []  # (html, visible length)
    for label, body in parts:
        room = TELEGRAM_LIMIT - telegram_length(label) - _HEADROOM
        for piece in split_text(body, room):
            visible = f"{label}\n{piece}" if label else piece
            html = f"{escape(label)}\n{escape(piece)}" if label else escape(piece)
            blocks.append((html, telegram_length(visible)))
    messages: list[tuple[str, int]] = []
    for html, size in blocks:
        if messages and messages[-1][1] + 2 + size <= TELEGRAM_LIMIT - _HEADROOM:
            last_html, last_size = messages[-1]
            messages[-1] = (f"{last_html}\n\n{html}", last_size + 2 + size)
        else:
            messages.append((html, size))
    return [html for html, _ in messages]


# ----- the client -----------------------------------------------------------------------


def write_prompt(t: Translator, *, translated: bool) -> Screen:
    lang = (
        t._("Write in your own language: Lotse translates your message.")
        if translated
        else t._("Please write in your language or in German.")
    )
    return Screen(
        t._(
            "✉️ Write your message to your advisor and send it. "
            "You can also send a voice message, a photo or a document."
        )
        + "\n"
        + lang,
        _menu(t),
    )


def nobody_to_write_to(t: Translator) -> Screen:
    return Screen(
        t._("Sorry, you have no advisor in Lotse yet. Please book an appointment first.")
        + "\n\n"
        + emergency(t),
        InlineKeyboardMarkup(
            inline_keyboard=[
                [_b(t.p_("button", "📅 Book an appointment"), MenuCb(item="book").pack())],
                [_b(t.p_("button", "⬅️ Back to the menu"), MenuCb(item="home").pack())],
            ]
        ),
    )


def emergency(t: Translator) -> str:
    return t._("🆘 In an emergency, call 110 (police) or 112 (ambulance, fire brigade).")


def sent(
    t: Translator, availability: Availability, zone: ZoneInfo, *, urgent: bool, team: bool = False
) -> Screen:
    """The client's message went out: to their advisor, or (`team`: nobody has taken them
    on yet) to the case managers of their town; when to expect an answer."""
    if team:
        # TRANSLATORS: the client has no advisor yet; their message went to all case
        # managers of their town.
        first = t._(
            "✅ Sent to the advisors in your town. One of them will answer you here. "
            "You can write more at any time."
        )
    else:
        first = t._("✅ Sent to your advisor. You can write more at any time.")
    lines: list[str] = [first]
    if availability.out_of_office:
        if availability.next_start is not None:
            lines.append(
                t._(
                    "Your advisor is away until {when}. You will get an answer after that.",
                    when=labels.when(t, availability.next_start, zone),
                )
            )
        else:
            lines.append(t._("Your advisor is away at the moment. Please be patient."))
    elif not availability.working_now and availability.next_start is not None:
        lines.append(
            t._(
                "Your advisor is not at work right now. You can expect an answer from {when}.",
                when=labels.when(t, availability.next_start, zone),
            )
        )
    elif not availability.working_now:
        lines.append(t._("Your advisor is not at work right now and will answer later."))
    if urgent or not availability.working_now:
        lines.append(emergency(t))
    return Screen("\n\n".join(lines), _menu(t))


def offer_to_send(t: Translator, message_id: int) -> Screen:
    return Screen(
        t._("Do you want to send this to your advisor?"),
        InlineKeyboardMarkup(
            inline_keyboard=[
                [
                    _b(
                        t.p_("button", "✉️ Send it to my advisor"),
                        RelayCb(action="fwd", id=message_id).pack(),
                    )
                ],
                [_b(t.p_("button", "⬅️ Back to the menu"), MenuCb(item="home").pack())],
            ]
        ),
    )


def answer(t: Translator, original: str, translation: Translation) -> list[str]:
    """The case manager's answer: translated, with the original under it, labelled."""
    head = "💬 " + t._("Answer from your advisor:")
    if translation.ok:
        parts = [
            (head, translation.text or ""),
            ("🤖 " + t._("This is a machine translation. The original:"), original),
        ]
    else:
        parts = [(head, original)]
        if translation.outcome is not Outcome.SAME:
            parts.append(("", t._("(This answer could not be translated into your language.)")))
    return _sections(parts)


def ready_text(t: Translator, reply: ReadyReply, values: dict[str, str], zone: ZoneInfo) -> str:
    """A ready-made reply in `t`'s language, as people translated it, its placeholders
    filled: {day} a date in the reader's words, {time} as chosen, {place} the address. A
    site's own reply in the reader's language as written, else in German."""
    if reply.site_id is not None:
        own = reply.texts.get(t.locale)
        return escape(own) if own else t.german(reply.texts.get("de", reply.msgid))
    shown: dict[str, object] = {}
    if "day" in values:
        noon = datetime.combine(date.fromisoformat(values["day"]), time(12), tzinfo=zone)
        shown["day"] = labels.day_label(t, noon, zone)
    if "time" in values:
        shown["time"] = values["time"]
    if "place" in values:
        shown["place"] = values["place"]
    return t.p_(CONTEXT, reply.msgid, **shown)


def ready_answer(t: Translator, text: str) -> str:
    """The client's message: a ready-made reply (already in their language, escaped),
    marked as translated by people."""
    head = "💬 " + t._("Answer from your advisor:")
    # TRANSLATORS: under a fixed answer of the advisor that people translated once.
    mark = "✍️ " + t._("A fixed text, translated by people (not by a machine).")
    return f"{escape(head)}\n{text}\n\n<i>{mark}</i>"


# ----- the case manager -----------------------------------------------------------------


def _who(t: Translator, client: Client) -> str:
    return escape(labels.client_name(t, client.nickname, client.id or 0))


def answer_buttons(t: Translator) -> InlineKeyboardMarkup:
    """Under the case manager's answer: write back (a Telegram reply works as well)."""
    return InlineKeyboardMarkup(
        inline_keyboard=[
            [_b(t.p_("button", "✉️ Message my advisor"), MenuCb(item="write").pack())],
            [_b(t.p_("button", "⬅️ Back to the menu"), MenuCb(item="home").pack())],
        ]
    )


def _reason(t: Translator, translation: Translation) -> str:
    if translation.outcome is Outcome.OFF:
        return t._("⚠️ Not translated: translation is switched off.")
    if translation.outcome is Outcome.UNSUPPORTED:
        return t._("⚠️ Not translated: no machine translation for this language.")
    return t._("⚠️ Not translated: the translation service did not answer in time.")


def inbound(t: Translator, client: Client, original: str, translation: Translation) -> list[str]:
    head = "✉️ " + t._(
        "{client} writes ({language}):",
        client=labels.client_name(t, client.nickname, client.id or 0),
        language=labels.language_in(t, client.locale),
    )
    parts = [(head, original)]
    if translation.ok:
        parts.append(
            (
                "🤖 "
                + t._(
                    "Machine translation ({provider}), may contain mistakes:",
                    provider=translation.provider or "",
                ),
                translation.text or "",
            )
        )
    elif translation.outcome is not Outcome.SAME:
        parts.append(("", _reason(t, translation)))
    return _sections(parts)


def reply_buttons(t: Translator, client: Client) -> InlineKeyboardMarkup:
    ident = client.id or 0
    return InlineKeyboardMarkup(
        inline_keyboard=[
            [
                _b(t.p_("button", "↩️ Answer"), RelayCb(action="reply", id=ident).pack()),
                _b(t.p_("button", "👤 Client"), ClientCb(action="view", id=ident).pack()),
            ]
        ]
    )


def reply_hint(t: Translator, client: Client, *, translated: bool) -> str:
    if not translated:
        return t._("↩️ To answer, reply to this message or tap “Answer”.")
    return t._(
        "↩️ To answer, reply to this message or tap “Answer”. Lotse translates your answer into {language}.",
        language=labels.language_in(t, client.locale),
    )


def media_head(t: Translator, client: Client) -> str:
    return "📎 " + t._("{client} sent this:", client=_who(t, client))


def reply_prompt(t: Translator, client: Client, *, translated: bool) -> Screen:
    if translated:
        text = t._(
            "↩️ Write your answer to {client} and send it. Lotse translates it into {language}. "
            "Send /cancel to stop.",
            client=_who(t, client),
            language=labels.language_in(t, client.locale),
        )
    else:
        text = t._(
            "↩️ Write your answer to {client} and send it. Send /cancel to stop.",
            client=_who(t, client),
        )
    return Screen(
        text,
        InlineKeyboardMarkup(
            inline_keyboard=[
                [_b(t.p_("button", "⬅️ Back"), ClientCb(action="view", id=client.id or 0).pack())]
            ]
        ),
    )


def reply_sent(t: Translator, client: Client, translation: Translation) -> str:
    if translation.ok:
        return t._(
            "✓ Sent to {client}, machine-translated into {language}, with your original under it.",
            client=_who(t, client),
            language=labels.language_in(t, client.locale),
        )
    if translation.outcome is Outcome.SAME:
        return t._("✓ Sent to {client}.", client=_who(t, client))
    return (
        t._("✓ Sent to {client}, untranslated.", client=_who(t, client))
        + "\n"
        + _reason(t, translation)
    )


def text_only(t: Translator) -> str:
    return t._("Please answer with text.")


def not_a_relayed_message(t: Translator) -> str:
    return t._(
        "This message is not from a client. To write to a client, open them under /clients and tap “✉️ Write”."
    )
