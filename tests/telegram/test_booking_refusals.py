"""When a booking cannot go on, the client is told why and given a way on: a time taken
meanwhile or too soon by now offers the free times nearest to it (issue 18, items 5 and
6); a client with as many open appointments as allowed hears it at the start (item 7)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from bot.domain import Client
from bot.i18n import Translator
from handlers import labels
from handlers.client import booking_views as bv
from storage.models import AppointmentRow
from tests.telegram.harness import Person
from tests.telegram.test_booking_flow import site_with_case_manager
from tests.telegram.world import (
    BERLIN_THURSDAY_9,
    World,
    booked_by_the_service,
    consented_client,
    pick_day,
)

STAFF_ID = 700  # the case manager of site_with_case_manager: Thursdays 09:00-11:00
THURSDAY_10 = BERLIN_THURSDAY_9.replace(hour=9)  # 10:00 in Berlin


async def _stored_client(world: World, user_id: int) -> Client:
    async with world.uow_factory() as uow:
        client = await uow.clients.by_telegram_id(user_id)
    assert client is not None
    return client


async def _up_to(client: Person, t: Translator, at: str, step: str) -> None:
    """The client chose Thursday `at` and stands at `step`: the interpreter question, or
    the summary (after saying no to an interpreter)."""
    await pick_day(client, t)
    await client.tap(at)
    if step == "summary":
        await client.tap(t.p_("button", "No, thank you"))


def _tap_to_go_on(t: Translator, step: str) -> str:
    """The button that takes the step on: 'No, thank you' or 'Book this appointment'."""
    return t.p_("button", "No, thank you" if step == "interpreter" else "✅ Book this appointment")


@pytest.mark.parametrize("step", ["interpreter", "summary"])
async def test_a_time_taken_meanwhile_offers_the_nearest_free_times(
    world: World, step: str
) -> None:
    t, zone = world.t("de"), world.zone
    await site_with_case_manager(world)
    client = await consented_client(world, 6100, "de")
    await _up_to(client, t, "10:00", step)
    # Someone else books Thursday 10:00 while the client looks at it.
    other = await consented_client(world, 6101, "de")
    await booked_by_the_service(world, await _stored_client(world, 6101), STAFF_ID, THURSDAY_10)
    assert other

    sent = await client.tap(_tap_to_go_on(t, step))
    screen = sent[-1]
    assert screen.text is not None
    assert screen.text.startswith(t._("Sorry, this time was just taken by someone else."))
    # The free times nearest to 10:00 first (09:30 and 10:30), not the earliest (09:00).
    assert screen.labels[:3] == [
        labels.when(t, THURSDAY_10 - timedelta(minutes=30), zone),
        labels.when(t, THURSDAY_10 + timedelta(minutes=30), zone),
        labels.when(t, BERLIN_THURSDAY_9, zone),
    ]
    # One of them books at once.
    await client.tap(screen.labels[1])
    await client.tap(t.p_("button", "No, thank you"))
    sent = await client.tap(t.p_("button", "✅ Book this appointment"))
    assert any(s.text and s.text.startswith(t._("✅ Your appointment is booked.")) for s in sent)
    async with world.engine.connect() as connection:
        starts = (await connection.execute(select(AppointmentRow.starts_at))).scalars().all()
    assert sorted(starts) == [THURSDAY_10, THURSDAY_10 + timedelta(minutes=30)]


@pytest.mark.parametrize("step", ["interpreter", "summary"])
async def test_a_time_too_soon_by_now_says_why_and_offers_the_nearest(
    world: World, step: str
) -> None:
    t, zone = world.t("fa_AF"), world.zone
    await site_with_case_manager(world)
    client = await consented_client(world, 6200, "fa_AF")
    await _up_to(client, t, "09:30", step)
    # The client comes back on Thursday at 08:00: 09:30 is less than BOOKING_LEAD (2 h) away.
    world.clock.current = datetime(2026, 11, 26, 7, 0, tzinfo=UTC)

    before = len(world.harness.answers())
    sent = await client.tap(_tap_to_go_on(t, step))
    screen = sent[-1]
    assert screen.text is not None
    assert screen.text.startswith(bv.slot_too_soon(t, [], zone).text)  # says why
    assert world.harness.answers()[before].show_alert is not True  # not "no longer works"
    # What can still be booked, nearest to 09:30 first: 10:00, 10:30, then next week.
    assert screen.labels[:3] == [
        labels.when(t, THURSDAY_10, zone),
        labels.when(t, THURSDAY_10 + timedelta(minutes=30), zone),
        labels.when(t, BERLIN_THURSDAY_9 + timedelta(days=7), zone),
    ]
    await client.tap(screen.labels[0])
    await client.tap(t.p_("button", "No, thank you"))
    await client.tap(t.p_("button", "✅ Book this appointment"))
    async with world.engine.connect() as connection:
        assert (await connection.execute(select(AppointmentRow.starts_at))).scalars().all() == [
            THURSDAY_10
        ]


async def test_too_many_open_appointments_is_said_when_booking_starts(world: World) -> None:
    t = world.t("ps")
    await site_with_case_manager(world)
    client = await consented_client(world, 6300, "ps")
    stored = await _stored_client(world, 6300)
    for minutes in (0, 30, 60):  # MAX_OPEN_APPOINTMENTS is 3
        start = BERLIN_THURSDAY_9 + timedelta(minutes=minutes)
        await booked_by_the_service(world, stored, STAFF_ID, start)

    sent = await client.tap(t.p_("button", "📅 Book an appointment"))
    assert sent[-1].text == bv.too_many(t, 3).text  # at once, not after every step
    assert sent[-1].text != bv.topic_picker(t).text
    assert t.p_("button", "🗓 My appointments") in sent[-1].labels
    assert t.p_("button", "⬅️ Back to the menu") in sent[-1].labels
    sent = await client.tap(t.p_("button", "🗓 My appointments"))
    assert len([label for label in sent[-1].labels if label.startswith("📅")]) == 3

    # Once one is cancelled, booking starts as usual.
    await client.tap(sent[-1].labels[0])
    await client.tap(t.p_("button", "✖️ Cancel this appointment"))
    await client.tap(t.p_("button", "🤒 I am ill"))
    sent = await client.tap(t.p_("button", "📅 Book an appointment"))
    assert sent[-1].text == bv.topic_picker(t).text
