"""What the integration tests share: the usual database fixtures in one parameter, and the
steps many of them start from (the people come from tests/unit/service_setup.py, the same
world the fake unit of work is tested on)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import pytest
from sqlalchemy import Executable
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.domain import LifeArea
from bot.ports import UnitOfWorkFactory
from bot.services import booking
from bot.slots import BookingPolicy
from tests.fakes import FakeClock
from tests.helpers import id_of
from tests.unit.service_setup import POLICY


@dataclass(frozen=True)
class Db:
    """A migrated database (tests/conftest.py) with its unit-of-work factory and clock."""

    engine: AsyncEngine
    uow_factory: UnitOfWorkFactory
    clock: FakeClock
    database_url: str

    async def scalar(self, statement: Executable, params: dict[str, Any] | None = None) -> Any:
        """The first column of the first row, read past the repositories."""
        async with self.engine.connect() as connection:
            return await connection.scalar(statement, params)

    async def rows(self, statement: Executable) -> Sequence[Any]:
        """All rows of a statement, read past the repositories."""
        async with self.engine.connect() as connection:
            return (await connection.execute(statement)).all()

    async def book(
        self,
        client_id: int,
        staff_id: int,
        starts_at: datetime,
        *,
        policy: BookingPolicy = POLICY,
        topic: LifeArea = LifeArea.WORK,
    ) -> booking.BookingOutcome:
        """Book through the service, as the client would."""
        return await booking.book_appointment(
            self.uow_factory,
            self.clock,
            policy,
            client_id=client_id,
            staff_id=staff_id,
            starts_at=starts_at,
            topic=topic,
        )

    async def move(
        self,
        outcome: booking.BookingOutcome,
        starts_at: datetime,
        *,
        policy: BookingPolicy = POLICY,
    ) -> tuple[booking.BookingOutcome, datetime]:
        """Move a booked appointment to another time with the same case manager."""
        return await booking.move_appointment(
            self.uow_factory,
            self.clock,
            policy,
            appointment_id=id_of(outcome.appointment),
            staff_id=id_of(outcome.staff),
            starts_at=starts_at,
            client_id=outcome.client.id,
        )


@pytest.fixture
def db(
    engine: AsyncEngine, uow_factory: UnitOfWorkFactory, clock: FakeClock, database_url: str
) -> Db:
    return Db(engine, uow_factory, clock, database_url)
