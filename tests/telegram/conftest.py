from __future__ import annotations

import pytest
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.i18n import Catalogs
from bot.ports import UnitOfWorkFactory
from config import Settings
from tests.fakes import FakeClock
from tests.telegram.harness import TelegramHarness
from tests.telegram.world import World, settings_with


@pytest.fixture
def settings() -> Settings:
    return settings_with()


@pytest.fixture
def world(
    uow_factory: UnitOfWorkFactory,
    catalogs: Catalogs,
    clock: FakeClock,
    engine: AsyncEngine,
    settings: Settings,
) -> World:
    """The usual fixtures in one object; its harness (a dispatcher and a recorded bot) is built
    when a test first asks for it."""
    return World(catalogs, uow_factory, clock, engine, settings)


@pytest.fixture
def harness(world: World) -> TelegramHarness:
    return world.harness
