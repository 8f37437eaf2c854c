"""Unit of work: one session, rolled back unless the service commits."""

from __future__ import annotations

from functools import cached_property
from types import TracebackType

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.ports import Clock, UnitOfWorkFactory
from storage.announcement_repositories import SqlAnnouncements
from storage.booking_repositories import SqlAppointments, SqlDaysOff, SqlHours, SqlInvites
from storage.console_repositories import SqlConsole
from storage.later_repositories import SqlLater, SqlReadyReplies
from storage.note_repositories import SqlAudit, SqlDeputies, SqlMessageDeletions, SqlNotes
from storage.offer_repositories import SqlOffers
from storage.privacy_repositories import SqlPrivacy
from storage.referral_repositories import SqlReferrals
from storage.relay_repositories import SqlRelay
from storage.reminder_repositories import SqlDigests, SqlReminders
from storage.repositories import (
    SqlClients,
    SqlConversations,
    SqlProcessedUpdates,
    SqlSites,
    SqlStaff,
)
from storage.waitlist_repositories import SqlWaitlist


class SqlUnitOfWork:
    def __init__(self, sessions: async_sessionmaker[AsyncSession], clock: Clock) -> None:
        self._sessions = sessions
        self._clock = clock
        self._session: AsyncSession | None = None

    async def __aenter__(self) -> SqlUnitOfWork:
        self._session = self._sessions()
        return self

    # Repositories are made when first used: most units of work need one or two.
    @cached_property
    def clients(self) -> SqlClients:
        return SqlClients(self._open(), self._clock.now)

    @cached_property
    def sites(self) -> SqlSites:
        return SqlSites(self._open())

    @cached_property
    def staff(self) -> SqlStaff:
        return SqlStaff(self._open())

    @cached_property
    def updates(self) -> SqlProcessedUpdates:
        return SqlProcessedUpdates(self._open())

    @cached_property
    def conversations(self) -> SqlConversations:
        return SqlConversations(self._open())

    @cached_property
    def hours(self) -> SqlHours:
        return SqlHours(self._open())

    @cached_property
    def days_off(self) -> SqlDaysOff:
        return SqlDaysOff(self._open())

    @cached_property
    def appointments(self) -> SqlAppointments:
        return SqlAppointments(self._open())

    @cached_property
    def invites(self) -> SqlInvites:
        return SqlInvites(self._open())

    @cached_property
    def reminders(self) -> SqlReminders:
        return SqlReminders(self._open())

    @cached_property
    def digests(self) -> SqlDigests:
        return SqlDigests(self._open())

    @cached_property
    def offers(self) -> SqlOffers:
        return SqlOffers(self._open())

    @cached_property
    def notes(self) -> SqlNotes:
        return SqlNotes(self._open())

    @cached_property
    def audit(self) -> SqlAudit:
        return SqlAudit(self._open())

    @cached_property
    def deputies(self) -> SqlDeputies:
        return SqlDeputies(self._open())

    @cached_property
    def deletions(self) -> SqlMessageDeletions:
        return SqlMessageDeletions(self._open())

    @cached_property
    def relay(self) -> SqlRelay:
        return SqlRelay(self._open())

    @cached_property
    def privacy(self) -> SqlPrivacy:
        return SqlPrivacy(self._open())

    @cached_property
    def console(self) -> SqlConsole:
        return SqlConsole(self._open())

    @cached_property
    def referrals(self) -> SqlReferrals:
        return SqlReferrals(self._open())

    @cached_property
    def waitlist(self) -> SqlWaitlist:
        return SqlWaitlist(self._open(), self._clock.now)

    @cached_property
    def later(self) -> SqlLater:
        return SqlLater(self._open())

    @cached_property
    def ready_replies(self) -> SqlReadyReplies:
        return SqlReadyReplies(self._open())

    @cached_property
    def announcements(self) -> SqlAnnouncements:
        return SqlAnnouncements(self._open())

    def _open(self) -> AsyncSession:
        if self._session is None:
            raise RuntimeError("a unit of work is used inside `async with` only")
        return self._session

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        assert self._session is not None
        try:
            await self._session.rollback()
        finally:
            await self._session.close()
            self._session = None

    async def commit(self) -> None:
        assert self._session is not None
        await self._session.commit()

    async def rollback(self) -> None:
        assert self._session is not None
        await self._session.rollback()


def make_uow_factory(sessions: async_sessionmaker[AsyncSession], clock: Clock) -> UnitOfWorkFactory:
    def factory() -> SqlUnitOfWork:
        return SqlUnitOfWork(sessions, clock)

    return factory
