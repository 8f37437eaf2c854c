"""The waiting list on a real database (SQLite; PostgreSQL with TEST_DATABASE_URL): three
waiting clients race for one freed time, quiet hours and BOOKING_LEAD hold, "cancel my
day" offers each freed time to the right people in order, erasure leaves no wish."""

from __future__ import annotations

import asyncio
from dataclasses import replace
from datetime import UTC, datetime, time, timedelta

from sqlalchemy import func, select

from bot.domain import Client, DayPart, LifeArea, Mode, Staff, WishStatus
from bot.reminder_schedule import QuietHours
from bot.services import agenda, booking, privacy, waitlist
from bot.services import staff as staff_service
from bot.services.waitlist_sending import dispatch_waitlist
from bot.slots import BookingPolicy
from storage.waitlist_models import WaitOfferRow, WishRow
from tests.fakes import FakeNotifier
from tests.helpers import id_of
from tests.integration.conftest import Db
from tests.unit.service_setup import BERLIN, POLICY, THURSDAY_MORNING, add_client, add_staff

QUIET = replace(POLICY, quiet=QuietHours(time(21), time(8), BERLIN))
#: Thursday 26 November 2026 in Berlin (UTC+1); the clock starts Wednesday 10:00.
THURSDAY = datetime(2026, 11, 26, tzinfo=BERLIN)


def at(hour: int, minute: int = 0) -> datetime:
    return (THURSDAY + timedelta(hours=hour, minutes=minute)).astimezone(UTC)


async def _world(db: Db, waiting: int) -> tuple[Staff, list[Client]]:
    """A THM with Thursday 09:00-11:00 in person and `waiting` clients of theirs."""
    thm = await add_staff(db.uow_factory, db.clock, telegram_user_id=900)
    await staff_service.add_hours(db.uow_factory, staff_id=thm.id, **THURSDAY_MORNING)
    clients = [
        await add_client(
            db.uow_factory,
            db.clock,
            telegram_user_id=100 + n,
            site_id=thm.site_id,
            case_manager_id=thm.id,
        )
        for n in range(waiting)
    ]
    return thm, clients


async def _wish(db: Db, client: Client, policy: BookingPolicy = POLICY, **options: object) -> int:
    wish = await waitlist.make_wish(
        db.uow_factory,
        db.clock,
        policy,
        client_id=id_of(client),
        topic=LifeArea.HOUSING,
        mode=Mode.IN_PERSON,
        weeks=2,
        **options,  # type: ignore[arg-type]
    )
    db.clock.advance(minutes=1)  # the order they asked in
    return id_of(wish)


async def _tick(db: Db, notifier: FakeNotifier, policy: BookingPolicy = POLICY) -> int:
    made = await waitlist.offer_freed_times(db.uow_factory, db.clock, policy)
    await dispatch_waitlist(db.uow_factory, db.clock, notifier, policy)
    return made


async def test_three_waiting_one_freed_time_simultaneous_taps_one_wins(db: Db) -> None:
    thm, (a, b, c, holder) = await _world(db, 4)
    booked = await booking.book_appointment(
        db.uow_factory,
        db.clock,
        POLICY,
        client_id=id_of(holder),
        staff_id=id_of(thm),
        starts_at=at(9),
        topic=LifeArea.WORK,
    )
    wishes = [await _wish(db, person) for person in (a, b, c)]
    notifier = FakeNotifier()
    assert await _tick(db, notifier) == 0  # nothing freed yet: nobody is asked
    await booking.cancel_appointment(
        db.uow_factory,
        db.clock,
        appointment_id=id_of(booked.appointment),
        client_id=id_of(holder),
    )
    assert await _tick(db, notifier) == 3
    assert [(kind, user) for kind, user, _ in notifier.waitlist] == [
        ("offer", 100),
        ("offer", 101),
        ("offer", 102),
    ]
    offers = {user: offer for _, user, offer in notifier.waitlist}

    async def tap(client: Client) -> object:
        try:
            return await waitlist.take_offer(
                db.uow_factory,
                db.clock,
                POLICY,
                offer_id=offers[client.telegram_user_id],
                client_id=id_of(client),
            )
        except booking.SlotTakenError as exc:
            return exc

    results = await asyncio.gather(tap(c), tap(a), tap(b))
    winners = [r for r in results if isinstance(r, booking.BookingOutcome)]
    assert len(winners) == 1
    assert sum(isinstance(r, booking.SlotTakenError) for r in results) == 2
    winner = winners[0].client.telegram_user_id
    assert winners[0].appointment.starts_at == at(9)
    # The others are told it is gone, and stay on the list.
    notifier.waitlist.clear()
    await _tick(db, notifier)
    assert sorted(user for kind, user, _ in notifier.waitlist if kind == "gone") == sorted(
        {100, 101, 102} - {winner}
    )
    statuses = {
        user: (await waitlist.wishes_of(db.uow_factory, client_id=id_of(person)))
        for user, person in ((100, a), (101, b), (102, c))
    }
    assert [u for u, w in statuses.items() if not w] == [winner]
    async with db.uow_factory() as uow:
        ended = await uow.waitlist.get_wish(wishes[winner - 100])
    assert ended is not None and ended.status is WishStatus.FULFILLED
    booked_count = await db.scalar(
        select(func.count()).select_from(WaitOfferRow).where(WaitOfferRow.status == "taken")
    )
    assert booked_count == 1


async def test_quiet_hours_and_booking_lead_hold(db: Db) -> None:
    thm, (waiting, holder) = await _world(db, 2)
    early = await booking.book_appointment(
        db.uow_factory,
        db.clock,
        QUIET,
        client_id=id_of(holder),
        staff_id=id_of(thm),
        starts_at=at(9),
        topic=LifeArea.WORK,
    )
    late = await booking.book_appointment(
        db.uow_factory,
        db.clock,
        QUIET,
        client_id=id_of(holder),
        staff_id=id_of(thm),
        starts_at=at(10, 30),
        topic=LifeArea.WORK,
    )
    await _wish(db, waiting, QUIET)
    db.clock.current = at(-2, -30)  # Wednesday 21:30: quiet
    for outcome in (early, late):
        await booking.cancel_appointment(
            db.uow_factory,
            db.clock,
            appointment_id=id_of(outcome.appointment),
            client_id=id_of(holder),
        )
    notifier = FakeNotifier()
    # 09:00 could only be offered at 08:00, closer than BOOKING_LEAD (2 h): never offered.
    assert await _tick(db, notifier, QUIET) == 1
    assert notifier.waitlist == []  # quiet hours: nothing at night
    db.clock.current = at(7, 59)
    await _tick(db, notifier, QUIET)
    assert notifier.waitlist == []
    db.clock.current = at(8)
    await _tick(db, notifier, QUIET)
    assert [(kind, user) for kind, user, _ in notifier.waitlist] == [("offer", 100)]
    # A tap after the offer expired (10:30 - 2 h): no longer free.
    db.clock.current = at(8, 31)
    try:
        await waitlist.take_offer(
            db.uow_factory,
            db.clock,
            QUIET,
            offer_id=notifier.waitlist[0][2],
            client_id=id_of(waiting),
        )
        raise AssertionError("an expired offer was booked")
    except waitlist.OfferGoneError:
        pass
    await _tick(db, notifier, QUIET)
    assert (
        await db.scalar(
            select(WaitOfferRow.status).where(WaitOfferRow.id == notifier.waitlist[0][2])
        )
        == "expired"
    )


async def test_cancel_my_day_offers_each_time_to_the_right_people_in_order(db: Db) -> None:
    thm = await add_staff(db.uow_factory, db.clock, telegram_user_id=900)
    await staff_service.add_hours(
        db.uow_factory, staff_id=thm.id, **{**THURSDAY_MORNING, "end": time(12)}
    )
    await staff_service.add_hours(
        db.uow_factory,
        staff_id=thm.id,
        **{**THURSDAY_MORNING, "weekday": 2, "start": time(14), "end": time(15)},
    )
    people = [
        await add_client(
            db.uow_factory,
            db.clock,
            telegram_user_id=100 + n,
            site_id=thm.site_id,
            case_manager_id=thm.id,
        )
        for n in range(13)
    ]
    booked, waiting = people[:5], people[5:]
    times = [at(9), at(9, 30), at(10), at(10, 30), at(11)]
    for person, when in zip(booked, times, strict=True):
        await booking.book_appointment(
            db.uow_factory,
            db.clock,
            POLICY,
            client_id=id_of(person),
            staff_id=id_of(thm),
            starts_at=when,
            topic=LifeArea.WORK,
        )
    # Waiting: 105..112. 107 has an appointment on Wednesday 14:00, earlier than every
    # freed time: not asked. 110 can come on Mondays only: no match.
    await booking.book_appointment(
        db.uow_factory,
        db.clock,
        POLICY,
        client_id=id_of(waiting[2]),
        staff_id=id_of(thm),
        starts_at=datetime(2026, 11, 25, 14, tzinfo=BERLIN).astimezone(UTC),
        topic=LifeArea.WORK,
    )
    for person in waiting:
        days = (0,) if person.telegram_user_id == 110 else ()
        await _wish(db, person, weekdays=days, day_part=DayPart.MORNING)
    await agenda.cancel_my_day(db.uow_factory, db.clock, BERLIN, staff=thm, day=THURSDAY.date())
    notifier = FakeNotifier()
    assert await _tick(db, notifier) == 15
    rows = await db.rows(
        select(WaitOfferRow.starts_at, WishRow.client_id)
        .join(WishRow, WishRow.id == WaitOfferRow.wish_id)
        .order_by(WaitOfferRow.starts_at, WishRow.created_at)
    )
    user_of = {id_of(p): p.telegram_user_id for p in people}
    by_time: dict[datetime, list[int]] = {}
    for starts_at, client_id in rows:
        by_time.setdefault(starts_at, []).append(user_of[client_id])
    eligible = [105, 106, 108, 109, 111, 112]
    assert by_time == {
        times[0]: eligible[:3],
        times[1]: eligible[3:],
        times[2]: eligible[:3],
        times[3]: eligible[3:],
        times[4]: eligible[:3],
    }
    # Sent in the order they asked, each person at most 3 a day.
    sent = [user for _, user, _ in notifier.waitlist]
    assert len(sent) == 15 and sent == sorted(sent)
    assert max(sent.count(user) for user in eligible) == 3
    assert 107 not in sent and 110 not in sent


async def test_stats_count_the_waiting_list_and_erasure_leaves_no_wish(db: Db) -> None:
    thm, (waiting, holder) = await _world(db, 2)
    outcome = await booking.book_appointment(
        db.uow_factory,
        db.clock,
        POLICY,
        client_id=id_of(holder),
        staff_id=id_of(thm),
        starts_at=at(9),
        topic=LifeArea.WORK,
    )
    # The waiting client's own appointment is a week later: an earlier time is welcome.
    await booking.book_appointment(
        db.uow_factory,
        db.clock,
        POLICY,
        client_id=id_of(waiting),
        staff_id=id_of(thm),
        starts_at=at(9) + timedelta(days=7),
        topic=LifeArea.WORK,
    )
    await _wish(db, waiting)
    await booking.cancel_appointment(
        db.uow_factory,
        db.clock,
        appointment_id=id_of(outcome.appointment),
        client_id=id_of(holder),
    )
    notifier = FakeNotifier()
    await _tick(db, notifier)
    ((_, _, offer_id),) = notifier.waitlist
    await waitlist.take_offer(
        db.uow_factory, db.clock, POLICY, offer_id=offer_id, client_id=id_of(waiting)
    )
    start, end = db.clock.now() - timedelta(days=1), db.clock.now() + timedelta(days=1)
    async with db.uow_factory() as uow:
        figures = await uow.privacy.stats(thm.site_id, start, end)
    assert figures["waitlist"] == {
        "wishes": 1,
        "offers": 1,
        "taken": 1,
        "expired": 0,
        "days_saved": 7,
    }
    shown = await privacy.site_stats(
        db.uow_factory, site_id=thm.site_id, start=start.date(), end=end.date(), zone=BERLIN
    )
    assert shown["waitlist"]["days_saved"] == 7 and shown["waitlist"]["wishes"] == "<5"

    exported = await privacy.export_client(db.uow_factory, client_id=id_of(waiting))
    assert len(exported["waitlist_wishes"]) == 1 and len(exported["waitlist_offers"]) == 1
    await privacy.erase_client(db.uow_factory, db.clock, telegram_user_id=100)
    assert await db.scalar(select(func.count()).select_from(WishRow)) == 0
    assert await db.scalar(select(func.count()).select_from(WaitOfferRow)) == 0
