"""Unit of work: one session, rolled back unless the service commits."""

from __future__ import annotations

from types import TracebackType

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.ports import Clock, UnitOfWorkFactory
from storage.booking_repositories import SqlAppointments, SqlDaysOff, SqlHours, SqlInvites
from storage.note_repositories import SqlAudit, SqlDeputies, SqlMessageDeletions, SqlNotes
from storage.offer_repositories import SqlOffers
from storage.privacy_repositories import SqlPrivacy
from storage.relay_repositories import SqlRelay
from storage.reminder_repositories import SqlDigests, SqlReminders
from storage.repositories import (
    SqlClients,
    SqlConversations,
    SqlProcessedUpdates,
    SqlSites,
    SqlStaff,
)


class SqlUnitOfWork:
    def __init__(self, sessions: async_sessionmaker[AsyncSession], clock: Clock) -> None:
        self._sessions = sessions
        self._clock = clock
        self._session: AsyncSession | None = None

    async def __aenter__(self) -> SqlUnitOfWork:
        self._session = self._sessions()
        session = self._session
        self.clients = SqlClients(session, self._clock.now)
        self.sites = SqlSites(session)
        self.staff = SqlStaff(session)
        self.updates = SqlProcessedUpdates(session)
        self.conversations = SqlConversations(session)
        self.hours = SqlHours(session)
        self.days_off = SqlDaysOff(session)
        self.appointments = SqlAppointments(session)
        self.invites = SqlInvites(session)
        self.reminders = SqlReminders(session)
        self.digests = SqlDigests(session)
        self.offers = SqlOffers(session)
        self.notes = SqlNotes(session)
        self.audit = SqlAudit(session)
        self.deputies = SqlDeputies(session)
        self.deletions = SqlMessageDeletions(session)
        self.relay = SqlRelay(session)
        self.privacy = SqlPrivacy(session)
        return self

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

    return factory  # type: ignore[return-value]
