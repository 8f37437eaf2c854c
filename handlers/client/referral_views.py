"""The follow-up question about an offer sent to the client (in the client's language),
and the lines a case manager reads about referrals (in theirs)."""

from __future__ import annotations

from html import escape
from zoneinfo import ZoneInfo

from aiogram.types import InlineKeyboardButton, InlineKeyboardMarkup

from bot.domain import Client
from bot.i18n import Translator
from bot.referral_words import outcome_label as outcome_label
from bot.referral_words import reason_label as reason_label
from bot.referrals import (
    Referral,
    ReferralFlag,
    ReferralReason,
    outcome_key,
)
from handlers import labels
from handlers.callbacks import MenuCb, RefCb
from handlers.views import Screen


def _b(text: str, data: str) -> InlineKeyboardButton:
    return InlineKeyboardButton(text=text, callback_data=data)


def question(t: Translator, referral: Referral, zone: ZoneInfo) -> Screen:
    ident = referral.id or 0
    text = t._(
        # TRANSLATORS: the one follow-up question, some days after the case manager sent
        # the client an offer (a course, an advice service); {offer} is its title.
        "📌 On {day} your advisor sent you this offer: <b>{offer}</b>.\n\nDid you go there?",
        day=labels.day_label(t, referral.sent_at, zone),
        offer=referral.offer_title,
    )
    return Screen(
        text,
        InlineKeyboardMarkup(
            inline_keyboard=[
                [_b(t.p_("button", "👍 I went, it helped"), RefCb(action="ok", id=ident).pack())],
                [
                    _b(
                        t.p_("button", "😐 I went, it did not help"),
                        RefCb(action="meh", id=ident).pack(),
                    )
                ],
                [_b(t.p_("button", "🚫 I did not go"), RefCb(action="no", id=ident).pack())],
                [
                    _b(
                        t.p_("button", "🔕 I don't want these questions"),
                        RefCb(action="stop", id=ident).pack(),
                    )
                ],
            ]
        ),
    )


def reasons(t: Translator, referral_id: int) -> Screen:
    rows = [
        [_b(reason_label(t, r), RefCb(action="why", id=referral_id, value=r.value).pack())]
        for r in ReferralReason
    ]
    return Screen(t._("Why did you not go?"), InlineKeyboardMarkup(inline_keyboard=rows))


def _menu_row(t: Translator) -> list[InlineKeyboardButton]:
    return [_b(t.p_("button", "⬅️ Back to the menu"), MenuCb(item="home").pack())]


def thanks(t: Translator) -> Screen:
    return Screen(
        t._("Thank you! Your advisor will see your answer."),
        InlineKeyboardMarkup(inline_keyboard=[_menu_row(t)]),
    )


def already(t: Translator) -> str:
    # TRANSLATORS: short pop-up (max 200 characters): the question was answered before.
    return t._("You have already answered this question. Thank you!")


def stopped(t: Translator) -> Screen:
    return Screen(
        t._(
            "🔕 All right: we will not ask you about offers any more. "
            "You can switch the questions on again under Privacy."
        ),
        InlineKeyboardMarkup(inline_keyboard=[_menu_row(t)]),
    )


# ----- what a case manager reads (in their language) -----------------------------------


def outcome(t: Translator, referral: Referral) -> str:
    """What became of a referral: the client's answer, or where the question stands."""
    return outcome_label(t, outcome_key(referral.status, referral.answer, referral.reason))


def client_lines(t: Translator, referrals: list[Referral], zone: ZoneInfo) -> list[str]:
    """The offers sent to a client and what became of them (the client's entry)."""
    if not referrals:
        return []
    lines: list[str] = [t._("📌 Offers sent:")]
    for r in referrals:
        day = labels.day_label(t, r.sent_at, zone)
        lines.append(f"• {day} · {escape(r.offer_title)}: {outcome(t, r)}")
    return lines


def agenda_lines(t: Translator, answers: list[tuple[Referral, Client]], *, new: bool) -> list[str]:
    """The agenda's "follow-ups": new answers since the last look, or the latest few."""
    if not answers:
        return []
    head = t._("📬 Follow-ups, new answers:") if new else t._("📬 Follow-ups, latest answers:")
    lines: list[str] = [head]
    for r, client in answers:
        who = escape(labels.client_name(t, client.nickname, client.id or 0))
        lines.append(f"• {who} · {escape(r.offer_title)}: {outcome(t, r)}")
    return lines


def flag(t: Translator, flagged: ReferralFlag) -> str:
    """To the site's coordinator: an offer clients often could not use."""
    if flagged.reason is ReferralReason.FULL:
        return t.n_(
            "⚠️ Offer <b>{offer}</b>: {n} person said in the last 90 days that it was full "
            "or had a waiting list. Please check the offer.",
            "⚠️ Offer <b>{offer}</b>: {n} people said in the last 90 days that it was full "
            "or had a waiting list. Please check the offer.",
            flagged.count,
            offer=flagged.offer_title,
        )
    return t.n_(
        "⚠️ Offer <b>{offer}</b>: {n} person said in the last 90 days that they were not "
        "allowed in because of their residence status. Please check the offer.",
        "⚠️ Offer <b>{offer}</b>: {n} people said in the last 90 days that they were not "
        "allowed in because of their residence status. Please check the offer.",
        flagged.count,
        offer=flagged.offer_title,
    )
