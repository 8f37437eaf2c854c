"""The console's Hours pages (issue 20): a coordinator sets a case manager's weekly hours
and days off, a case manager their own; the chat's booking offers follow at once."""

from __future__ import annotations

from datetime import date, timedelta

from bot.domain import Appointment, AppointmentStatus, LifeArea, Mode, StaffRole
from tests.helpers import id_of
from tests.web.conftest import ConsoleWorld
from tests.web.hours_setup import (
    BERLIN,
    THURSDAY,
    WINDOW,
    add_window,
    client_of,
    days_off_of,
    de,
    offered,
    windows_of,
)

COORDINATOR = StaffRole.COORDINATOR


async def test_a_coordinator_sets_hours_and_the_chat_offers_them(console: ConsoleWorld) -> None:
    cora = await console.staff(100, role=COORDINATOR, name="Cora")
    ben = await console.staff(101, name="Ben")
    await console.staff(200, slug="borken", name="Bea")
    client = await client_of(console, ben)
    assert await offered(console, client) == []
    browser = await console.signed_in(cora)

    home = await browser.get("/console/")
    assert 'href="/console/hours"' in home.text
    chooser = await browser.get("/console/hours")
    assert chooser.status == 200
    assert f'href="/console/hours/{ben.id}"' in chooser.text and "Cora" in chooser.text
    assert "Bea" not in chooser.text
    chosen = await browser.get(f"/console/hours?staff={ben.id}")
    assert chosen.url.endswith(f"/console/hours/{ben.id}")
    assert de("Hours of {name}").format(name="Ben") in chosen.text
    assert de("No weekly hours yet. Clients can book only in these hours.") in chosen.text

    added = await browser.post(f"/console/hours/{ben.id}/windows", {**WINDOW, "csrf": chosen.csrf})
    assert added.status == 200 and added.url.endswith(f"/console/hours/{ben.id}")
    assert await windows_of(console, ben) == [(3, "09:00", "12:00", 30, "in_person")]
    assert "09:00–12:00" in added.text and "Rathaus Essen, Raum 3" in added.text
    assert de("{minutes} min. per appointment").format(minutes=30) in added.text
    assert de("In person", "mode") in added.text
    # The chat offers the new hours: tomorrow (Thursday) 9:00 to 11:30, and next week.
    starts = await offered(console, client)
    assert starts[0].date() == THURSDAY and f"{starts[0]:%H:%M}" == "09:00"
    assert [f"{s:%H:%M}" for s in starts if s.date() == THURSDAY][-1] == "11:30"
    assert {s.date() for s in starts} == {THURSDAY, THURSDAY + timedelta(days=7)}

    # A day off tomorrow: its slots disappear from the chat.
    page = await browser.post(
        f"/console/hours/{ben.id}/days-off",
        {"first": THURSDAY.isoformat(), "last": "", "csrf": added.csrf},
    )
    assert page.status == 200 and await days_off_of(console, ben) == [THURSDAY]
    assert "26. November 2026" in page.text
    assert {s.date() for s in await offered(console, client)} == {THURSDAY + timedelta(days=7)}
    audit = await console.audit()
    for action in ("console.hours.read", "console.hours.add", "console.days_off.add"):
        assert (action, cora.id, cora.site_id) in audit


async def test_the_grid_shows_every_window_by_weekday(console: ConsoleWorld) -> None:
    cora = await console.staff(100, role=COORDINATOR, name="Cora", locale="en")
    ben = await console.staff(101, name="Ben")
    await add_window(console, ben, weekday=0, start=8, end=10)
    await add_window(console, ben, weekday=4, start=14, end=17)
    page = await (await console.signed_in(cora)).get(f"/console/hours/{ben.id}")
    text = page.text
    assert page.status == 200 and "Hours of Ben" in text
    for name in ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"):
        assert f"<h3>{name}</h3>" in text
    monday, friday = text.index("<h3>Monday</h3>"), text.index("<h3>Friday</h3>")
    assert monday < text.index("08:00–10:00") < text.index("<h3>Tuesday</h3>")
    assert friday < text.index("14:00–17:00") < text.index("<h3>Saturday</h3>")
    assert "By phone" in text


async def test_wrong_hours_are_shown_on_the_form_with_the_values_kept(
    console: ConsoleWorld,
) -> None:
    cora = await console.staff(100, role=COORDINATOR)
    ben = await console.staff(101, name="Ben")
    await add_window(console, ben, weekday=3, start=9, end=12)
    browser = await console.signed_in(cora)
    csrf = (await browser.get(f"/console/hours/{ben.id}")).csrf
    path = f"/console/hours/{ben.id}/windows"

    wrong = {**WINDOW, "start": "13:00", "end": "11:00", "slot": "5", "address": "", "csrf": csrf}
    page = await browser.post(path, wrong)
    assert page.status == 400
    assert de("The end must be after the start.") in page.text
    assert de("An appointment lasts 10 to 240 minutes.") in page.text
    assert de("In-person hours need an address.") in page.text
    assert 'value="13:00"' in page.text and 'value="11:00"' in page.text
    assert 'name="slot" type="number" min="10" max="240" step="5" value="5"' in page.text
    assert '<option value="3" selected>' in page.text

    overlapping = {**WINDOW, "start": "11:30", "end": "14:00", "csrf": csrf}
    page = await browser.post(path, overlapping)
    assert page.status == 400
    assert de("These hours overlap hours already set on this day.") in page.text
    assert 'value="11:30"' in page.text and 'value="Rathaus Essen, Raum 3"' in page.text

    too_long = {**WINDOW, "weekday": "4", "end": "09:20", "slot": "30", "csrf": csrf}
    page = await browser.post(path, too_long)
    assert de("One appointment does not fit between start and end.") in page.text
    short_address = {**WINDOW, "weekday": "4", "address": "R 3", "csrf": csrf}
    page = await browser.post(path, short_address)
    assert de("Please give an address of 5 to 200 characters.") in page.text
    garbled = {**WINDOW, "weekday": "4", "start": "9 Uhr", "mode": "fax", "csrf": csrf}
    page = await browser.post(path, garbled)
    assert de("Please give a time such as 09:00.") in page.text
    assert de("Please choose how clients meet the person.") in page.text
    assert 'value="9 Uhr"' in page.text
    assert await windows_of(console, ben) == [(3, "09:00", "12:00", 30, "phone")]

    # By phone, the same day after the first window: no address needed, none stored.
    fine = {**WINDOW, "start": "12:00", "end": "13:00", "mode": "phone", "csrf": csrf}
    assert (await browser.post(path, fine)).status == 200
    assert (3, "12:00", "13:00", 30, "phone") in await windows_of(console, ben)


async def test_removing_a_window_lists_its_booked_appointments_and_keeps_them(
    console: ConsoleWorld,
) -> None:
    cora = await console.staff(100, role=COORDINATOR)
    ben = await console.staff(101, name="Ben")
    window = await add_window(console, ben, weekday=3, start=9, end=12)
    other = await add_window(console, ben, weekday=3, start=14, end=16)
    client = await client_of(console, ben)
    starts = THURSDAY_AT_10 = console.clock.now() + timedelta(days=1)  # Thursday 10:00
    async with console.uow_factory() as uow:
        booked = await uow.appointments.add(
            Appointment(
                None,
                id_of(client),
                id_of(ben),
                starts,
                starts + timedelta(minutes=30),
                Mode.PHONE,
                LifeArea.WORK,
            ),
            console.clock.now(),
        )
        await uow.commit()
    browser = await console.signed_in(cora)
    confirm = await browser.get(f"/console/hours/{ben.id}/windows/{window.id}/remove")
    assert confirm.status == 200
    assert de("These booked appointments are in these hours. They stay booked:") in confirm.text
    assert (
        "Ahmad K." in confirm.text and f"{THURSDAY_AT_10.astimezone(BERLIN):%H:%M}" in confirm.text
    )
    other_confirm = await browser.get(f"/console/hours/{ben.id}/windows/{other.id}/remove")
    assert de("No booked appointments are in these hours.") in other_confirm.text
    assert "Ahmad K." not in other_confirm.text

    page = await browser.post(
        f"/console/hours/{ben.id}/windows/{window.id}/remove", {"csrf": confirm.csrf}
    )
    assert page.status == 200 and page.url.endswith(f"/console/hours/{ben.id}")
    assert await windows_of(console, ben) == [(3, "14:00", "16:00", 30, "phone")]
    async with console.uow_factory() as uow:
        kept = await uow.appointments.get(id_of(booked))
    assert kept is not None and kept.status is AppointmentStatus.BOOKED
    assert ("console.hours.remove", cora.id, cora.site_id) in await console.audit()


async def test_days_off_a_range_is_added_and_one_removed(console: ConsoleWorld) -> None:
    cora = await console.staff(100, role=COORDINATOR)
    ben = await console.staff(101, name="Ben")
    browser = await console.signed_in(cora)
    page = await browser.get(f"/console/hours/{ben.id}")
    assert de("No days off planned.") in page.text
    path = f"/console/hours/{ben.id}/days-off"
    first, last = date(2026, 12, 21), date(2026, 12, 23)
    page = await browser.post(
        path, {"first": first.isoformat(), "last": last.isoformat(), "csrf": page.csrf}
    )
    assert await days_off_of(console, ben) == [first, first + timedelta(days=1), last]
    assert "21. Dezember 2026" in page.text and "23. Dezember 2026" in page.text

    page = await browser.post(f"{path}/remove", {"day": "2026-12-22", "csrf": page.csrf})
    assert page.status == 200 and await days_off_of(console, ben) == [first, last]
    assert "22. Dezember 2026" not in page.text
    assert ("console.days_off.remove", cora.id, cora.site_id) in await console.audit()

    for form, message in (
        ({"first": "2026-11-24", "last": ""}, "Please choose today or a later day."),
        ({"first": "2026-12-10", "last": "2026-12-01"}, "The last day cannot be before the first."),
        ({"first": "", "last": ""}, "Please give a date."),
        ({"first": "2026-12-01", "last": "bald"}, "Please give a date, or leave this empty."),
    ):
        wrong = await browser.post(path, {**form, "csrf": page.csrf})
        assert wrong.status == 400 and de(message) in wrong.text, form
        assert f'value="{form["first"]}"' in wrong.text
    too_long = await browser.post(
        path, {"first": "2027-01-01", "last": "2027-06-01", "csrf": page.csrf}
    )
    assert de("Please set at most {days} days at once.").format(days=62) in too_long.text
    assert await days_off_of(console, ben) == [first, last]


async def test_nrw_holidays_of_the_next_8_weeks_are_shown(console: ConsoleWorld) -> None:
    cora = await console.staff(100, role=COORDINATOR)
    ben = await console.staff(101, name="Ben", locale="en")
    german = await (await console.signed_in(cora)).get(f"/console/hours/{ben.id}")
    assert "Erster Weihnachtstag" in german.text and "Neujahr" in german.text
    assert de("public holiday") in german.text
    assert "Karfreitag" not in german.text  # April: beyond 8 weeks
    english = await (await console.signed_in(ben)).get("/console/my-hours")
    assert "Christmas Day" in english.text and "New Year&#39;s Day" in english.text
    assert "public holiday" in english.text


async def test_a_case_manager_sets_their_own_hours(console: ConsoleWorld) -> None:
    ben = await console.staff(101, name="Ben", locale="en")
    client = await client_of(console, ben)
    browser = await console.signed_in(ben)
    home = await browser.get("/console/")
    assert 'href="/console/my-hours"' in home.text and 'href="/console/hours"' not in home.text
    page = await browser.get("/console/my-hours")
    assert page.status == 200 and "<h1>My hours</h1>" in page.text
    assert 'action="/console/my-hours/windows"' in page.text

    page = await browser.post("/console/my-hours/windows", {**WINDOW, "csrf": page.csrf})
    assert page.url.endswith("/console/my-hours")
    assert await windows_of(console, ben) == [(3, "09:00", "12:00", 30, "in_person")]
    assert THURSDAY in {s.date() for s in await offered(console, client)}
    page = await browser.post(
        "/console/my-hours/days-off", {"first": THURSDAY.isoformat(), "csrf": page.csrf}
    )
    assert await days_off_of(console, ben) == [THURSDAY]
    assert THURSDAY not in {s.date() for s in await offered(console, client)}
    window_id = page.text.split("/console/my-hours/windows/")[1].split("/")[0]
    confirm = await browser.get(f"/console/my-hours/windows/{window_id}/remove")
    assert confirm.status == 200
    await browser.post(f"/console/my-hours/windows/{window_id}/remove", {"csrf": confirm.csrf})
    assert await windows_of(console, ben) == []
    assert ("console.hours.add", ben.id, ben.site_id) in await console.audit()
