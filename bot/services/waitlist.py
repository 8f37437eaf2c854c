"""The waiting list (issue 22): a client who finds no time that suits them asks to be
told when an earlier one frees up; freed times are offered to them, in the order they
asked; the first tap books (the database decides, as for any booking).

Freeing is one domain event (bot/services/waitlist_events.py), written in the
transaction that frees the times (a cancellation, "cancel my day", a move, new hours,
a day off taken back). The scheduler's tick turns the recorded events into offers
(`offer_freed_times`) and sends those as reminders are sent
(bot/services/waitlist_sending.py): restart-safe rows, quiet hours, the shared rate.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from bot.domain import (
    Appointment,
    Client,
    DayPart,
    FreedTimes,
    LifeArea,
    Mode,
    Slot,
    WaitOffer,
    WaitOfferKind,
    WaitOfferStatus,
    Wish,
    WishStatus,
)
from bot.ports import Clock, UnitOfWork, UnitOfWorkFactory
from bot.services.booking import (
    BookingOutcome,
    NoSiteError,
    NotYoursError,
    SlotTakenError,
    book_appointment,
)
from bot.services.booking_offer import offered_staff, staff_slots
from bot.slots import BookingPolicy

#: How many waiting clients one freed time is offered to at once (the first tap wins).
OFFER_FANOUT = 3
#: Offers per client and (local) day, at most.
MAX_OFFERS_PER_DAY = 3
#: "Until when": the choices, in weeks.
UNTIL_WEEKS = (2, 4, 8)


class OfferGoneError(Exception):
    """The offered time can no longer be had: taken, expired (closer than BOOKING_LEAD),
    or the wish is over."""


# ----- the client's wish ----------------------------------------------------------------


async def make_wish(
    uow_factory: UnitOfWorkFactory,
    clock: Clock,
    policy: BookingPolicy,
    *,
    client_id: int,
    topic: LifeArea,
    mode: Mode,
    weeks: int,
    weekdays: Iterable[int] = (),
    day_part: DayPart = DayPart.ANY,
    site_id: int | None = None,
) -> Wish:
    """Put the client on the waiting list: their case manager's times (the site's if they
    have none), until `weeks` from today."""
    now = clock.now()
    async with uow_factory() as uow:
        client = await uow.clients.get(client_id)
        if client is None or client.id is None:
            raise NotYoursError("client", client_id)
        site = client.site_id or site_id
        if site is None:
            raise NoSiteError()
        original = (await uow.appointments.next_for_clients([client.id], now)).get(client.id)
        wish = await uow.waitlist.add_wish(
            Wish(
                id=None,
                client_id=client.id,
                site_id=site,
                staff_id=client.case_manager_id,
                topic=topic,
                mode=mode,
                until=now.astimezone(policy.zone).date() + timedelta(weeks=weeks),
                weekdays=tuple(sorted({d for d in weekdays if 0 <= d <= 6})),
                day_part=day_part,
                original_starts_at=original,
            ),
            now,
        )
        await uow.commit()
        return wish


async def wishes_of(uow_factory: UnitOfWorkFactory, *, client_id: int) -> list[Wish]:
    async with uow_factory() as uow:
        return await uow.waitlist.wishes_of(client_id)


async def cancel_wish(
    uow_factory: UnitOfWorkFactory, clock: Clock, *, wish_id: int, client_id: int
) -> bool:
    """The client leaves the waiting list; False for someone else's or an ended wish."""
    async with uow_factory() as uow:
        wish = await uow.waitlist.get_wish(wish_id)
        if wish is None or wish.client_id != client_id:
            return False
        if not await uow.waitlist.end_wish(wish_id, WishStatus.CANCELLED.value, clock.now()):
            return False
        await uow.waitlist.close_wish_offers(wish_id)
        await uow.commit()
        return True


# ----- freed times become offers --------------------------------------------------------


@dataclass
class _Round:
    """What one run of `offer_freed_times` has handed out so far."""

    day_start: datetime
    given: dict[int, int]  # offers per wish in this run
    daily: dict[int, int]  # offers per client today
    made: int = 0


def _window(freed: FreedTimes, policy: BookingPolicy) -> tuple[datetime | None, datetime | None]:
    if freed.day is not None:
        start = datetime.combine(freed.day, time(0), policy.zone)
        return start, start + timedelta(days=1)
    return freed.start, freed.end


def offer_due(slot: Slot, now: datetime, policy: BookingPolicy) -> tuple[datetime, datetime] | None:
    """(when to send, when it expires) for an offer of `slot`: now, or when quiet hours
    end; None when that is no sooner than BOOKING_LEAD before the time."""
    expires = slot.starts_at - policy.lead
    due = now
    if policy.quiet is not None and policy.quiet.contains(now):
        due = policy.quiet.ends_after(now)
    return (due, expires) if due < expires else None


async def _eligible(
    uow: UnitOfWork, wishes: list[Wish], staff_id: int, today: date
) -> list[tuple[Wish, Client]]:
    """The waiting wishes whose client would be offered this staff member's times."""
    found = []
    for wish in wishes:
        client = await uow.clients.get(wish.client_id)
        if client is None or not client.has_consented or client.unreachable_at is not None:
            continue
        people = await offered_staff(uow, client, wish.site_id, today)
        if any(p.id == staff_id for p in people):
            found.append((wish, client))
    return found


async def _offer_event(
    uow: UnitOfWork, freed: FreedTimes, now: datetime, policy: BookingPolicy, run: _Round
) -> None:
    staff = await uow.staff.get(freed.staff_id)
    if staff is None or not staff.active or staff.id is None:
        return
    start, end = _window(freed, policy)
    slots = [
        s
        for s in await staff_slots(uow, [staff], now, policy)
        if (start is None or s.starts_at >= start) and (end is None or s.starts_at < end)
    ]
    if not slots:
        return
    today = now.astimezone(policy.zone).date()
    # Only wishes made before the times came free: the others saw them and chose.
    waiting = [
        w
        for w in await uow.waitlist.waiting(staff.site_id)
        if freed.at is None or w.created_at is None or w.created_at < freed.at
    ]
    eligible = await _eligible(uow, waiting, staff.id, today)
    if not eligible:
        return
    client_ids = sorted({c.id for _, c in eligible if c.id is not None})
    next_of = await uow.appointments.next_for_clients(client_ids, now)
    for client_id in client_ids:
        if client_id not in run.daily:
            run.daily[client_id] = await uow.waitlist.offers_since(client_id, run.day_start)
    for slot in slots:
        timing = offer_due(slot, now, policy)
        if timing is None:
            continue
        matching = [
            wish
            for wish, client in eligible
            if wish.fits(slot, policy.zone)
            # Someone whose own appointment is earlier already is not asked.
            and (client.id not in next_of or next_of[client.id] > slot.starts_at)
        ]
        # In the order they asked; those offered least in this run first, so that every
        # freed time of a day finds its people.
        matching.sort(key=lambda w: run.given.get(w.id or 0, 0))
        picked = 0
        for wish in matching:
            if picked == OFFER_FANOUT:
                break
            if run.daily[wish.client_id] >= MAX_OFFERS_PER_DAY or wish.id is None:
                continue
            added = await uow.waitlist.add_offer(
                wish.id,
                staff.id,
                slot.starts_at,
                slot.ends_at,
                due_at=timing[0],
                expires_at=timing[1],
                at=now,
            )
            if added:
                picked += 1
                run.made += 1
                run.given[wish.id] = run.given.get(wish.id, 0) + 1
                run.daily[wish.client_id] += 1


async def offer_freed_times(
    uow_factory: UnitOfWorkFactory, clock: Clock, policy: BookingPolicy, *, limit: int = 200
) -> int:
    """One tick: the recorded freed times become offers to matching waiting clients (in
    one transaction with taking the events, so none is lost or handled twice). How many
    offers were made."""
    now = clock.now()
    local_day = now.astimezone(policy.zone).date()
    run = _Round(datetime.combine(local_day, time(0), policy.zone), {}, {})
    async with uow_factory() as uow:
        await uow.waitlist.expire(now, local_day)
        events = await uow.waitlist.take_freed(limit)
        for freed in events:
            await _offer_event(uow, freed, now, policy, run)
        await uow.commit()
    return run.made


# ----- the tap: "Book it" ---------------------------------------------------------------


async def take_offer(
    uow_factory: UnitOfWorkFactory,
    clock: Clock,
    policy: BookingPolicy,
    *,
    offer_id: int,
    client_id: int,
) -> BookingOutcome:
    """Book the offered time. The database decides between simultaneous taps (the booked
    slot's unique index, as for every booking): a loser gets SlotTakenError. Past
    BOOKING_LEAD, or for an ended wish: OfferGoneError."""
    now = clock.now()
    async with uow_factory() as uow:
        offer = await uow.waitlist.get_offer(offer_id)
        wish = await uow.waitlist.get_wish(offer.wish_id) if offer is not None else None
    if offer is None or wish is None or wish.client_id != client_id:
        raise NotYoursError("wait offer", offer_id)
    if offer.kind is WaitOfferKind.GONE or offer.status is WaitOfferStatus.GONE:
        raise SlotTakenError([])  # someone else was faster (told, or about to be)
    if (
        wish.status is not WishStatus.WAITING
        or offer.kind is not WaitOfferKind.OFFER
        or offer.status not in (WaitOfferStatus.SENT, WaitOfferStatus.SENDING)
        or now >= offer.expires_at
    ):
        raise OfferGoneError()

    async def fulfilled(uow: UnitOfWork, appointment: Appointment) -> None:
        await _fulfil(uow, offer, wish, now)

    return await book_appointment(
        uow_factory,
        clock,
        policy,
        client_id=client_id,
        staff_id=offer.staff_id,
        starts_at=offer.starts_at,
        topic=wish.topic,
        site_id=wish.site_id,
        then=fulfilled,
    )


async def _fulfil(uow: UnitOfWork, offer: WaitOffer, wish: Wish, now: datetime) -> None:
    """In the booking's transaction: the offer is taken and the wish fulfilled (the others
    who were offered this time are told it is gone by the booking itself)."""
    assert wish.id is not None
    await uow.waitlist.set_offer(offer.id, WaitOfferStatus.TAKEN, was=offer.status.value)
    await uow.waitlist.end_wish(wish.id, WishStatus.FULFILLED.value, now)
    await uow.waitlist.close_wish_offers(wish.id)


async def offer_lost(uow_factory: UnitOfWorkFactory, *, offer_id: int) -> None:
    """The tap came too late (someone else booked the time), and the client was told so
    on the spot: this offer is gone, and no "gone" notice follows; the wish stays."""
    async with uow_factory() as uow:
        for was in (WaitOfferStatus.SENT, WaitOfferStatus.PENDING):
            await uow.waitlist.set_offer(offer_id, WaitOfferStatus.GONE, was=was)
        await uow.commit()
