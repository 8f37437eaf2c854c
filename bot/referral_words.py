"""The words of a referral's answer in the reader's language, for every adapter (the
client's buttons, the case manager's entry and agenda, the statistics chart)."""

from __future__ import annotations

from bot.i18n import Markup, Translator
from bot.referrals import ReferralAnswer, ReferralReason


def reason_label(t: Translator, reason: ReferralReason) -> str:
    return {
        ReferralReason.FAR: t.p_("button", "📍 Too far away"),
        ReferralReason.LANGUAGE: t.p_("button", "🗣 Language"),
        # TRANSLATORS: a reason for not going to an offer: the residence status (Duldung,
        # Gestattung) did not allow it.
        ReferralReason.NOT_ALLOWED: t.p_("button", "🛂 Not allowed (residence status)"),
        ReferralReason.FULL: t.p_("button", "⏳ Full or waiting list"),
        ReferralReason.COST: t.p_("button", "💶 Costs money"),
        ReferralReason.OTHER: t.p_("button", "❓ Another reason"),
    }[reason]


def outcome_label(t: Translator, key: str, *, emoji: bool = True) -> str:
    """A bot.referrals.outcome_key in the reader's language (the chart's font has no
    emoji: `emoji=False`)."""
    reasons = {r.value: r for r in ReferralReason}
    if key in reasons:
        why = Markup(reason_label(t, reasons[key]).split(" ", 1)[-1])  # without its emoji
        mark, text = "🚫", t._("did not go: {reason}", reason=why)
    else:
        mark, text = {
            ReferralAnswer.HELPED.value: ("👍", t._("went, it helped")),
            ReferralAnswer.NO_HELP.value: ("😐", t._("went, it did not help")),
            ReferralAnswer.NOT_WENT.value: ("🚫", t._("did not go")),
            "no_answer": ("", t._("asked, no answer yet")),
            "waiting": ("", t._("not asked yet")),
        }.get(key, ("", t._("not asked")))
    return f"{mark} {text}" if mark and emoji else text
