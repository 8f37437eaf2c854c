"""Fixtures of the unit suite: the service tests run on the fake unit of work.

`uow_factory` here overrides the root fixture of that name (a migrated database) for
tests/unit only; `clock` is the root FakeClock, shared with it."""

from __future__ import annotations

import pytest

from tests.fake_uow import FakeUnitOfWorkFactory
from tests.fakes import FakeClock


@pytest.fixture
def uow_factory(clock: FakeClock) -> FakeUnitOfWorkFactory:
    return FakeUnitOfWorkFactory(clock=clock)
