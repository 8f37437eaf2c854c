"""Booking, moving and cancelling on the fake unit of work, in milliseconds. The pure
service tests live here; tests/integration/test_booking.py keeps what needs a real
database (races between units of work, constraints)."""

from __future__ import annotations

import asyncio
from datetime import UTC, date, datetime, time

import pytest

from bot.domain import AppointmentStatus, Client, LifeArea, Mode, Staff, StaffRole
from bot.services import booking, team
from bot.services import staff as staff_service
from tests.fake_uow import FakeUnitOfWorkFactory
from tests.fakes import FakeClock
from tests.helpers import id_of
from tests.unit.service_setup import POLICY, add_client, add_staff, book, booking_world, move

THURSDAY_9 = datetime(2026, 11, 26, 8, 0, tzinfo=UTC)  # 09:00 Berlin


def _booked(uow_factory: FakeUnitOfWorkFactory) -> list[tuple[int, datetime]]:
    return [
        (a.client_id, a.starts_at)
        for a in uow_factory.db.appointments()
        if a.status is AppointmentStatus.BOOKED
    ]


async def _slot_starts(
    uow_factory: FakeUnitOfWorkFactory, clock: FakeClock, client: Client
) -> list[datetime]:
    """The start times offered to the client, in order."""
    slots = await booking.offered_slots(uow_factory, clock, POLICY, client_id=id_of(client))
    return [s.starts_at for s in slots]


async def _with_stranger(
    uow_factory: FakeUnitOfWorkFactory, clock: FakeClock
) -> tuple[Staff, Client, Staff]:
    """The booking world's THM and first client, and a THM of another site (Borken)."""
    (thm,), (client, *_) = await booking_world(uow_factory, clock)
    return thm, client, await add_staff(uow_factory, clock, slug="borken", telegram_user_id=990)


async def _first_slot_booked(
    uow_factory: FakeUnitOfWorkFactory, clock: FakeClock
) -> tuple[Staff, Client, Client, list[datetime], booking.BookingOutcome]:
    """The booking world with the first client booked into the first offered slot: the THM,
    that client, a second client, the offered start times and the booking."""
    (thm,), (client, other, _) = await booking_world(uow_factory, clock)
    slots = await _slot_starts(uow_factory, clock, client)
    outcome = await book(uow_factory, clock, id_of(client), id_of(thm), slots[0])
    return thm, client, other, slots, outcome


async def test_book_assigns_the_case_manager_and_stores_the_appointment(
    uow_factory: FakeUnitOfWorkFactory, clock: FakeClock
) -> None:
    (thm,), (client, *_) = await booking_world(uow_factory, clock)
    slots = await booking.offered_slots(uow_factory, clock, POLICY, client_id=id_of(client))
    # Thursday 09:00-11:00 Berlin, this week and next (the horizon is 14 days).
    assert [(s.starts_at.day, s.starts_at.hour, s.starts_at.minute) for s in slots] == [
        (day, hour, minute) for day in (26, 3) for hour in (8, 9) for minute in (0, 30)
    ]
    assert slots[0].starts_at == THURSDAY_9 and slots[0].address == "Rathaus"
    outcome = await book(
        uow_factory,
        clock,
        id_of(client),
        id_of(thm),
        THURSDAY_9,
        topic=LifeArea.HOUSING,
        interpreter="fa_AF",
    )
    assert uow_factory.last.committed
    assert outcome.client.case_manager_id == thm.id and outcome.staff.id == thm.id
    assert outcome.appointment.address == "Rathaus" and outcome.appointment.interpreter == "fa_AF"
    (stored,) = uow_factory.db.appointments()
    assert stored == outcome.appointment
    assert (stored.topic, stored.booked_by, stored.created_at) == (
        LifeArea.HOUSING,
        "client",
        clock.now(),
    )
    assert uow_factory.db.clients()[0].case_manager_id == thm.id
    after = await booking.offered_slots(uow_factory, clock, POLICY, client_id=id_of(client))
    assert THURSDAY_9 not in {s.starts_at for s in after} and len(after) == 7
    assert await booking.offered_modes(uow_factory, clock, POLICY, client_id=id_of(client)) == [
        Mode.IN_PERSON
    ]
    upcoming = await booking.upcoming_appointments(uow_factory, clock, client_id=id_of(client))
    assert [a.id for a in upcoming] == [stored.id]


async def test_two_clients_racing_for_one_slot(
    uow_factory: FakeUnitOfWorkFactory, clock: FakeClock
) -> None:
    (thm,), (first, second, _) = await booking_world(uow_factory, clock)

    async def attempt(client_id: int) -> booking.BookingOutcome | booking.SlotTakenError:
        try:
            return await book(uow_factory, clock, client_id, id_of(thm), THURSDAY_9)
        except booking.SlotTakenError as exc:
            return exc

    made = len(uow_factory.made)
    results = await asyncio.gather(attempt(id_of(first)), attempt(id_of(second)))
    winners = [r for r in results if isinstance(r, booking.BookingOutcome)]
    losers = [r for r in results if isinstance(r, booking.SlotTakenError)]
    assert len(winners) == 1 and len(losers) == 1
    alternatives = {s.starts_at for s in losers[0].alternatives}
    assert alternatives and THURSDAY_9 not in alternatives
    assert _booked(uow_factory) == [(winners[0].client.id, THURSDAY_9)]
    # The loser hit the unique index (DuplicateError), rolled back and committed nothing.
    units = uow_factory.made[made:]
    assert sorted((u.committed, u.rolled_back) for u in units) == [(False, True), (True, False)]
    loser_id = second.id if winners[0].client.id == first.id else first.id
    loser = next(c for c in uow_factory.db.clients() if c.id == loser_id)
    assert loser.case_manager_id is None


async def test_a_slot_taken_before_booking_offers_the_others(
    uow_factory: FakeUnitOfWorkFactory, clock: FakeClock
) -> None:
    (thm,), (first, second, _) = await booking_world(uow_factory, clock)
    await book(uow_factory, clock, id_of(first), id_of(thm), THURSDAY_9)
    with pytest.raises(booking.SlotTakenError) as info:
        await book(uow_factory, clock, id_of(second), id_of(thm), THURSDAY_9)
    assert len(info.value.alternatives) == 7
    assert THURSDAY_9 not in {s.starts_at for s in info.value.alternatives}
    assert uow_factory.last.committed is False
    assert _booked(uow_factory) == [(first.id, THURSDAY_9)]


@pytest.mark.parametrize(
    "starts_at",
    [
        datetime(2026, 11, 19, 8, 0, tzinfo=UTC),  # last week
        datetime(2026, 11, 26, 8, 10, tzinfo=UTC),  # not on the grid
        datetime(2027, 1, 7, 8, 0, tzinfo=UTC),  # beyond the horizon
    ],
)
async def test_past_forged_and_far_slots_are_refused(
    uow_factory: FakeUnitOfWorkFactory, clock: FakeClock, starts_at: datetime
) -> None:
    (thm,), (client, *_) = await booking_world(uow_factory, clock)
    with pytest.raises(booking.SlotUnavailableError, match="slot"):
        await book(uow_factory, clock, id_of(client), id_of(thm), starts_at)
    assert uow_factory.last.committed is False
    assert uow_factory.db.appointments() == [] and uow_factory.db.reminders() == []


async def test_too_soon_and_unknown_staff_are_refused(
    uow_factory: FakeUnitOfWorkFactory, clock: FakeClock
) -> None:
    (thm,), (client, *_) = await booking_world(uow_factory, clock)
    clock.current = datetime(2026, 11, 26, 6, 30, tzinfo=UTC)  # 07:30 local: 1.5 h ahead
    with pytest.raises(booking.SlotUnavailableError, match="slot"):
        await book(uow_factory, clock, id_of(client), id_of(thm), THURSDAY_9)
    with pytest.raises(booking.SlotUnavailableError, match="staff"):
        await book(uow_factory, clock, id_of(client), 12345, datetime(2026, 11, 26, 9, tzinfo=UTC))
    with pytest.raises(booking.NotYoursError):
        await book(uow_factory, clock, 999, id_of(thm), datetime(2026, 11, 26, 9, tzinfo=UTC))
    assert uow_factory.db.appointments() == []
    assert uow_factory.db.clients()[0].case_manager_id is None


async def test_at_most_max_open_appointments(
    uow_factory: FakeUnitOfWorkFactory, clock: FakeClock
) -> None:
    (thm,), (client, *_) = await booking_world(uow_factory, clock)
    slots = await booking.offered_slots(uow_factory, clock, POLICY, client_id=id_of(client))
    for slot in slots[:3]:
        await book(uow_factory, clock, id_of(client), id_of(thm), slot.starts_at)
    with pytest.raises(booking.TooManyAppointmentsError):
        await book(uow_factory, clock, id_of(client), id_of(thm), slots[3].starts_at)
    assert uow_factory.last.committed is False
    assert len(_booked(uow_factory)) == 3
    # Once one is over, a new one may be booked (only open ones count).
    clock.current = datetime(2026, 11, 26, 8, 31, tzinfo=UTC)  # the first one is over
    await book(uow_factory, clock, id_of(client), id_of(thm), slots[4].starts_at)
    assert len(_booked(uow_factory)) == 4


async def test_move_is_atomic_and_cancel_frees_the_slot(
    uow_factory: FakeUnitOfWorkFactory, clock: FakeClock
) -> None:
    thm, client, other, slots, outcome = await _first_slot_booked(uow_factory, clock)
    taken_by_other = await book(uow_factory, clock, id_of(other), id_of(thm), slots[1])
    # Moving onto a taken slot fails, says so with the free ones, and changes nothing.
    with pytest.raises(booking.SlotTakenError) as taken:
        await move(uow_factory, clock, outcome, slots[1], client.id, id_of(thm))
    assert taken.value.alternatives[0].starts_at == slots[2]  # the nearest free one
    assert uow_factory.last.committed is False
    assert sorted(_booked(uow_factory)) == [(client.id, slots[0]), (other.id, slots[1])]
    moved, old = await move(uow_factory, clock, outcome, slots[2], client.id, id_of(thm))
    assert old == slots[0] and moved.appointment.starts_at == slots[2]
    assert moved.appointment.id == outcome.appointment.id
    assert sorted(_booked(uow_factory)) == [(client.id, slots[2]), (other.id, slots[1])]
    free = set(await _slot_starts(uow_factory, clock, client))
    assert slots[0] in free and slots[2] not in free

    # A forged appointment id (someone else's) is refused and changes nothing.
    with pytest.raises(booking.NotYoursError):
        await booking.cancel_appointment(
            uow_factory,
            clock,
            appointment_id=id_of(taken_by_other.appointment),
            client_id=id_of(client),
        )
    with pytest.raises(booking.NotYoursError):
        await move(uow_factory, clock, taken_by_other, slots[3], client.id, id_of(thm))
    assert len(_booked(uow_factory)) == 2
    cancelled = await booking.cancel_appointment(
        uow_factory,
        clock,
        appointment_id=id_of(outcome.appointment),
        client_id=id_of(client),
        reason="ill",
    )
    assert cancelled.appointment.status is AppointmentStatus.CANCELLED
    assert cancelled.appointment.cancel_reason == "ill"
    with pytest.raises(booking.NotBookedError):  # a second tap
        await booking.cancel_appointment(
            uow_factory, clock, appointment_id=id_of(outcome.appointment), client_id=id_of(client)
        )
    with pytest.raises(booking.NotBookedError):  # nor can a cancelled one be moved
        await move(uow_factory, clock, outcome, slots[3], client.id, id_of(thm))
    assert _booked(uow_factory) == [(other.id, slots[1])]
    stored = {a.id: a for a in uow_factory.db.appointments()}[outcome.appointment.id]
    assert stored.cancel_reason == "ill"  # the second tap did not overwrite it


async def test_a_move_racing_a_booking_for_the_same_slot(
    uow_factory: FakeUnitOfWorkFactory, clock: FakeClock
) -> None:
    thm, client, other, slots, outcome = await _first_slot_booked(uow_factory, clock)

    async def moving() -> tuple[booking.BookingOutcome, datetime] | booking.SlotTakenError:
        try:
            return await move(uow_factory, clock, outcome, slots[3], client.id, id_of(thm))
        except booking.SlotTakenError as exc:
            return exc

    async def booking_too() -> booking.BookingOutcome | booking.SlotTakenError:
        try:
            return await book(uow_factory, clock, id_of(other), id_of(thm), slots[3])
        except booking.SlotTakenError as exc:
            return exc

    results = await asyncio.gather(moving(), booking_too())
    assert sum(isinstance(r, booking.SlotTakenError) for r in results) == 1
    at_3 = [client_id for client_id, at in _booked(uow_factory) if at == slots[3]]
    assert len(at_3) == 1 and len(_booked(uow_factory)) == 2
    if at_3 == [other.id]:  # the move lost: the client keeps the first slot
        assert (client.id, slots[0]) in _booked(uow_factory)


async def test_reasons_outside_the_list_are_stored_as_other(
    uow_factory: FakeUnitOfWorkFactory, clock: FakeClock
) -> None:
    (thm,), (client, *_) = await booking_world(uow_factory, clock)
    outcome = await book(uow_factory, clock, id_of(client), id_of(thm), THURSDAY_9)
    await booking.cancel_appointment(
        uow_factory,
        clock,
        appointment_id=id_of(outcome.appointment),
        client_id=id_of(client),
        reason="x",
    )
    assert uow_factory.db.appointments()[0].cancel_reason == "other"


async def test_staff_of_the_site_may_cancel_others_may_not(
    uow_factory: FakeUnitOfWorkFactory, clock: FakeClock
) -> None:
    thm, client, stranger = await _with_stranger(uow_factory, clock)
    outcome = await book(uow_factory, clock, id_of(client), id_of(thm), THURSDAY_9)
    with pytest.raises(booking.NotYoursError):
        await booking.cancel_appointment(
            uow_factory, clock, appointment_id=id_of(outcome.appointment), staff=stranger
        )
    with pytest.raises(booking.NotYoursError):  # neither client nor staff named
        await booking.cancel_appointment(
            uow_factory, clock, appointment_id=id_of(outcome.appointment)
        )
    assert _booked(uow_factory) == [(client.id, THURSDAY_9)]
    done = await booking.cancel_appointment(
        uow_factory, clock, appointment_id=id_of(outcome.appointment), staff=thm, reason="staff_ill"
    )
    assert done.client.id == client.id and done.appointment.cancel_reason == "staff_ill"
    assert _booked(uow_factory) == []


async def test_language_speakers_come_first_for_unassigned_clients(
    uow_factory: FakeUnitOfWorkFactory, clock: FakeClock
) -> None:
    (first, second), (client, *_) = await booking_world(uow_factory, clock, thm_count=2)
    before = await booking.offered_slots(uow_factory, clock, POLICY, client_id=id_of(client))
    assert {s.staff_id for s in before} == {first.id}  # same hours: the lower id
    await staff_service.toggle_spoken_language(
        uow_factory, staff_id=id_of(second), language="fa_AF"
    )
    slots = await booking.offered_slots(uow_factory, clock, POLICY, client_id=id_of(client))
    assert {s.staff_id for s in slots} == {second.id}  # the Dari speaker wins


async def test_a_client_with_a_case_manager_sees_only_theirs_and_a_deputy(
    uow_factory: FakeUnitOfWorkFactory, clock: FakeClock
) -> None:
    (anna, ben), (client, *_) = await booking_world(uow_factory, clock, thm_count=2)
    await staff_service.add_hours(
        uow_factory,
        staff_id=ben.id,
        weekday=4,  # Friday
        start=time(9),
        end=time(10),
        slot_minutes=60,
        mode=Mode.PHONE,
    )
    await book(uow_factory, clock, id_of(client), id_of(anna), THURSDAY_9)
    slots = await booking.offered_slots(uow_factory, clock, POLICY, client_id=id_of(client))
    assert {s.staff_id for s in slots} == {anna.id}
    await team.name_deputy(
        uow_factory, clock, staff=anna, deputy_id=id_of(ben), days=3, today=date(2026, 11, 25)
    )
    slots = await booking.offered_slots(uow_factory, clock, POLICY, client_id=id_of(client))
    assert {s.staff_id for s in slots} == {anna.id, ben.id}
    phone = await booking.offered_slots(
        uow_factory, clock, POLICY, client_id=id_of(client), mode=Mode.PHONE
    )
    assert [(s.staff_id, s.starts_at) for s in phone] == [
        (ben.id, datetime(2026, 11, 27, 8, tzinfo=UTC)),
        (ben.id, datetime(2026, 12, 4, 8, tzinfo=UTC)),
    ]
    await book(uow_factory, clock, id_of(client), id_of(ben), phone[0].starts_at)
    # Booking with the deputy keeps the own case manager.
    assert uow_factory.db.clients()[0].case_manager_id == anna.id


async def test_staff_book_for_clients_of_their_own_site_only(
    uow_factory: FakeUnitOfWorkFactory, clock: FakeClock
) -> None:
    thm, client, stranger = await _with_stranger(uow_factory, clock)
    with pytest.raises(booking.SlotUnavailableError, match="staff"):
        await book(
            uow_factory, clock, id_of(client), id_of(stranger), THURSDAY_9, booked_by="staff"
        )
    outcome = await book(
        uow_factory, clock, id_of(client), id_of(thm), THURSDAY_9, booked_by="staff"
    )
    assert outcome.appointment.booked_by == "staff"
    assert uow_factory.db.appointments()[0].booked_by == "staff"


async def test_client_for_staff_is_audited_and_refused_across_sites(
    uow_factory: FakeUnitOfWorkFactory, clock: FakeClock
) -> None:
    thm, client, stranger = await _with_stranger(uow_factory, clock)
    with pytest.raises(booking.NotYoursError):
        await booking.client_for_staff(uow_factory, clock, staff=stranger, client_id=id_of(client))
    assert uow_factory.db.audit() == []
    await book(uow_factory, clock, id_of(client), id_of(thm), THURSDAY_9)
    seen, upcoming = await booking.client_for_staff(
        uow_factory, clock, staff=thm, client_id=id_of(client)
    )
    assert seen.id == client.id and [a.starts_at for a in upcoming] == [THURSDAY_9]
    assert [(e.action, e.staff_id, e.client_id) for e in uow_factory.db.audit()] == [
        ("client.view", thm.id, client.id)
    ]


async def test_clients_of_the_site_own_first_and_consented_only(
    uow_factory: FakeUnitOfWorkFactory, clock: FakeClock
) -> None:
    (thm,), (a, b, c) = await booking_world(uow_factory, clock)
    await add_client(uow_factory, clock, telegram_user_id=4, site_id=thm.site_id, consented=False)
    await book(uow_factory, clock, id_of(c), id_of(thm), THURSDAY_9)
    ordered = await booking.clients_of_staff_site(uow_factory, staff=thm)
    assert [x.id for x in ordered] == [c.id, a.id, b.id]


async def test_appointment_for_reads_without_writing(
    uow_factory: FakeUnitOfWorkFactory, clock: FakeClock
) -> None:
    (thm,), (client, other, _) = await booking_world(uow_factory, clock)
    outcome = await book(uow_factory, clock, id_of(client), id_of(thm), THURSDAY_9)
    found = await booking.appointment_for(
        uow_factory, appointment_id=id_of(outcome.appointment), client_id=id_of(client)
    )
    assert found.staff.id == thm.id and uow_factory.last.committed is False
    with pytest.raises(booking.NotYoursError):
        await booking.appointment_for(
            uow_factory, appointment_id=id_of(outcome.appointment), client_id=id_of(other)
        )
    coordinator = await add_staff(
        uow_factory, clock, telegram_user_id=77, role=StaffRole.COORDINATOR
    )
    by_staff = await booking.appointment_for(
        uow_factory, appointment_id=id_of(outcome.appointment), staff=coordinator
    )
    assert by_staff.client.id == client.id
