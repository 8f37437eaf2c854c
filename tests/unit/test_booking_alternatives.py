"""When the chosen time cannot be had, the service says why with the free times nearest
to it (issue 18, items 5 and 6); whether a client may book another appointment at all is
asked before booking starts (item 7)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from bot.services import booking
from tests.fake_uow import FakeUnitOfWorkFactory
from tests.fakes import FakeClock
from tests.helpers import id_of
from tests.unit.service_setup import POLICY, book, booking_world

THURSDAY_9 = datetime(2026, 11, 26, 8, 0, tzinfo=UTC)  # 09:00 Berlin


async def test_a_taken_or_too_soon_time_offers_the_nearest_free_ones_first(
    uow_factory: FakeUnitOfWorkFactory, clock: FakeClock
) -> None:
    (thm,), (first, second, _) = await booking_world(uow_factory, clock)
    ten = THURSDAY_9 + timedelta(hours=1)  # 10:00 Berlin
    await book(uow_factory, clock, id_of(first), id_of(thm), ten)
    with pytest.raises(booking.SlotTakenError) as taken:
        await book(uow_factory, clock, id_of(second), id_of(thm), ten)
    # 09:30 and 10:30 (as near), then 09:00, then next week: not simply the earliest.
    assert [s.starts_at for s in taken.value.alternatives][:4] == [
        ten - timedelta(minutes=30),
        ten + timedelta(minutes=30),
        THURSDAY_9,
        THURSDAY_9 + timedelta(days=7),
    ]
    # Thursday 08:00 Berlin: 09:30 is less than the lead (2 h) away.
    clock.current = datetime(2026, 11, 26, 7, 0, tzinfo=UTC)
    half_past_nine = THURSDAY_9 + timedelta(minutes=30)
    with pytest.raises(booking.SlotTooSoonError) as too_soon:
        await book(uow_factory, clock, id_of(second), id_of(thm), half_past_nine)
    assert [s.starts_at for s in too_soon.value.alternatives][:2] == [
        ten + timedelta(minutes=30),
        THURSDAY_9 + timedelta(days=7),
    ]
    assert isinstance(too_soon.value, booking.SlotUnavailableError)  # still "not offered"


async def test_may_book_another_counts_open_appointments(
    uow_factory: FakeUnitOfWorkFactory, clock: FakeClock
) -> None:
    (thm,), (client, *_) = await booking_world(uow_factory, clock)
    slots = await booking.offered_slots(uow_factory, clock, POLICY, client_id=id_of(client))
    for start in [s.starts_at for s in slots[:3]]:
        assert await booking.may_book_another(uow_factory, clock, POLICY, client_id=id_of(client))
        await book(uow_factory, clock, id_of(client), id_of(thm), start)
    assert not await booking.may_book_another(uow_factory, clock, POLICY, client_id=id_of(client))
