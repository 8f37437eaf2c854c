"""Screens: the text and buttons of each step, in the reader's language.

Handlers decide which screen to show; the words live here and in the catalogs.
"""

from __future__ import annotations

from dataclasses import dataclass
from zoneinfo import ZoneInfo

from aiogram.types import InlineKeyboardButton, InlineKeyboardMarkup

from bot.domain import Client
from bot.formatting import format_day
from bot.i18n import NATIVE_NAMES, SUPPORTED_LOCALES, Translator, language_label
from bot.services.arrival import Arrival
from handlers.callbacks import ConsentCb, LangCb, MenuCb, PrivacyCb, StartCb


@dataclass(frozen=True)
class Screen:
    text: str
    markup: InlineKeyboardMarkup | None = None


def _button(text: str, data: str) -> InlineKeyboardButton:
    return InlineKeyboardButton(text=text, callback_data=data)


def _rows(*rows: list[InlineKeyboardButton]) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(inline_keyboard=[list(row) for row in rows])


def language_picker(
    t: Translator, *, guessed: tuple[str, ...], current: str | None = None
) -> Screen:
    """Native names in two columns, so that all thirteen fit one phone screen: the current
    choice first, then the guesses (Telegram's `fa` suggests Dari and Farsi), then the
    others in the shipped order, each once; the current choice (else the first guess,
    the language of this screen) marked ✓."""
    mine = [current] if current else []
    order = [c for c in dict.fromkeys([*mine, *guessed, *SUPPORTED_LOCALES]) if c in NATIVE_NAMES]
    marked = current or order[0]
    buttons = [
        _button(("✓ " if code == marked else "") + language_label(code), LangCb(code=code).pack())
        for code in order
    ]
    # TRANSLATORS: one line above the language buttons; shown in the guessed language.
    return Screen(t._("🌐 Please choose your language:"), _rows(*_pairs(buttons)))


def _pairs(buttons: list[InlineKeyboardButton]) -> list[list[InlineKeyboardButton]]:
    return [buttons[i : i + 2] for i in range(0, len(buttons), 2)]


def consent_notice(t: Translator) -> Screen:
    # TRANSLATORS: the short privacy notice, at most about 600 characters. Plain words.
    text = t._(
        "🔒 <b>Your data – in short</b>\n\n"
        "Lotse helps you make appointments with your advisor and reminds you of them.\n\n"
        "We store: your Telegram ID (a number, not your phone number), your language, your "
        "appointments, your messages with your advisor and, for phone appointments, your "
        "phone number. Your advisor may keep short notes, encrypted.\n"
        "Why: so that your advisor can help you.\n"
        "Who sees it: only your advisor and their team.\n"
        "You can delete everything at any time with /privacy.\n\n"
        "Do you agree?"
    )
    return Screen(text, consent_buttons(t, with_more=True))


def translation_notice(t: Translator, providers: list[str]) -> str:
    """Which service translates messages (a transfer to a third party), or that none does."""
    if providers:
        return t._(
            "<b>Translation</b>\n"
            "Your messages to your advisor and their answers are translated by a machine "
            "service: {provider}. For this, the text is sent to that service. It is not "
            "stored there by Lotse.",
            provider=", ".join(providers),
        )
    return t._("<b>Translation</b>\nMessages are not translated by a machine.")


def consent_details(t: Translator, providers: list[str] | None = None) -> Screen:
    # TRANSLATORS: the longer privacy notice behind "Read more". Plain words, short lines.
    # "Telegram ID": the number Telegram gives every account (not the phone number).
    text: str = t._(
        "🔒 <b>Your data in Lotse</b>\n\n"
        "<b>What we store</b>\n"
        "• your Telegram ID (a number from Telegram, not your phone number) and your language\n"
        "• the day you agreed and the day you last used Lotse\n"
        "• the short name your advisor uses for you, and your town or district\n"
        "• your appointments and your messages with your advisor\n"
        "• your phone number, only if you give it for phone appointments\n\n"
        "<b>Notes of your advisor</b>\n"
        "Your advisor may keep short notes about your meetings. They can also be about your "
        "health. The notes are stored encrypted. Only the advisors in your town or district "
        "can read them.\n\n"
        "<b>What Lotse does not ask for</b>\n"
        "Your asylum story and your documents.\n\n"
        "<b>Who sees it</b>\n"
        "Your advisor and their team in your town or district. Nobody else.\n\n"
        "<b>Telegram</b>\n"
        "This chat runs through Telegram. Telegram can see the messages.\n\n"
        "<b>Delete</b>\n"
        "With /privacy you can delete your data at any time. It is deleted at once, and so "
        "are the messages of the last two days in this chat.\n\n"
        "Saying yes is your free choice. If you say no, your advisor still helps you."
    )
    text += "\n\n" + translation_notice(t, providers or [])
    return Screen(text, consent_buttons(t, with_more=False))


def consent_buttons(t: Translator, *, with_more: bool) -> InlineKeyboardMarkup:
    rows = [[_button(t.p_("button", "✅ I agree"), ConsentCb(action="agree").pack())]]
    if with_more:
        rows.append([_button(t.p_("button", "📄 Read more"), ConsentCb(action="more").pack())])
    rows.append([_button(t.p_("button", "No, thanks"), ConsentCb(action="no").pack())])
    return _rows(*rows)


def consent_refused(t: Translator) -> Screen:
    text = t._(
        "All right. We store nothing about you, only your language.\n\n"
        "If you change your mind, tap the button or send /start."
    )
    return Screen(
        text, _rows([_button(t.p_("button", "🔄 Start again"), ConsentCb(action="again").pack())])
    )


def main_menu(t: Translator, *, intro: str | None = None) -> Screen:
    prompt = t._("What would you like to do?")
    text = f"{intro}\n\n{prompt}" if intro else prompt
    return Screen(
        text,
        _rows(
            [_button(t.p_("button", "📅 Book an appointment"), MenuCb(item="book").pack())],
            [_button(t.p_("button", "🗓 My appointments"), MenuCb(item="appts").pack())],
            [_button(t.p_("button", "✉️ Message my advisor"), MenuCb(item="write").pack())],
            [
                _button(t.p_("button", "🌐 Language"), MenuCb(item="lang").pack()),
                _button(t.p_("button", "🔒 Privacy"), MenuCb(item="privacy").pack()),
            ],
        ),
    )


def arrival_note(t: Translator, arrival: Arrival) -> str | None:
    """What the client must know about the link they came by (None: nothing)."""
    if arrival is not Arrival.INVITE_UNUSABLE:
        return None
    # TRANSLATORS: the client opened a personal invitation link from their advisor that
    # is wrong, was used already or has expired. Lotse goes on without it.
    return t._(
        "⚠️ Your personal invitation link does not work: it was used already, it has "
        "expired, or it is not complete. You can use Lotse without it. Your advisor can "
        "send you a new link."
    )


def welcome(t: Translator, arrival: Arrival = Arrival.NOTHING) -> Screen:
    intro = t._("Thank you! Welcome to Lotse.")
    note = arrival_note(t, arrival)
    return main_menu(t, intro=f"{intro}\n\n{note}" if note else intro)


def back_to_menu(t: Translator) -> InlineKeyboardMarkup:
    return _rows([_button(t.p_("button", "⬅️ Back to the menu"), MenuCb(item="home").pack())])


def language_changed(t: Translator, locale: str) -> str:
    return t._("✓ Your language is now {language}.", language=NATIVE_NAMES[locale])


def help_text(t: Translator) -> str:
    return t._(
        "💬 <b>Lotse</b> helps you with appointments with your advisor.\n\n"
        "Main menu: /start\n"
        "Change the language: /language\n"
        "Your data: /privacy\n"
        "Stop the current step: /cancel\n"
        "This help: /help"
    )


def privacy_overview(
    t: Translator, client: Client, zone: ZoneInfo, providers: list[str] | None = None
) -> Screen:
    lines = [t._("🔒 <b>Your data in Lotse</b>"), ""]
    lines.append(
        t._("Language: {language}", language=NATIVE_NAMES.get(client.locale, client.locale))
    )
    if client.consented_at is not None:
        day = format_day(client.consented_at, client.locale, zone)
        lines.append(t._("You agreed on: {day}", day=day))
    if client.phone:
        lines.append(t._("Phone number: {phone}", phone=client.phone))
    if client.case_manager_id is not None:
        lines.append(t._("An advisor is assigned to you."))
    else:
        lines.append(t._("No advisor is assigned to you yet."))
    questions_on = client.followups_off_at is None
    lines.append(
        t._("Questions about offers from your advisor: on")
        if questions_on
        else t._("Questions about offers from your advisor: off")
    )
    news_on = client.announcements_off_at is None
    lines.append(
        t._("Announcements from your advice centre: on")
        if news_on
        else t._("Announcements from your advice centre: off")
    )
    lines.append("")
    lines.append(translation_notice(t, providers or []))
    lines.append("")
    lines.append(
        t._("You can withdraw your consent at any time. Then we delete your data at once.")
    )
    questions = (
        _button(t.p_("button", "🔕 No questions about offers"), PrivacyCb(action="qoff").pack())
        if questions_on
        else _button(
            t.p_("button", "🔔 Questions about offers again"), PrivacyCb(action="qon").pack()
        )
    )
    news = (
        _button(t.p_("button", "🔕 No announcements"), PrivacyCb(action="aoff").pack())
        if news_on
        else _button(t.p_("button", "🔔 Announcements again"), PrivacyCb(action="aon").pack())
    )
    return Screen(
        "\n".join(lines),
        _rows(
            [
                _button(
                    t.p_("button", "📄 Read the privacy notice"), PrivacyCb(action="notice").pack()
                )
            ],
            [_button(t.p_("button", "📦 Download my data"), PrivacyCb(action="export").pack())],
            [questions],
            [news],
            [_button(t.p_("button", "🗑 Delete my data"), PrivacyCb(action="delete").pack())],
            [_button(t.p_("button", "⬅️ Back to the menu"), MenuCb(item="home").pack())],
        ),
    )


def privacy_notice_for_client(t: Translator, providers: list[str] | None = None) -> Screen:
    details = consent_details(t, providers)
    return Screen(
        details.text, _rows([_button(t.p_("button", "⬅️ Back"), MenuCb(item="privacy").pack())])
    )


def confirm_delete(t: Translator) -> Screen:
    text: str = t._(
        "🗑 Do you really want to delete your data?\n\n"
        "Lotse then forgets you. You can start again at any time."
    )
    # TRANSLATORS: a second paragraph of the question "delete your data?".
    text += "\n\n" + t._(
        "Appointments you have booked are cancelled, and your advisor is told (without details)."
    )
    return Screen(
        text,
        _rows(
            [_button(t.p_("button", "Yes, delete my data"), PrivacyCb(action="confirm").pack())],
            [_button(t.p_("button", "No, keep my data"), PrivacyCb(action="keep").pack())],
        ),
    )


def deleted(t: Translator) -> Screen:
    text = t._(
        "✓ Your data is deleted. Thank you for using Lotse.\n\n"
        "You can also delete this chat: tap and hold the chat, then tap “Delete”.\n"
        "To start again, send /start."
    )
    return Screen(text, _rows([_button(t.p_("button", "🔄 Start again"), StartCb().pack())]))


def kept(t: Translator) -> str:
    return t._("Good, nothing was deleted.")


def not_understood(t: Translator, kind: str) -> str:
    if kind == "command":
        return t._("Sorry, I do not know this command. Please tap a button below.")
    if kind == "media":
        return t._(
            "Sorry, I cannot open voice messages, pictures or files here. Please tap a button below."
        )
    return t._("Sorry, I can only understand the buttons for now. Please tap a button below.")


def not_understood_in_flow(t: Translator, kind: str) -> str:
    # TRANSLATORS: the client is in the middle of a step with buttons (e.g. booking) and
    # typed or sent something instead; the step stays open. /cancel stays in Latin letters.
    if kind == "command":
        return t._(
            "Sorry, I do not know this command. Please tap one of the buttons above, "
            "or send /cancel to stop."
        )
    if kind == "media":
        return t._(
            "Sorry, I cannot open voice messages, pictures or files here. Please tap one "
            "of the buttons above, or send /cancel to stop."
        )
    return t._(
        "Sorry, here I only understand the buttons. Please tap one of the buttons above, "
        "or send /cancel to stop."
    )


def consent_first(t: Translator) -> str:
    # TRANSLATORS: short pop-up (max 200 characters) when a menu button is tapped before consent.
    return t._("Please answer the privacy question first.")


def stale_button(t: Translator) -> str:
    # TRANSLATORS: short pop-up (max 200 characters) for an old or broken button.
    return t._("This button no longer works. Here is what you can do now.")


def cancelled(t: Translator, *, had_flow: bool) -> str:
    if had_flow:
        return t._("Stopped. Nothing was changed.")
    return t._("There is nothing to stop.")


def failure(t: Translator) -> str:
    return t._("Sorry, something went wrong on our side. Please try again in a few minutes.")


def command_descriptions(t: Translator) -> list[tuple[str, str]]:
    return [
        ("start", t._("Main menu")),
        ("language", t._("Change the language")),
        ("privacy", t._("Your data")),
        ("help", t._("Help")),
        ("cancel", t._("Stop the current step")),
    ]
