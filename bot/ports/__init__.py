"""Ports: what the core needs from the outside, as Protocols.

`storage/` implements the repositories (bot/ports/repositories.py) and the unit of work
(below); handlers/plumbing implements the Notifier (bot/ports/notifier.py); tests may
use fakes. Everything is importable from `bot.ports`.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from types import TracebackType
from typing import Protocol

from bot.ports.announcements import AnnouncementRepository, AnnouncementSender
from bot.ports.console import ConsoleRepository
from bot.ports.later import LaterRepository, ReadyReplyRepository
from bot.ports.metrics import NO_METRICS, Metrics, NoMetrics
from bot.ports.notifier import Notifier, Outcome, SendPace, SendResult
from bot.ports.referrals import ReferralRepository
from bot.ports.repositories import (
    AppointmentRepository,
    AuditQuery,
    AuditRepository,
    ClientRepository,
    ConversationStateRepository,
    DaysOffRepository,
    DeputyRepository,
    DigestRepository,
    HoursRepository,
    InviteRepository,
    MessageDeletionRepository,
    NoteRepository,
    OfferQuery,
    OfferRepository,
    PrivacyRepository,
    ProcessedUpdateRepository,
    RelayRepository,
    ReminderRepository,
    SiteRepository,
    StaffRepository,
)
from bot.ports.waitlist import WaitlistRepository


class Clock(Protocol):
    def now(self) -> datetime:
        """Aware UTC now."""
        ...


class SystemClock:
    def now(self) -> datetime:
        return datetime.now(UTC)


class UnitOfWork(Protocol):
    # Read-only: an implementation may open its repositories lazily (cached_property).
    @property
    def clients(self) -> ClientRepository: ...
    @property
    def sites(self) -> SiteRepository: ...
    @property
    def staff(self) -> StaffRepository: ...
    @property
    def updates(self) -> ProcessedUpdateRepository: ...
    @property
    def conversations(self) -> ConversationStateRepository: ...
    @property
    def hours(self) -> HoursRepository: ...
    @property
    def days_off(self) -> DaysOffRepository: ...
    @property
    def appointments(self) -> AppointmentRepository: ...
    @property
    def invites(self) -> InviteRepository: ...
    @property
    def reminders(self) -> ReminderRepository: ...
    @property
    def digests(self) -> DigestRepository: ...
    @property
    def offers(self) -> OfferRepository: ...
    @property
    def notes(self) -> NoteRepository: ...
    @property
    def audit(self) -> AuditRepository: ...
    @property
    def deputies(self) -> DeputyRepository: ...
    @property
    def deletions(self) -> MessageDeletionRepository: ...
    @property
    def relay(self) -> RelayRepository: ...
    @property
    def privacy(self) -> PrivacyRepository: ...
    @property
    def console(self) -> ConsoleRepository: ...
    @property
    def referrals(self) -> ReferralRepository: ...
    @property
    def waitlist(self) -> WaitlistRepository: ...
    @property
    def later(self) -> LaterRepository: ...
    @property
    def ready_replies(self) -> ReadyReplyRepository: ...
    @property
    def announcements(self) -> AnnouncementRepository: ...

    async def __aenter__(self) -> UnitOfWork: ...
    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None: ...
    async def commit(self) -> None: ...
    async def rollback(self) -> None: ...


UnitOfWorkFactory = Callable[[], UnitOfWork]


class DuplicateError(Exception):
    """Raised by repositories when a unique key already exists."""


class SealBrokenError(Exception):
    """A sealed text (NoteRepository.seal) does not open with the notes keys there are."""


__all__ = [
    "AnnouncementRepository",
    "AnnouncementSender",
    "AppointmentRepository",
    "AuditQuery",
    "AuditRepository",
    "ClientRepository",
    "Clock",
    "ConsoleRepository",
    "ConversationStateRepository",
    "DaysOffRepository",
    "DeputyRepository",
    "DigestRepository",
    "DuplicateError",
    "HoursRepository",
    "InviteRepository",
    "LaterRepository",
    "ReadyReplyRepository",
    "MessageDeletionRepository",
    "Metrics",
    "NO_METRICS",
    "NoMetrics",
    "NoteRepository",
    "Notifier",
    "OfferQuery",
    "OfferRepository",
    "Outcome",
    "SendPace",
    "PrivacyRepository",
    "ProcessedUpdateRepository",
    "ReferralRepository",
    "RelayRepository",
    "ReminderRepository",
    "SealBrokenError",
    "SendResult",
    "SiteRepository",
    "WaitlistRepository",
    "StaffRepository",
    "SystemClock",
    "UnitOfWork",
    "UnitOfWorkFactory",
]
