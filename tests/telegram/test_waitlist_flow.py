"""The waiting list through the real Dispatcher: a client asks to be told of an earlier
time (de, fa_AF, ar), sees and leaves the wish in "My appointments", and books a freed
time with one tap on the offer the scheduler's tick sends."""

from __future__ import annotations

import time
from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import select

from bot.domain import DayPart, LifeArea, Mode, Wish
from bot.services import booking, waitlist
from bot.services.waitlist_sending import dispatch_waitlist
from handlers import labels
from handlers.client import waitlist_views as wv
from handlers.plumbing.notifier import TelegramNotifier
from handlers.plumbing.sending import RateLimitedSender
from storage.models import AppointmentRow
from storage.waitlist_models import WishRow
from tests.helpers import id_of
from tests.telegram.world import (
    BERLIN_THURSDAY_9,
    World,
    add_hours,
    booked_by_the_service,
    case_manager,
    client_of,
    consented_client,
    pick_day,
)

STAFF_ID = 700
ISOLATE = "\u2068"


async def _wishes(world: World) -> list[Any]:
    """The stored wishes (rows with WishRow's columns), oldest first."""
    async with world.engine.connect() as connection:
        return list((await connection.execute(select(WishRow).order_by(WishRow.id))).all())


@pytest.mark.parametrize("locale", ["de", "fa_AF", "ar"])
async def test_a_client_makes_sees_and_leaves_a_wish(world: World, locale: str) -> None:
    t = world.t(locale)
    await case_manager(world, STAFF_ID)
    await add_hours(world, STAFF_ID, weekday=3, hours=(9, 11), address="Rathaus")
    client = await consented_client(world, 5000, locale)

    sent = await pick_day(client, t, area=LifeArea.HOUSING)  # the times of Thursday
    assert t.p_("button", "🔔 None of these times suit me") in sent[-1].labels
    sent = await client.tap(t.p_("button", "🔔 None of these times suit me"))
    assert sent[-1].text == wv.when_picker(t, set(), DayPart.ANY).text
    sent = await client.tap(labels.weekday(t, 1))  # Tuesday
    assert "✓ " + labels.weekday(t, 1) in sent[-1].labels
    await client.tap(t.p_("button", "Mornings"))
    sent = await client.tap(t.p_("button", "Next ➡️"))
    assert sent[-1].text == wv.until_picker(t).text
    # Back leads to the days again, with what was chosen.
    sent = await client.tap(t.p_("button", "⬅️ Back"))
    assert "✓ " + t.p_("button", "Mornings") in sent[-1].labels
    await client.tap(t.p_("button", "Next ➡️"))
    sent = await client.tap(t.n_("{n} week", "{n} weeks", 4))
    saved = sent[-1].text
    (wish,) = await _wishes(world)
    assert (wish.topic, wish.mode, wish.weekdays, wish.day_part, wish.status) == (
        "housing",
        "in_person",
        "1",
        "am",
        "waiting",
    )
    assert wish.until == world.clock.now().date() + timedelta(weeks=4)
    stored = Wish(None, 1, 1, LifeArea.HOUSING, Mode.IN_PERSON, until=wish.until)
    assert saved == wv.wish_saved(t, stored).text

    sent = await client.tap(t.p_("button", "🗓 My appointments"))
    listing = sent[-1].text or ""
    assert labels.life_area_name(t, LifeArea.HOUSING) in listing
    if locale != "de":  # right to left: the date and topic sit in isolates
        assert listing.count(ISOLATE) >= 2
    sent = await client.tap(t.p_("button", "✖️ Leave the waiting list"))
    assert t.p_("button", "✖️ Leave the waiting list") not in sent[-1].labels
    assert (await _wishes(world))[0].status == "cancelled"


async def test_no_free_time_at_all_asks_the_mode_then_keeps_the_wish(world: World) -> None:
    t = world.t("de")
    await case_manager(world, STAFF_ID)  # no hours: nothing to book
    client = await consented_client(world, 5001, "de")
    await client.tap(t.p_("button", "📅 Book an appointment"))
    sent = await client.tap(labels.life_area(t, LifeArea.WORK))
    assert t.p_("button", "🔔 Tell me when a time frees up") in sent[-1].labels
    sent = await client.tap(t.p_("button", "🔔 Tell me when a time frees up"))
    assert sent[-1].text == wv.mode_picker(t).text
    await client.tap(labels.mode(t, Mode.PHONE))
    await client.tap(t.p_("button", "Next ➡️"))
    await client.tap(t.n_("{n} week", "{n} weeks", 2))
    (wish,) = await _wishes(world)
    assert (wish.topic, wish.mode, wish.weekdays, wish.day_part) == ("work", "phone", "", "any")


@pytest.mark.parametrize("locale", ["fa_AF", "de"])
async def test_an_offer_is_booked_with_one_tap_and_a_late_tap_is_refused(
    world: World, locale: str
) -> None:
    t = world.t(locale)
    await case_manager(world, STAFF_ID)
    await add_hours(world, STAFF_ID, weekday=3, hours=(9, 11), address="Rathaus")
    holder = await client_of(world, STAFF_ID, 6000, "Aziz")
    booked = await booked_by_the_service(world, holder, STAFF_ID, BERLIN_THURSDAY_9)
    waiting = await client_of(world, STAFF_ID, 6001, "Bahar", locale)
    world.clock.advance(minutes=1)
    await waitlist.make_wish(
        world.uow_factory,
        world.clock,
        world.policy,
        client_id=id_of(waiting),
        topic=LifeArea.HOUSING,
        mode=Mode.IN_PERSON,
        weeks=2,
    )
    world.clock.advance(minutes=1)
    await booking.cancel_appointment(
        world.uow_factory, world.clock, appointment_id=id_of(booked), client_id=id_of(holder)
    )
    harness = world.harness
    notifier = TelegramNotifier(
        harness.bot,
        world.catalogs,
        RateLimitedSender(100, per_chat_interval=0),
        world.policy,
        world.uow_factory,
        world.clock,
    )
    await waitlist.offer_freed_times(world.uow_factory, world.clock, world.policy)
    await dispatch_waitlist(world.uow_factory, world.clock, notifier, world.policy)
    person = harness.person(6001, locale)
    offer_text = person.last_text()
    assert labels.when(t, BERLIN_THURSDAY_9, world.zone) in offer_text
    sent = await person.tap(t.p_("button", "✅ Book it"))
    assert any((s.text or "").startswith(t._("✅ Your appointment is booked.")) for s in sent)
    async with world.engine.connect() as connection:
        owner = await connection.scalar(
            select(AppointmentRow.client_id).where(AppointmentRow.status == "booked")
        )
    assert owner == id_of(waiting)
    assert (await _wishes(world))[0].status == "fulfilled"
    # The same button again: the time is no longer to be had.
    sent = await person.press(next(d for label, d in _offer_buttons(harness) if "take" in d))
    assert sent[-1].text == wv.too_late(t).text


def _offer_buttons(harness: object) -> list[tuple[str, str]]:
    calls = harness.session.calls  # type: ignore[attr-defined]
    return next(c.buttons for c in calls if any("wl:take" in d for _, d in c.buttons))


async def test_offers_go_in_order_at_the_shared_rate_and_a_slower_tap_is_told_once(
    world: World,
) -> None:
    t = world.t("de")
    await case_manager(world, STAFF_ID)
    await add_hours(world, STAFF_ID, weekday=3, hours=(9, 11), address="Rathaus")
    holder = await client_of(world, STAFF_ID, 6000, "Aziz")
    booked = await booked_by_the_service(world, holder, STAFF_ID, BERLIN_THURSDAY_9)
    for user, name in ((6001, "Bahar"), (6002, "Cyrus")):
        world.clock.advance(minutes=1)
        waiting = await client_of(world, STAFF_ID, user, name, "de")
        await waitlist.make_wish(
            world.uow_factory,
            world.clock,
            world.policy,
            client_id=id_of(waiting),
            topic=LifeArea.HOUSING,
            mode=Mode.IN_PERSON,
            weeks=2,
        )
    world.clock.advance(minutes=1)
    await booking.cancel_appointment(
        world.uow_factory, world.clock, appointment_id=id_of(booked), client_id=id_of(holder)
    )
    harness = world.harness
    # The notifier's rate-limited sender: 4 messages a second, no burst.
    notifier = TelegramNotifier(
        harness.bot,
        world.catalogs,
        RateLimitedSender(4, per_chat_interval=0),
        world.policy,
        world.uow_factory,
        world.clock,
    )
    assert await waitlist.offer_freed_times(world.uow_factory, world.clock, world.policy) == 2
    began = time.monotonic()
    await dispatch_waitlist(world.uow_factory, world.clock, notifier, world.policy)
    assert time.monotonic() - began >= 0.2  # the second waited for its turn
    offered = [
        c.chat_id for c in harness.session.calls if any("wl:take" in d for _, d in c.buttons)
    ]
    assert offered == [6001, 6002]  # in the order they asked

    first, second = harness.person(6001, "de"), harness.person(6002, "de")
    await first.tap(t.p_("button", "✅ Book it"))
    sent = await second.tap(t.p_("button", "✅ Book it"))
    assert sent[-1].text == wv.taken_by_other(t).text
    before = len(harness.session.calls)
    await dispatch_waitlist(world.uow_factory, world.clock, notifier, world.policy)
    assert [c for c in harness.session.calls[before:] if c.chat_id == 6002] == []  # told once
    assert [w.status for w in await _wishes(world)] == ["fulfilled", "waiting"]
