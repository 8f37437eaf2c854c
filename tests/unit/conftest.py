"""Fixtures of the unit suite: the service tests run on the fake unit of work, the emulator
tests on a running emulator with an aiogram Bot pointed at it.

`uow_factory` here overrides the root fixture of that name (a migrated database) for
tests/unit only; `clock` is the root FakeClock, shared with it."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from aiogram import Bot
from aiogram.client.session.aiohttp import AiohttpSession
from aiogram.client.telegram import TelegramAPIServer

from emulator import Emulator, EmulatorServer
from tests.fake_uow import FakeUnitOfWorkFactory
from tests.fakes import FakeClock

TOKEN = "123:emulator-test"


@pytest.fixture
def uow_factory(clock: FakeClock) -> FakeUnitOfWorkFactory:
    return FakeUnitOfWorkFactory(clock=clock)


@pytest.fixture
def emulator() -> Emulator:
    """The emulator's state behind `server`; a module may override it (say, rate-limited)."""
    return Emulator()


@pytest.fixture
async def server(emulator: Emulator) -> AsyncIterator[EmulatorServer]:
    server = EmulatorServer(emulator)
    await server.start()
    yield server
    await server.stop()


@pytest.fixture
def bot_url(server: EmulatorServer) -> str:
    """The Bot API base of the emulator for the test token (ends before /<method>)."""
    return f"{server.base_url}/bot{TOKEN}"


@pytest.fixture
async def bot(server: EmulatorServer) -> AsyncIterator[Bot]:
    bot = Bot(TOKEN, session=AiohttpSession(api=TelegramAPIServer.from_base(server.base_url)))
    yield bot
    await bot.session.close()
