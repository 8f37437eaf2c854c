from __future__ import annotations

from collections.abc import Callable

import pytest

from bot.i18n import Catalogs
from bot.ports import UnitOfWorkFactory
from bot.slots import BookingPolicy
from config import Settings, load_settings
from handlers import build_dispatcher
from tests.fakes import FakeClock
from tests.telegram.harness import TelegramHarness


@pytest.fixture
def settings() -> Settings:
    return load_settings(_env_file=None, DATABASE_URL="sqlite+aiosqlite:///unused.db")


@pytest.fixture
def policy(settings: Settings) -> BookingPolicy:
    return settings.booking_policy()


@pytest.fixture
def make_harness(
    uow_factory: UnitOfWorkFactory,
    catalogs: Catalogs,
    clock: FakeClock,
    settings: Settings,
    policy: BookingPolicy,
) -> Callable[[], TelegramHarness]:
    """A new dispatcher and bot on the same database: what a restarted process is."""

    def make() -> TelegramHarness:
        return TelegramHarness(
            build_dispatcher(
                uow_factory=uow_factory,
                catalogs=catalogs,
                clock=clock,
                settings=settings,
                policy=policy,
            )
        )

    return make


@pytest.fixture
def harness(make_harness: Callable[[], TelegramHarness]) -> TelegramHarness:
    return make_harness()
