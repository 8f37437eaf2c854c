"""What a typed day, time or topic is answered with inside a booking (issue 19, item 3):
one line for the step, and a way out; the same lines for a case manager booking for a
client (in the case manager's language)."""

from __future__ import annotations

from aiogram.types import InlineKeyboardButton, InlineKeyboardMarkup

from bot.i18n import Translator
from handlers.callbacks import MenuCb
from handlers.views import Screen


def topic_hint(t: Translator, example: str) -> str:
    # TRANSLATORS: one line under the topic buttons, when what was typed is no topic.
    # {example} is a topic's name as on its button, e.g. "Housing".
    return t._("Tap a topic above, or type one, for example {example}.", example=example)


def day_hint(t: Translator, example: str) -> str:
    # TRANSLATORS: one line under the day buttons, when what was typed is no day.
    # {example} is a weekday offered, e.g. "Thursday".
    return t._("Tap a day above, or type one, for example {example}.", example=example)


def time_hint(t: Translator, example: str) -> str:
    # TRANSLATORS: one line under the time buttons, when what was typed is no time.
    # {example} is a time offered, e.g. "14:30".
    return t._("Tap a time above, or type one, for example {example}.", example=example)


def buttons_hint(t: Translator) -> str:
    # TRANSLATORS: one line when something was typed at a step that has only buttons
    # (how to meet, interpreter, the summary).
    return t._("Please tap one of the buttons above.")


def no_free_day(t: Translator, day: str) -> str:
    # TRANSLATORS: a day was typed (e.g. "Monday", "12.01.") that has no free times; the
    # days that have some follow. {day} is e.g. "Monday" or "Monday, 12 January".
    return t._("Sorry, there are no free times on {day}.", day=day)


def time_not_free(t: Translator, time: str, day: str) -> str:
    # TRANSLATORS: a time was typed (e.g. "14:30") that is not free on the day shown; the
    # nearest free times follow as buttons. {day} is e.g. "Thursday, 26 November".
    return t._("Sorry, {time} is not free on {day}.", time=time, day=day)


def client_hint(t: Translator, text: str) -> Screen:
    """The hint for a client, with the way back to the menu (which ends the booking)."""
    back = InlineKeyboardButton(
        text=t.p_("button", "⬅️ Back to the menu"), callback_data=MenuCb(item="home").pack()
    )
    return Screen(text, InlineKeyboardMarkup(inline_keyboard=[[back]]))
