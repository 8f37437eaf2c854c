"""What the core asks the transport to do (send, delete, tell staff), and what a send
can come back with."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Protocol

from bot.domain import Appointment, Client, Erasure, Offer, ReminderJob, Staff, WaitOfferJob
from bot.later import LaterJob
from bot.referrals import FollowupJob


class Outcome(StrEnum):
    SENT = "sent"
    RETRY = "retry"  # rate limited or a passing network error: try again later
    BLOCKED = "blocked"  # the client blocked the bot
    FAILED = "failed"  # Telegram refused for good (chat gone, bad request)


@dataclass(frozen=True)
class SendResult:
    outcome: Outcome
    retry_after: float = 0.0


class SendPace(Protocol):
    """The overall send rate, shared by every process that sends for this bot: the
    database's (storage/send_pace.py) or, in a single process, an in-memory limiter."""

    async def acquire(self) -> None:
        """Return when this send may go out."""
        ...


class Notifier(Protocol):
    """What the core asks the transport to do: send, delete, tell staff. Implemented by
    the Telegram adapter (handlers/plumbing/notifier.py), through its rate limit; each
    message in the reader's language."""

    async def send_reminder(self, job: ReminderJob) -> SendResult: ...
    async def send_agenda(
        self, staff: Staff, appointments: list[tuple[Appointment, Client]], day_start: datetime
    ) -> SendResult: ...
    async def send_offer_review(self, staff: Staff, offers: list[Offer]) -> SendResult: ...
    async def send_followup(self, job: FollowupJob) -> SendResult:
        """The one question "Did you go to ...?" about a sent offer, in the client's language."""
        ...

    async def send_wait_offer(self, job: WaitOfferJob) -> SendResult:
        """A freed time offered to a waiting client, with a one-tap "Book it"."""
        ...

    async def send_wait_gone(self, job: WaitOfferJob) -> SendResult:
        """Someone else took the time offered to this client; they stay on the list."""
        ...

    async def send_later(self, job: LaterJob) -> SendResult:
        """A case manager's answer kept for later (typed text translated now, or a ready
        reply in the client's language), to the client."""
        ...

    async def tell_unreachable(self, staff: Staff, client: Client) -> None:
        """The client blocked the bot: their case manager is told once."""
        ...

    async def warn_retention(self, staff: Staff, client: Client, erase_on: datetime) -> None:
        """The client will be erased for inactivity on `erase_on` (two weeks ahead)."""
        ...

    async def tell_erasure(self, erasure: Erasure, *, inactive: bool) -> None:
        """The bot's recent messages in the client's chat go; their case managers learn
        which times were cancelled and what became of the notes."""
        ...

    async def delete_message(self, chat_id: int, message_id: int) -> bool:
        """True when there is nothing more to do (deleted, or gone for good);
        False for a passing failure (network, rate limit): try again later."""
        ...
