"""What a client sees of their typed words: which of several requests they meant, and
their town when a typed message waits for it."""

from __future__ import annotations

from aiogram.types import InlineKeyboardButton, InlineKeyboardMarkup

from bot.domain import Site
from bot.i18n import Translator
from bot.intents import Intent
from handlers.callbacks import MenuCb, RelayCb, TypedCb
from handlers.views import Screen


def _b(text: str, data: str) -> InlineKeyboardButton:
    return InlineKeyboardButton(text=text, callback_data=data)


def intent_label(t: Translator, intent: Intent) -> str:
    """The button for a request, worded as the menu words it."""
    appointments = t.p_("button", "🗓 My appointments")  # changing and cancelling start there
    labels = {
        Intent.BOOK: t.p_("button", "📅 Book an appointment"),
        Intent.APPOINTMENTS: appointments,
        Intent.MOVE: appointments,
        Intent.CANCEL: appointments,
        Intent.MESSAGE: t.p_("button", "✉️ Message my advisor"),
        Intent.LANGUAGE: t.p_("button", "🌐 Language"),
        Intent.PRIVACY: t.p_("button", "🔒 Privacy"),
        # TRANSLATORS: a button that shows what Lotse can do and its commands.
        Intent.HELP: t.p_("button", "❓ Help"),
    }
    return labels[intent]


def which_one(t: Translator, intents: list[Intent]) -> Screen:
    """Typed words that may mean several requests: one button each."""
    rows = [[_b(intent_label(t, i), TypedCb(intent=i).pack())] for i in intents]
    rows.append([_b(t.p_("button", "⬅️ Back to the menu"), MenuCb(item="home").pack())])
    # TRANSLATORS: the client typed words that could mean several things; buttons follow.
    return Screen(t._("What would you like to do?"), InlineKeyboardMarkup(inline_keyboard=rows))


def town_first(t: Translator, sites: list[Site]) -> Screen:
    """A typed message of a client with no town yet: it waits until they choose one."""
    buttons = [_b(site.name, RelayCb(action="town", id=site.id or 0).pack()) for site in sites]
    rows = [buttons[i : i + 2] for i in range(0, len(buttons), 2)]
    # TRANSLATORS: a button under the town question; the typed message is then not sent.
    rows.append([_b(t.p_("button", "✖️ Do not send it"), RelayCb(action="drop").pack())])
    return Screen(
        # TRANSLATORS: the client typed a message but has no advisor and no town yet.
        t._(
            "📍 Your message goes to the advisors in your town. "
            "Please choose your town or district first."
        ),
        InlineKeyboardMarkup(inline_keyboard=rows),
    )


def kept_too(t: Translator) -> str:
    # TRANSLATORS: the client typed more while the town question is open.
    return t._("This will be sent too. Please choose your town or district above.")


def not_sent(t: Translator) -> str:
    # TRANSLATORS: the client tapped "Do not send it" under the town question.
    return t._("Your message was not sent.")
