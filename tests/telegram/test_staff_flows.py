"""Case managers: working hours and days off by buttons, booking and cancelling for clients."""

from __future__ import annotations

import pytest
from aiogram.methods import SendDocument
from sqlalchemy import select

from bot.domain import LifeArea, Mode, WeeklyHours
from handlers import labels
from handlers.staff import availability_views as av
from handlers.staff import client_views as scv
from handlers.staff import views as sv
from storage.models import AppointmentRow, DayOffRow, WeeklyHoursRow
from tests.telegram.world import BERLIN_THURSDAY_9 as THURSDAY_9
from tests.telegram.world import World, add_hours, case_manager, consented_client

STAFF_ID = 800


@pytest.mark.parametrize("locale", ["de", "fa_AF", "ar"])
async def test_a_case_manager_sets_hours_by_buttons(world: World, locale: str) -> None:
    t, engine = world.t(locale), world.engine
    manager = await case_manager(world, STAFF_ID, locale=locale)
    sent = await manager.send("/availability")
    assert sent[-1].text == av.overview(t, []).text
    await manager.tap(t.p_("button", "➕ Add hours"))
    await manager.tap(labels.weekday(t, 3))
    await manager.tap("09:00")
    sent = await manager.tap("11:00")
    assert sent[-1].text == av.pick_slot(t).text
    await manager.tap(t._("{minutes} minutes", minutes=30))
    sent = await manager.tap(labels.mode(t, Mode.IN_PERSON))
    assert sent[-1].text == av.ask_address(t, None).text
    sent = await manager.send("x")
    assert sent[-1].text == av.address_invalid(t)
    sent = await manager.send("Rathaus Essen, Raum 3")
    assert sent[0].text is not None
    assert sent[0].text.startswith(av.saved(t, _window())[:3])
    async with engine.connect() as connection:
        row = (await connection.execute(select(WeeklyHoursRow))).one()
    assert (
        row.weekday,
        f"{row.start:%H:%M}",
        f"{row.end:%H:%M}",
        row.slot_minutes,
        row.mode,
        row.address,
    ) == (3, "09:00", "11:00", 30, "in_person", "Rathaus Essen, Raum 3")

    # A second window with the same address, by phone not needed: reuse the address button.
    await manager.tap(t.p_("button", "➕ Add hours"))
    await manager.tap(labels.weekday(t, 4))
    await manager.tap("14:00")
    await manager.tap("15:00")
    await manager.tap(t._("{minutes} minutes", minutes=60))
    await manager.tap(labels.mode(t, Mode.IN_PERSON))
    await manager.tap(t.p_("button", "📍 Same address as before"))
    async with engine.connect() as connection:
        rows = (await connection.execute(select(WeeklyHoursRow).order_by(WeeklyHoursRow.id))).all()
    assert len(rows) == 2 and rows[1].address == "Rathaus Essen, Raum 3"

    # Days off: Thursday 26 November is marked, and the client sees no Thursday slot.
    await manager.tap(t.p_("button", "🏖 Days off"))
    await manager.press("av:offday:2026-11-26")
    async with engine.connect() as connection:
        assert len((await connection.execute(select(DayOffRow))).all()) == 1
    client = await consented_client(world, 8100, "de")
    de = world.t("de")
    await client.tap(de.p_("button", "📅 Book an appointment"))
    await client.tap(labels.life_area(de, LifeArea.WORK))
    sent = await client.tap(labels.mode(de, Mode.IN_PERSON))
    assert labels.day_label(de, THURSDAY_9, world.zone) not in sent[-1].labels

    # Remove a window with its 🗑 button.
    sent = await manager.send("/availability")
    remove = next(data for label, data in sent[-1].buttons if label.startswith("🗑"))
    await manager.press(remove)
    async with engine.connect() as connection:
        assert len((await connection.execute(select(WeeklyHoursRow))).all()) == 1


def _window() -> WeeklyHours:
    from datetime import time

    return WeeklyHours(None, 1, 3, time(9), time(11), 30, Mode.IN_PERSON, "x")


async def test_forged_hours_buttons_touch_only_ones_own(world: World) -> None:
    engine = world.engine
    await case_manager(world, STAFF_ID)
    other = await case_manager(world, 801, slug="borken")
    await add_hours(world, STAFF_ID, weekday=3, hours=(8, 10), mode=Mode.PHONE)
    async with engine.connect() as connection:
        hours_id = (await connection.execute(select(WeeklyHoursRow.id))).scalar_one()
    await other.press(f"av:rm:{hours_id}")
    await other.press("av:offday:1999-01-01")
    await other.press("av:to:2359")
    async with engine.connect() as connection:
        assert len((await connection.execute(select(WeeklyHoursRow))).all()) == 1
        assert (await connection.execute(select(DayOffRow))).all() == []


@pytest.mark.parametrize(
    ("staff_locale", "client_locale"), [("de", "fa_AF"), ("fa_AF", "ar"), ("ar", "de")]
)
async def test_a_case_manager_books_and_cancels_for_a_client(
    world: World, staff_locale: str, client_locale: str
) -> None:
    t, ct, zone = world.t(staff_locale), world.t(client_locale), world.zone
    manager = await case_manager(world, STAFF_ID, locale=staff_locale)
    await add_hours(world, STAFF_ID, weekday=3, hours=(9, 11), mode=Mode.VIDEO)
    client = await consented_client(world, 8200, client_locale)

    sent = await manager.send("/start")
    await manager.tap(t.p_("button", "📋 Clients"))
    # The client came by the site link: nobody's yet, so among all clients of the site.
    assert t._("Nobody here yet.") in manager.last_text()
    await manager.tap(t.p_("button", "👥 All clients of the site"))
    name = labels.client_name(t, None, 1)
    sent = await manager.tap(name.replace("\u2068", "").replace("\u2069", "")[:4])
    await manager.tap(t.p_("button", "📅 Book for this client"))
    await manager.tap(labels.life_area(t, LifeArea.LANGUAGE))
    await manager.tap(labels.mode(t, Mode.VIDEO))
    await manager.tap(labels.day_label(t, THURSDAY_9, zone))
    await manager.tap("10:00")
    await manager.tap(t.p_("button", "Yes, please"))
    sent = await manager.tap(t.p_("button", "✅ Book this appointment"))

    told = next(s for s in sent if s.chat_id == client.user_id and s.text)
    assert told.text is not None  # as chosen
    assert told.text.startswith(ct._("📅 Your advisor booked an appointment for you."))
    assert labels.when(ct, THURSDAY_9.replace(hour=9), zone) in told.text
    assert any(isinstance(s.raw, SendDocument) and s.chat_id == client.user_id for s in sent)
    async with world.engine.connect() as connection:
        row = (await connection.execute(select(AppointmentRow))).one()
    assert row.booked_by == "staff" and row.interpreter == client_locale and row.mode == "video"

    # Cancel from the client's entry: the client is told with an apology and a way to rebook.
    sent = await manager.tap("✖️")
    told = next(s for s in sent if s.chat_id == client.user_id)
    assert (
        told.text
        == scv.client_told_cancelled(ct, labels.when(ct, THURSDAY_9.replace(hour=9), zone)).text
    )
    assert ct.p_("button", "📅 Book an appointment") in told.labels
    async with world.engine.connect() as connection:
        assert (await connection.execute(select(AppointmentRow.status))).scalar_one() == "cancelled"


async def test_staff_of_another_site_cannot_see_or_book_a_client(world: World) -> None:
    await case_manager(world, STAFF_ID)
    await consented_client(world, 8300, "de")
    stranger = await case_manager(world, 802, slug="borken")
    t = world.t("de")
    for data in ("sc:view:1:", "sc:book:1:", "sc:confirm:1:", "sc:cancel:1:1"):
        await stranger.press(data)
        assert world.harness.answers()[-1].text == sv.not_your_client(t)
    async with world.engine.connect() as connection:
        assert (await connection.execute(select(AppointmentRow))).all() == []
