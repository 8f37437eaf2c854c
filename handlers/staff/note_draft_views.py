"""Screens for a note typed before its client or life areas were chosen (staff language).

The draft itself is never shown in the chat (the typed message was deleted for a
reason), only its length.
"""

from __future__ import annotations

from aiogram.types import InlineKeyboardButton, InlineKeyboardMarkup

from bot.i18n import Translator
from handlers.callbacks import NoteCb
from handlers.views import Screen


def draft_kept(t: Translator, length: int) -> str:
    # TRANSLATORS: above the note screens after the person typed (part of) a note before
    # choosing the client or the life areas. {length} is a number of characters.
    return t._(
        "🔒 Lotse keeps your text as the draft of this note ({length} characters) and "
        "deleted your message from the chat. Text you send next is added to it.",
        length=length,
    )


def save_button(t: Translator) -> InlineKeyboardButton:
    return InlineKeyboardButton(
        text=t.p_("button", "💾 Save the note"), callback_data=NoteCb(action="dsave").pack()
    )


def save_or_discard(t: Translator, length: int) -> Screen:
    """Leaving the note flow with a draft: save it (what is missing is asked) or not."""
    return Screen(
        t._(
            "📝 Your note is not saved yet ({length} characters). Save it or discard it?",
            length=length,
        ),
        InlineKeyboardMarkup(
            inline_keyboard=[
                [save_button(t)],
                [
                    InlineKeyboardButton(
                        text=t.p_("button", "🗑 Discard the note"),
                        callback_data=NoteCb(action="ddrop").pack(),
                    )
                ],
            ]
        ),
    )


def discarded(t: Translator) -> str:
    return t._("🗑 The unsaved note was discarded.")


def expired(t: Translator) -> str:
    return t._("🗑 Your unsaved note was older than 24 hours and was discarded.")


def unreadable(t: Translator) -> str:
    # TRANSLATORS: rare: the encryption key changed while a note waited unsaved.
    return t._(
        "⚠️ Your unsaved note could not be opened any more and was discarded. Please type it again."
    )
