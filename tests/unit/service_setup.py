"""A site with case managers, hours and clients, built through the services on the fake
unit of work, or on a real database (the integration tests use it too)."""

from __future__ import annotations

from datetime import datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from bot.domain import Client, LifeArea, Mode, SiteKind, Staff, StaffRole
from bot.ports import UnitOfWorkFactory
from bot.services import booking
from bot.services import staff as staff_service
from bot.services.booking import BookingOutcome
from bot.services.sites import add_site
from bot.slots import BookingPolicy
from tests.fakes import FakeClock
from tests.helpers import id_of

BERLIN = ZoneInfo("Europe/Berlin")
POLICY = BookingPolicy(lead=timedelta(hours=2), horizon_days=14, max_open=3, zone=BERLIN)
#: add_hours' window in booking_world: Thursday 09:00-11:00 in person, 30 minute slots.
THURSDAY_MORNING: dict[str, Any] = {
    "weekday": 3,
    "start": time(9),
    "end": time(11),
    "slot_minutes": 30,
    "mode": Mode.IN_PERSON,
    "address": "Rathaus",
}


async def add_staff(
    uow_factory: UnitOfWorkFactory,
    clock: FakeClock,
    *,
    slug: str = "essen",
    telegram_user_id: int,
    role: StaffRole = StaffRole.THM,
    name: str = "A",
) -> Staff:
    if await _site_missing(uow_factory, slug):
        await add_site(uow_factory, clock, slug=slug, name=slug.title(), kind=SiteKind.CITY)
    invite = await staff_service.invite_staff(uow_factory, clock, site_slug=slug, role=role)
    return await staff_service.redeem_staff_invite(
        uow_factory, clock, code=invite.code, telegram_user_id=telegram_user_id, display_name=name
    )


async def _site_missing(uow_factory: UnitOfWorkFactory, slug: str) -> bool:
    async with uow_factory() as uow:
        return await uow.sites.by_slug(slug) is None


async def add_client(
    uow_factory: UnitOfWorkFactory,
    clock: FakeClock,
    *,
    telegram_user_id: int,
    site_id: int | None,
    case_manager_id: int | None = None,
    nickname: str | None = None,
    consented: bool = True,
) -> Client:
    async with uow_factory() as uow:
        client = await uow.clients.add(
            Client(
                id=None,
                telegram_user_id=telegram_user_id,
                chat_id=telegram_user_id,
                locale="fa_AF",
                consented_at=clock.now() if consented else None,
                site_id=site_id,
                case_manager_id=case_manager_id,
                nickname=nickname,
            )
        )
        await uow.commit()
    return client


async def booking_world(
    uow_factory: UnitOfWorkFactory, clock: FakeClock, *, thm_count: int = 1
) -> tuple[list[Staff], list[Client]]:
    """THMs with Thursday 09:00-11:00 in person (4 slots), three consented clients of the
    site without a case manager. 2026-11-25 is a Wednesday; the clock says 10:00 Berlin."""
    people = []
    for index in range(thm_count):
        person = await add_staff(uow_factory, clock, telegram_user_id=900 + index)
        await staff_service.add_hours(uow_factory, staff_id=person.id, **THURSDAY_MORNING)
        people.append(person)
    clients = [
        await add_client(uow_factory, clock, telegram_user_id=user, site_id=people[0].site_id)
        for user in (1, 2, 3)
    ]
    return people, clients


async def book(
    uow_factory: UnitOfWorkFactory,
    clock: FakeClock,
    client_id: int,
    staff_id: int,
    starts_at: datetime,
    *,
    policy: BookingPolicy = POLICY,
    topic: LifeArea = LifeArea.WORK,
    **options: Any,
) -> BookingOutcome:
    """The client's appointment with the staff member at `starts_at` (topic: work); the
    `options` (interpreter, booked_by, ...) go to book_appointment as they are."""
    return await booking.book_appointment(
        uow_factory,
        clock,
        policy,
        client_id=client_id,
        staff_id=staff_id,
        starts_at=starts_at,
        topic=topic,
        **options,
    )


async def move(
    uow_factory: UnitOfWorkFactory,
    clock: FakeClock,
    booked: BookingOutcome,
    starts_at: datetime,
    client_id: int | None,
    staff_id: int,
    *,
    policy: BookingPolicy = POLICY,
) -> tuple[BookingOutcome, datetime]:
    """The client moves the booked appointment to `starts_at` with the staff member."""
    return await booking.move_appointment(
        uow_factory,
        clock,
        policy,
        appointment_id=id_of(booked.appointment),
        staff_id=staff_id,
        starts_at=starts_at,
        client_id=client_id,
    )
