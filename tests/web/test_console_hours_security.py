"""Refusals of the Hours pages and the role change (issue 20): role and site checked on
the server, another site's ids answered 404 and audited, CSRF on every form; the site's
last coordinator stays one."""

from __future__ import annotations

from sqlalchemy import select

from bot.domain import DayOff, StaffRole
from storage.models import StaffRow
from tests.helpers import id_of
from tests.web.conftest import ConsoleWorld
from tests.web.hours_setup import THURSDAY, WINDOW, add_window, days_off_of, de, windows_of

COORDINATOR = StaffRole.COORDINATOR


async def _role_of(console: ConsoleWorld, staff_id: int | None) -> str:
    async with console.engine.connect() as connection:
        role = await connection.scalar(select(StaffRow.role).where(StaffRow.id == staff_id))
    assert isinstance(role, str)
    return role


async def test_a_case_manager_gets_403_on_the_coordinators_hours(console: ConsoleWorld) -> None:
    await console.staff(100, role=COORDINATOR)
    ben = await console.staff(101, name="Ben")
    anna = await console.staff(102, name="Anna")
    browser = await console.signed_in(ben)
    csrf = (await browser.get("/console/my-hours")).csrf
    for path in ("/console/hours", f"/console/hours/{anna.id}", f"/console/hours/{ben.id}"):
        assert (await browser.get(path)).status == 403, path
    refused = await browser.post(f"/console/hours/{anna.id}/windows", {**WINDOW, "csrf": csrf})
    assert refused.status == 403
    assert (await browser.get(f"/console/staff/{anna.id}/role")).status == 403
    changed = await browser.post(
        f"/console/staff/{ben.id}/role", {"role": "coordinator", "csrf": csrf}
    )
    assert changed.status == 403
    assert await windows_of(console, anna) == [] and await _role_of(console, ben.id) == "thm"
    assert ("refused.role", ben.id, ben.site_id) in await console.audit()


async def test_another_sites_staff_windows_and_days_off_are_404_and_audited(
    console: ConsoleWorld,
) -> None:
    cora = await console.staff(100, role=COORDINATOR)
    bea = await console.staff(200, slug="borken", name="Bea")
    window = await add_window(console, bea)
    async with console.uow_factory() as uow:
        await uow.days_off.add(DayOff(id_of(bea), THURSDAY))
        await uow.commit()
    browser = await console.signed_in(cora)
    csrf = (await browser.get("/console/hours")).csrf
    base = f"/console/hours/{bea.id}"
    for path in (base, f"{base}/windows/{window.id}/remove", "/console/hours/99999"):
        page = await browser.get(path)
        assert page.status == 404 and "Bea" not in page.text, path
    for path, form in (
        (f"{base}/windows", {**WINDOW}),
        (f"{base}/windows/{window.id}/remove", {}),
        (f"{base}/days-off", {"first": "2026-12-01"}),
        (f"{base}/days-off/remove", {"day": THURSDAY.isoformat()}),
        (f"/console/staff/{bea.id}/role", {"role": "coordinator"}),
    ):
        assert (await browser.post(path, {**form, "csrf": csrf})).status == 404, path
    assert (await browser.get(f"/console/staff/{bea.id}/role")).status == 404
    assert await windows_of(console, bea) == [(3, "09:00", "12:00", 30, "phone")]
    assert await days_off_of(console, bea) == [THURSDAY]
    assert await _role_of(console, bea.id) == "thm"
    refusals = [a for a in await console.audit() if a[0].startswith("refused.")]
    assert ("refused.staff", cora.id, cora.site_id) in refusals and len(refusals) == 9


async def test_a_window_of_a_colleague_is_not_reachable_through_own_pages(
    console: ConsoleWorld,
) -> None:
    ben = await console.staff(101, name="Ben")
    anna = await console.staff(102, name="Anna")
    annas = await add_window(console, anna)
    browser = await console.signed_in(ben)
    csrf = (await browser.get("/console/my-hours")).csrf
    path = f"/console/my-hours/windows/{annas.id}/remove"
    assert (await browser.get(path)).status == 404
    assert (await browser.post(path, {"csrf": csrf})).status == 404
    assert (await browser.get("/console/my-hours/windows/abc/remove")).status == 404
    # A day that is not one of the person's days off is no record of theirs either.
    unknown = await browser.post(
        "/console/my-hours/days-off/remove", {"day": THURSDAY.isoformat(), "csrf": csrf}
    )
    assert unknown.status == 404
    assert await windows_of(console, anna) == [(3, "09:00", "12:00", 30, "phone")]
    audit = await console.audit()
    assert ("refused.hours", ben.id, ben.site_id) in audit
    assert ("refused.day_off", ben.id, ben.site_id) in audit


async def test_every_hours_form_needs_the_csrf_token(console: ConsoleWorld) -> None:
    cora = await console.staff(100, role=COORDINATOR)
    ben = await console.staff(101, name="Ben")
    window = await add_window(console, ben)
    browser = await console.signed_in(cora)
    page = await browser.get(f"/console/hours/{ben.id}")
    assert page.text.count('name="csrf"') >= 3  # log out, add hours, add days off
    for base in (f"/console/hours/{ben.id}", "/console/my-hours"):
        for path, form in (
            (f"{base}/windows", {**WINDOW, "weekday": "5"}),
            (f"{base}/windows/{window.id}/remove", {}),
            (f"{base}/days-off", {"first": "2026-12-01"}),
            (f"{base}/days-off/remove", {"day": "2026-12-01"}),
        ):
            for token in ({}, {"csrf": "0" * 64}):
                assert (await browser.post(path, {**form, **token})).status == 403, path
    refused = await browser.post(f"/console/staff/{ben.id}/role", {"role": "coordinator"})
    assert refused.status == 403
    assert await windows_of(console, ben) == [(3, "09:00", "12:00", 30, "phone")]
    assert await days_off_of(console, ben) == [] and await _role_of(console, ben.id) == "thm"


async def test_a_coordinator_changes_a_role_after_a_confirm_step(console: ConsoleWorld) -> None:
    cora = await console.staff(100, role=COORDINATOR, name="Cora")
    ben = await console.staff(101, name="Ben")
    browser = await console.signed_in(cora)
    staff_page = await browser.get("/console/staff")
    assert f'href="/console/staff/{ben.id}/role"' in staff_page.text
    confirm = await browser.get(f"/console/staff/{ben.id}/role")
    assert confirm.status == 200 and await _role_of(console, ben.id) == "thm"
    title = de("Change the role of {name} to {role}?")
    assert title.format(name="Ben", role=de("Coordinator")) in confirm.text
    assert 'name="role" value="coordinator"' in confirm.text
    page = await browser.post(
        f"/console/staff/{ben.id}/role", {"role": "coordinator", "csrf": confirm.csrf}
    )
    assert page.status == 200 and page.url.endswith("/console/staff")
    assert await _role_of(console, ben.id) == "coordinator"
    assert ("console.staff.role", cora.id, cora.site_id) in await console.audit()
    # Ben is a coordinator now: the Hours page is his too.
    assert (await (await console.signed_in(ben)).get("/console/hours")).status == 200

    back = await browser.get(f"/console/staff/{ben.id}/role")
    assert title.format(name="Ben", role=de("Case manager")) in back.text
    await browser.post(f"/console/staff/{ben.id}/role", {"role": "thm", "csrf": back.csrf})
    assert await _role_of(console, ben.id) == "thm"


async def test_the_last_coordinator_cannot_step_down(console: ConsoleWorld) -> None:
    cora = await console.staff(100, role=COORDINATOR, name="Cora")
    ben = await console.staff(101, name="Ben")
    browser = await console.signed_in(cora)
    confirm = await browser.get(f"/console/staff/{cora.id}/role")
    assert confirm.status == 200
    page = await browser.post(
        f"/console/staff/{cora.id}/role", {"role": "thm", "csrf": confirm.csrf}
    )
    assert page.status == 409
    assert (
        de("The site needs at least one active coordinator. Make someone else a coordinator first.")
        in page.text
    )
    assert await _role_of(console, cora.id) == "coordinator"

    # With a second coordinator she may; her console then is a case manager's.
    await browser.post(
        f"/console/staff/{ben.id}/role", {"role": "coordinator", "csrf": confirm.csrf}
    )
    page = await browser.post(
        f"/console/staff/{cora.id}/role", {"role": "thm", "csrf": confirm.csrf}
    )
    assert page.status == 200 and page.url.endswith("/console/")
    assert await _role_of(console, cora.id) == "thm"
    assert (await browser.get("/console/hours")).status == 403
