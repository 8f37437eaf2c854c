"""Referrals: an offer a case manager sent to a client, and the client's answer to the
one follow-up question ("Did you go?"). Plain dataclasses, no framework."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from bot.domain import Client


class ReferralAnswer(StrEnum):
    """What the client answered to "Did you go to ...?"."""

    HELPED = "helped"  # went, and it helped
    NO_HELP = "no_help"  # went, it did not help
    NOT_WENT = "not_went"  # did not go (a reason may follow)


class ReferralReason(StrEnum):
    """Why the client did not go."""

    FAR = "far"
    LANGUAGE = "language"
    NOT_ALLOWED = "not_allowed"  # residence status (Duldung, Gestattung)
    FULL = "full"  # full, or a waiting list
    COST = "cost"
    OTHER = "other"


#: Reasons that, said often enough about one offer at one site, go to its coordinator.
FLAGGED_REASONS = (ReferralReason.NOT_ALLOWED, ReferralReason.FULL)


class FollowupStatus(StrEnum):
    """The follow-up question's row: pending -> sending (claimed, with a lease) -> asked;
    or never asked: off (no follow-up wanted), skipped (switched off meanwhile), failed
    (the client blocked the bot or Telegram refused for good), expired (refused for passing
    reasons for too long)."""

    PENDING = "pending"
    SENDING = "sending"
    ASKED = "asked"
    OFF = "off"
    SKIPPED = "skipped"
    FAILED = "failed"
    EXPIRED = "expired"


@dataclass(frozen=True)
class Referral:
    id: int | None
    client_id: int
    offer_id: int | None
    staff_id: int | None
    site_id: int | None
    offer_title: str
    life_areas: str  # ';'-joined, as the offer had them when it was sent
    sent_at: datetime
    status: FollowupStatus = FollowupStatus.OFF
    due_at: datetime | None = None
    asked_at: datetime | None = None
    answer: ReferralAnswer | None = None
    reason: ReferralReason | None = None
    answered_at: datetime | None = None
    seen_at: datetime | None = None  # when the case manager saw the answer in the agenda


@dataclass(frozen=True)
class FollowupJob:
    """A claimed follow-up question with what sending it needs."""

    referral: Referral
    claim_token: str
    attempts: int
    client: Client


@dataclass(frozen=True)
class ReferralFlag:
    """An offer that clients of a site often could not use for one reason."""

    offer_id: int
    site_id: int
    reason: ReferralReason
    offer_title: str
    count: int
    flagged_at: datetime


#: Between an offer's title (or a life area) and an outcome in the statistics'
#: categories ("Deutschkurs A1 | helped"): titles and outcomes never end in it.
OUTCOME_SEPARATOR = " | "


def outcome_key(
    status: FollowupStatus, answer: ReferralAnswer | None, reason: ReferralReason | None
) -> str:
    """One word for what became of a referral (statistics, labels): the answer ("helped",
    "no_help"), the reason for not going ("far", ..., or "not_went" without one), or where
    the question stands ("no_answer" when asked, "waiting" before, "not_asked")."""
    if answer is ReferralAnswer.NOT_WENT:
        return reason.value if reason is not None else answer.value
    if answer is not None:
        return answer.value
    if status is FollowupStatus.ASKED:
        return "no_answer"
    if status in (FollowupStatus.PENDING, FollowupStatus.SENDING):
        return "waiting"
    return "not_asked"
