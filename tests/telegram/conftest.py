from __future__ import annotations

import pytest
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.i18n import Catalogs
from bot.ports import UnitOfWorkFactory
from bot.slots import BookingPolicy
from config import Settings
from tests.fakes import FakeClock
from tests.telegram.harness import TelegramHarness
from tests.telegram.world import World, harness_on, settings_with


@pytest.fixture
def settings() -> Settings:
    return settings_with()


@pytest.fixture
def policy(settings: Settings) -> BookingPolicy:
    return settings.booking_policy()


@pytest.fixture
def world(
    uow_factory: UnitOfWorkFactory,
    catalogs: Catalogs,
    clock: FakeClock,
    engine: AsyncEngine,
    settings: Settings,
    policy: BookingPolicy,
) -> World:
    """The usual fixtures in one object, with a harness: a dispatcher and a recorded bot."""
    harness = harness_on(uow_factory, catalogs, clock, settings, policy)
    return World(harness, catalogs, uow_factory, clock, engine, settings, policy)


@pytest.fixture
def harness(world: World) -> TelegramHarness:
    return world.harness
