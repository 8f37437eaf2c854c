from __future__ import annotations

import pytest

from config import load_settings
from handlers import build_dispatcher
from tests.telegram.harness import TelegramHarness


@pytest.fixture
def settings():  # type: ignore[no-untyped-def]
    return load_settings(_env_file=None, DATABASE_URL="sqlite+aiosqlite:///unused.db")


@pytest.fixture
def harness(uow_factory, catalogs, clock, settings) -> TelegramHarness:  # type: ignore[no-untyped-def]
    dispatcher = build_dispatcher(
        uow_factory=uow_factory, catalogs=catalogs, clock=clock, settings=settings
    )
    return TelegramHarness(dispatcher)
