"""Booking on a real database: races, moves, cancellations, ownership, limits."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.domain import Client, LifeArea, Mode, SiteKind, Staff, StaffRole
from bot.ports import UnitOfWorkFactory
from bot.services import booking
from bot.services import staff as staff_service
from bot.services.sites import add_site
from bot.slots import BookingPolicy
from storage.models import AppointmentRow
from tests.fakes import FakeClock
from tests.helpers import id_of

POLICY = BookingPolicy(
    lead=timedelta(hours=2), horizon_days=14, max_open=3, zone=ZoneInfo("Europe/Berlin")
)


async def _setup(
    uow_factory: UnitOfWorkFactory, clock: FakeClock, *, thm_count: int = 1
) -> tuple[list[Staff], list[Client]]:
    # 2026-11-25 is a Wednesday; the clock starts at 09:00 UTC (10:00 Berlin).
    await add_site(uow_factory, clock, slug="essen", name="Essen", kind=SiteKind.CITY)
    people: list[Staff] = []
    for index in range(thm_count):
        invite = await staff_service.invite_staff(
            uow_factory, clock, site_slug="essen", role=StaffRole.THM
        )
        person = await staff_service.redeem_staff_invite(
            uow_factory, clock, code=invite.code, telegram_user_id=900 + index, display_name="A"
        )
        await staff_service.add_hours(
            uow_factory,
            staff_id=person.id,
            weekday=3,
            start=time(9),
            end=time(11),
            slot_minutes=30,
            mode=Mode.IN_PERSON,
            address="Rathaus",
        )
        people.append(person)
    clients: list[Client] = []
    async with uow_factory() as uow:
        for user_id in (1, 2, 3):
            clients.append(
                await uow.clients.add(
                    Client(
                        id=None,
                        telegram_user_id=user_id,
                        chat_id=user_id,
                        locale="fa_AF",
                        consented_at=clock.now(),
                        site_id=people[0].site_id,
                    )
                )
            )
        await uow.commit()
    return people, clients


async def _count(engine: AsyncEngine) -> int:
    async with engine.connect() as connection:
        return int(
            await connection.scalar(
                select(func.count())
                .select_from(AppointmentRow)
                .where(AppointmentRow.status == "booked")
            )
        )


async def test_book_assigns_the_case_manager(
    uow_factory: UnitOfWorkFactory, clock: FakeClock, engine: AsyncEngine
) -> None:
    (thm,), (client, *_) = await _setup(uow_factory, clock)
    slots = await booking.offered_slots(uow_factory, clock, POLICY, client_id=id_of(client))
    assert slots[0].starts_at == datetime(2026, 11, 26, 8, 0, tzinfo=UTC)  # Thursday 09:00
    outcome = await booking.book_appointment(
        uow_factory,
        clock,
        POLICY,
        client_id=id_of(client),
        staff_id=id_of(thm),
        starts_at=slots[0].starts_at,
        topic=LifeArea.HOUSING,
        interpreter="fa_AF",
    )
    assert outcome.client.case_manager_id == thm.id
    assert outcome.appointment.address == "Rathaus" and outcome.appointment.interpreter == "fa_AF"
    after = await booking.offered_slots(uow_factory, clock, POLICY, client_id=id_of(client))
    assert slots[0].starts_at not in {s.starts_at for s in after}
    assert await _count(engine) == 1


async def test_two_clients_racing_for_one_slot(
    uow_factory: UnitOfWorkFactory, clock: FakeClock, engine: AsyncEngine
) -> None:
    (thm,), (first, second, _) = await _setup(uow_factory, clock)
    slot = (await booking.offered_slots(uow_factory, clock, POLICY, client_id=id_of(first)))[0]

    async def attempt(client_id: int) -> booking.BookingOutcome | booking.SlotTakenError:
        try:
            return await booking.book_appointment(
                uow_factory,
                clock,
                POLICY,
                client_id=client_id,
                staff_id=id_of(thm),
                starts_at=slot.starts_at,
                topic=LifeArea.WORK,
            )
        except booking.SlotTakenError as exc:
            return exc

    results = await asyncio.gather(attempt(id_of(first)), attempt(id_of(second)))
    winners = [r for r in results if isinstance(r, booking.BookingOutcome)]
    losers = [r for r in results if isinstance(r, booking.SlotTakenError)]
    assert len(winners) == 1 and len(losers) == 1
    assert losers[0].alternatives and slot.starts_at not in {
        s.starts_at for s in losers[0].alternatives
    }
    assert await _count(engine) == 1


async def test_past_too_soon_and_forged_slots_are_refused(
    uow_factory: UnitOfWorkFactory, clock: FakeClock
) -> None:
    (thm,), (client, *_) = await _setup(uow_factory, clock)
    for starts_at in (
        datetime(2026, 11, 19, 8, 0, tzinfo=UTC),  # last week
        datetime(2026, 11, 26, 8, 10, tzinfo=UTC),  # not on the grid
        datetime(2027, 1, 7, 8, 0, tzinfo=UTC),
    ):  # beyond the horizon
        with pytest.raises(booking.SlotUnavailableError):
            await booking.book_appointment(
                uow_factory,
                clock,
                POLICY,
                client_id=id_of(client),
                staff_id=id_of(thm),
                starts_at=starts_at,
                topic=LifeArea.OTHER,
            )
    clock.current = datetime(2026, 11, 26, 6, 30, tzinfo=UTC)  # 07:30 local: 09:00 is 1.5 h away
    with pytest.raises(booking.SlotUnavailableError):
        await booking.book_appointment(
            uow_factory,
            clock,
            POLICY,
            client_id=id_of(client),
            staff_id=id_of(thm),
            starts_at=datetime(2026, 11, 26, 8, 0, tzinfo=UTC),
            topic=LifeArea.OTHER,
        )
    with pytest.raises(booking.SlotUnavailableError):
        await booking.book_appointment(
            uow_factory,
            clock,
            POLICY,
            client_id=id_of(client),
            staff_id=12345,
            starts_at=datetime(2026, 11, 26, 9, 0, tzinfo=UTC),
            topic=LifeArea.OTHER,
        )


async def test_at_most_max_open_appointments(
    uow_factory: UnitOfWorkFactory, clock: FakeClock
) -> None:
    (thm,), (client, *_) = await _setup(uow_factory, clock)
    slots = await booking.offered_slots(uow_factory, clock, POLICY, client_id=id_of(client))
    for slot in slots[:3]:
        await booking.book_appointment(
            uow_factory,
            clock,
            POLICY,
            client_id=id_of(client),
            staff_id=id_of(thm),
            starts_at=slot.starts_at,
            topic=LifeArea.WORK,
        )
    with pytest.raises(booking.TooManyAppointmentsError):
        await booking.book_appointment(
            uow_factory,
            clock,
            POLICY,
            client_id=id_of(client),
            staff_id=id_of(thm),
            starts_at=slots[3].starts_at,
            topic=LifeArea.WORK,
        )


async def test_move_is_atomic_and_cancel_frees_the_slot(
    uow_factory: UnitOfWorkFactory, clock: FakeClock, engine: AsyncEngine
) -> None:
    (thm,), (client, other, _) = await _setup(uow_factory, clock)
    slots = await booking.offered_slots(uow_factory, clock, POLICY, client_id=id_of(client))
    outcome = await booking.book_appointment(
        uow_factory,
        clock,
        POLICY,
        client_id=id_of(client),
        staff_id=id_of(thm),
        starts_at=slots[0].starts_at,
        topic=LifeArea.WORK,
    )
    taken_by_other = await booking.book_appointment(
        uow_factory,
        clock,
        POLICY,
        client_id=id_of(other),
        staff_id=id_of(thm),
        starts_at=slots[1].starts_at,
        topic=LifeArea.WORK,
    )
    # Moving onto a taken slot fails and changes nothing.
    with pytest.raises((booking.SlotTakenError, booking.SlotUnavailableError)):
        await booking.move_appointment(
            uow_factory,
            clock,
            POLICY,
            appointment_id=id_of(outcome.appointment),
            staff_id=id_of(thm),
            starts_at=slots[1].starts_at,
            client_id=client.id,
        )
    moved, old = await booking.move_appointment(
        uow_factory,
        clock,
        POLICY,
        appointment_id=id_of(outcome.appointment),
        staff_id=id_of(thm),
        starts_at=slots[2].starts_at,
        client_id=client.id,
    )
    assert old == slots[0].starts_at and moved.appointment.starts_at == slots[2].starts_at
    assert moved.appointment.id == outcome.appointment.id
    free = {
        s.starts_at
        for s in await booking.offered_slots(uow_factory, clock, POLICY, client_id=id_of(client))
    }
    assert slots[0].starts_at in free and slots[2].starts_at not in free
    assert await _count(engine) == 2

    # A forged appointment id (someone else's) is refused and changes nothing.
    with pytest.raises(booking.NotYoursError):
        await booking.cancel_appointment(
            uow_factory,
            clock,
            appointment_id=id_of(taken_by_other.appointment),
            client_id=id_of(client),
        )
    assert await _count(engine) == 2
    await booking.cancel_appointment(
        uow_factory,
        clock,
        appointment_id=id_of(outcome.appointment),
        client_id=id_of(client),
        reason="ill",
    )
    with pytest.raises(booking.NotBookedError):  # a second tap
        await booking.cancel_appointment(
            uow_factory, clock, appointment_id=id_of(outcome.appointment), client_id=id_of(client)
        )
    free = {
        s.starts_at
        for s in await booking.offered_slots(uow_factory, clock, POLICY, client_id=id_of(client))
    }
    assert slots[2].starts_at in free
    assert await _count(engine) == 1


async def test_language_speakers_come_first_for_unassigned_clients(
    uow_factory: UnitOfWorkFactory, clock: FakeClock
) -> None:
    (first, second), (client, *_) = await _setup(uow_factory, clock, thm_count=2)
    await staff_service.toggle_spoken_language(
        uow_factory, staff_id=id_of(second), language="fa_AF"
    )
    slots = await booking.offered_slots(uow_factory, clock, POLICY, client_id=id_of(client))
    assert {s.staff_id for s in slots} == {second.id}  # same hours: the Dari speaker wins


async def test_staff_invites_work_once_and_expire(
    uow_factory: UnitOfWorkFactory, clock: FakeClock
) -> None:
    await add_site(uow_factory, clock, slug="borken", name="Borken", kind=SiteKind.DISTRICT)
    invite = await staff_service.invite_staff(
        uow_factory, clock, site_slug="borken", role=StaffRole.COORDINATOR
    )
    assert invite.payload.startswith("staff-") and len(invite.payload) <= 64
    person = await staff_service.redeem_staff_invite(
        uow_factory, clock, code=invite.code, telegram_user_id=50, display_name="K"
    )
    assert person.role is StaffRole.COORDINATOR and person.locale == "de"
    again = await staff_service.redeem_staff_invite(
        uow_factory, clock, code=invite.code, telegram_user_id=50, display_name="K"
    )
    assert again.id == person.id  # the same person tapping twice
    with pytest.raises(staff_service.InviteError, match="used"):
        await staff_service.redeem_staff_invite(
            uow_factory, clock, code=invite.code, telegram_user_id=51, display_name="X"
        )
    late = await staff_service.invite_staff(
        uow_factory, clock, site_slug="borken", role=StaffRole.THM
    )
    clock.advance(days=7, seconds=1)
    with pytest.raises(staff_service.InviteError, match="expired"):
        await staff_service.redeem_staff_invite(
            uow_factory, clock, code=late.code, telegram_user_id=52, display_name="Y"
        )
    with pytest.raises(staff_service.InviteError, match="unknown"):
        await staff_service.redeem_staff_invite(
            uow_factory, clock, code="nope", telegram_user_id=52, display_name="Y"
        )


async def test_deactivation_hands_clients_to_the_coordinator(
    uow_factory: UnitOfWorkFactory, clock: FakeClock
) -> None:
    (thm,), (client, *_) = await _setup(uow_factory, clock)
    invite = await staff_service.invite_staff(
        uow_factory, clock, site_slug="essen", role=StaffRole.COORDINATOR
    )
    coordinator = await staff_service.redeem_staff_invite(
        uow_factory, clock, code=invite.code, telegram_user_id=77, display_name="C"
    )
    slot = (await booking.offered_slots(uow_factory, clock, POLICY, client_id=id_of(client)))[0]
    await booking.book_appointment(
        uow_factory,
        clock,
        POLICY,
        client_id=id_of(client),
        staff_id=id_of(thm),
        starts_at=slot.starts_at,
        topic=LifeArea.LEGAL,
    )
    assert await staff_service.deactivate_staff(uow_factory, telegram_user_id=900) == 1
    assert await staff_service.active_staff(uow_factory, 900) is None
    async with uow_factory() as uow:
        stored = await uow.clients.get(id_of(client))
        assert stored is not None and stored.case_manager_id == coordinator.id
