from __future__ import annotations

import pytest

from bot.slots import BookingPolicy
from config import load_settings
from handlers import build_dispatcher
from tests.telegram.harness import TelegramHarness


@pytest.fixture
def settings():  # type: ignore[no-untyped-def]
    return load_settings(_env_file=None, DATABASE_URL="sqlite+aiosqlite:///unused.db")


@pytest.fixture
def policy(settings) -> BookingPolicy:  # type: ignore[no-untyped-def]
    return settings.booking_policy()


@pytest.fixture
def make_harness(uow_factory, catalogs, clock, settings, policy):  # type: ignore[no-untyped-def]
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
def harness(make_harness) -> TelegramHarness:  # type: ignore[no-untyped-def]
    return make_harness()
