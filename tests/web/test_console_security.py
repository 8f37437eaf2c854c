"""The console's security baseline (issue 20): one-time login links, sessions, CSRF,
roles and sites checked on the server, refusals audited."""

from __future__ import annotations

import hashlib

import pytest
from sqlalchemy import func, select

from bot.domain import StaffRole
from bot.services import staff as staff_service
from storage.console_models import ConsoleLinkRow, ConsoleSessionRow
from storage.models import StaffInviteRow, StaffRow
from tests.helpers import id_of
from tests.web.conftest import ConsoleWorld, console_settings
from web.security import LoginLimiter

COORDINATOR = StaffRole.COORDINATOR


async def test_a_login_link_works_once_and_is_stored_hashed(console: ConsoleWorld) -> None:
    anna = await console.staff(100, name="Anna")
    token = await console.link(anna)
    browser = await console.browser()

    # Opening the link does not use it up (a link preview may fetch it): one button does.
    form = await browser.get(f"/console/login/{token}")
    assert form.status == 200 and 'name="token"' in form.text
    page = await browser.post("/console/login", {"token": token}, follow=False)
    assert page.status == 303 and page.headers["Location"] == "/console/"
    cookie = page.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Strict" in cookie and "Path=/console" in cookie
    assert "Secure" not in cookie  # http://127.0.0.1: a Secure cookie would never come back
    home = await browser.get("/console/")
    assert home.status == 200 and "Anna" in home.text

    again = await (await console.browser()).log_in(token)
    assert again.status == 410
    assert "/console" in again.text and "Anna" not in again.text

    async with console.engine.connect() as connection:
        links = (await connection.execute(select(ConsoleLinkRow.digest))).scalars().all()
        sessions = (await connection.execute(select(ConsoleSessionRow.digest))).scalars().all()
    assert links == [hashlib.sha256(token.encode()).hexdigest()]
    session_id = next(iter(browser.session.cookie_jar)).value
    assert sessions == [hashlib.sha256(session_id.encode()).hexdigest()]
    assert token not in links and session_id not in sessions


async def test_an_expired_or_unknown_link_is_refused(console: ConsoleWorld) -> None:
    anna = await console.staff(100)
    token = await console.link(anna)
    console.clock.advance(minutes=10)
    browser = await console.browser()
    assert (await browser.log_in(token)).status == 410
    assert (await browser.log_in("not-a-token")).status == 410
    assert (await browser.post("/console/login", {})).status == 410
    assert (await browser.get("/console/")).status == 401


async def test_a_link_of_a_deactivated_person_is_refused(console: ConsoleWorld) -> None:
    await console.staff(100)
    anna = await console.staff(101, name="Anna")
    token = await console.link(anna)
    await staff_service.deactivate_staff(console.uow_factory, telegram_user_id=101)
    assert (await (await console.browser()).log_in(token)).status == 410


@pytest.mark.parametrize(
    "web_settings", [console_settings(WEB_BASE_URL="https://lotse.example.org")]
)
async def test_the_cookie_is_secure_behind_https(console: ConsoleWorld) -> None:
    anna = await console.staff(100)
    browser = await console.browser()
    page = await browser.post("/console/login", {"token": await console.link(anna)}, follow=False)
    assert page.status == 303 and "Secure" in page.headers["Set-Cookie"]


async def test_a_post_without_or_with_a_wrong_csrf_token_is_refused(
    console: ConsoleWorld,
) -> None:
    coordinator = await console.staff(100, role=COORDINATOR)
    browser = await console.signed_in(coordinator)
    staff_page = await browser.get("/console/staff")
    for form in ({"role": "thm"}, {"role": "thm", "csrf": "0" * 64}, {"role": "thm", "csrf": ""}):
        refused = await browser.post("/console/staff/invite", form)
        assert refused.status == 403, form
    # A token of another session is wrong too.
    other = await console.signed_in(await console.staff(101, role=COORDINATOR))
    other_token = (await other.get("/console/staff")).csrf
    assert (
        await browser.post("/console/staff/invite", {"role": "thm", "csrf": other_token})
    ).status == 403
    async with console.engine.connect() as connection:
        assert await connection.scalar(select(func.count()).select_from(StaffInviteRow)) == 0

    made = await browser.post("/console/staff/invite", {"role": "thm", "csrf": staff_page.csrf})
    assert made.status == 200 and "https://t.me/lotse_test_bot?start=staff-" in made.text
    async with console.engine.connect() as connection:
        assert await connection.scalar(select(func.count()).select_from(StaffInviteRow)) == 1


async def test_a_post_without_a_session_is_refused(console: ConsoleWorld) -> None:
    await console.staff(100, role=COORDINATOR)
    browser = await console.browser()
    assert (await browser.post("/console/staff/invite", {"role": "thm"})).status == 401
    assert (await browser.post("/console/logout", {})).status == 401


async def test_a_case_manager_gets_403_on_coordinator_pages_and_it_is_audited(
    console: ConsoleWorld,
) -> None:
    await console.staff(100, role=COORDINATOR)
    ben = await console.staff(101, name="Ben")
    browser = await console.signed_in(ben)
    home = await browser.get("/console/")
    assert "/console/staff" not in home.text and "/console/week" in home.text
    for path in ("/console/site", "/console/staff", "/console/staff/1/deactivate"):
        page = await browser.get(path)
        assert page.status == 403, path
    invite = await browser.post("/console/staff/invite", {"role": "coordinator", "csrf": home.csrf})
    assert invite.status == 403
    assert (await browser.get("/console/week")).status == 200
    refusals = [row for row in await console.audit() if row[0] == "refused.role"]
    assert refusals == [("refused.role", ben.id, ben.site_id)] * 4


async def test_a_coordinator_gets_404_for_another_sites_staff_and_it_is_audited(
    console: ConsoleWorld,
) -> None:
    essen = await console.staff(100, role=COORDINATOR, slug="essen")
    borken = await console.staff(200, slug="borken", name="Bea")
    browser = await console.signed_in(essen)
    csrf = (await browser.get("/console/staff")).csrf
    assert "Bea" not in (await browser.get("/console/staff")).text
    form = await browser.get(f"/console/staff/{borken.id}/deactivate")
    assert form.status == 404 and "Bea" not in form.text
    done = await browser.post(f"/console/staff/{borken.id}/deactivate", {"csrf": csrf})
    assert done.status == 404
    for path in ("/console/staff/999/deactivate", "/console/staff/x/deactivate"):
        assert (await browser.get(path)).status == 404
    async with console.engine.connect() as connection:
        active = await connection.scalar(select(StaffRow.active).where(StaffRow.id == borken.id))
    assert active is True
    refusals = [row for row in await console.audit() if row[0].startswith("refused.")]
    assert refusals == [("refused.staff", essen.id, essen.site_id)] * 4


async def test_a_deactivated_staff_members_sessions_end_at_once(console: ConsoleWorld) -> None:
    coordinator = await console.staff(100, role=COORDINATOR, name="Cora")
    ben = await console.staff(101, name="Ben")
    ben_at_work, ben_at_home = await console.signed_in(ben), await console.signed_in(ben)
    assert (await ben_at_work.get("/console/week")).status == 200
    boss = await console.signed_in(coordinator)
    confirm = await boss.get(f"/console/staff/{ben.id}/deactivate")
    assert confirm.status == 200 and "Ben" in confirm.text
    done = await boss.post(f"/console/staff/{ben.id}/deactivate", {"csrf": confirm.csrf})
    assert done.status == 200 and done.url.endswith("/console/staff")
    for browser in (ben_at_work, ben_at_home):
        assert (await browser.get("/console/week")).status == 401
    async with console.engine.connect() as connection:
        left = await connection.scalar(
            select(func.count()).where(ConsoleSessionRow.staff_id == id_of(ben))
        )
    assert left == 0
    assert (
        "console.staff.deactivate",
        coordinator.id,
        coordinator.site_id,
    ) in await console.audit()


async def test_deactivating_from_the_command_line_ends_the_sessions_too(
    console: ConsoleWorld,
) -> None:
    ben = await console.staff(101)
    browser = await console.signed_in(ben)
    await staff_service.deactivate_staff(console.uow_factory, telegram_user_id=101)
    assert (await browser.get("/console/")).status == 401


async def test_logout_ends_the_session(console: ConsoleWorld) -> None:
    ben = await console.staff(101)
    browser = await console.signed_in(ben)
    session_id = next(iter(browser.session.cookie_jar)).value
    csrf = (await browser.get("/console/")).csrf
    out = await browser.post("/console/logout", {"csrf": csrf}, follow=False)
    assert out.status == 303 and out.headers["Location"] == "/console/logged-out"
    assert (
        "lotse_console=;" in out.headers["Set-Cookie"] or "Max-Age=0" in out.headers["Set-Cookie"]
    )
    # Even a browser that kept the cookie is out: the session is gone from the database.
    browser.session.cookie_jar.update_cookies(
        {"lotse_console": session_id}, console.server.make_url("/console/")
    )
    assert (await browser.get("/console/")).status == 401
    async with console.engine.connect() as connection:
        assert await connection.scalar(select(func.count()).select_from(ConsoleSessionRow)) == 0


async def test_a_session_ends_after_8_idle_hours(console: ConsoleWorld) -> None:
    ben = await console.staff(101)
    browser = await console.signed_in(ben)
    console.clock.advance(hours=7, minutes=59)
    assert (await browser.get("/console/")).status == 200  # a request: idle from now
    console.clock.advance(hours=7, minutes=59)
    assert (await browser.get("/console/")).status == 200
    console.clock.advance(hours=8)
    assert (await browser.get("/console/")).status == 401


@pytest.mark.parametrize("limiter", [LoginLimiter(attempts=3, seconds=60)])
async def test_login_attempts_are_rate_limited(console: ConsoleWorld) -> None:
    anna = await console.staff(100)
    browser = await console.browser()
    for _ in range(3):
        assert (await browser.log_in("guess")).status == 410
    assert (await browser.log_in(await console.link(anna))).status == 429


async def test_every_page_has_the_security_headers_and_no_inline_script(
    console: ConsoleWorld,
) -> None:
    coordinator = await console.staff(100, role=COORDINATOR)
    browser = await console.signed_in(coordinator)
    for path in ("/console/", "/console/site", "/console/staff", "/console/week", "/console/nope"):
        page = await browser.get(path)
        assert page.headers["Content-Security-Policy"].startswith("default-src 'self'")
        assert "frame-ancestors 'none'" in page.headers["Content-Security-Policy"]
        assert "'unsafe-inline'" not in page.headers["Content-Security-Policy"]
        assert page.headers["X-Frame-Options"] == "DENY"
        assert page.headers["Referrer-Policy"] == "no-referrer"
        assert page.headers["Cache-Control"] == "no-store"
        assert "<script" not in page.text and "style=" not in page.text
    css = await browser.get("/console/static/console.css")
    assert css.status == 200 and "Content-Security-Policy" in css.headers


async def test_every_request_asks_the_database_whether_the_person_is_active(
    console: ConsoleWorld,
) -> None:
    ben = await console.staff(101)
    browser = await console.signed_in(ben)
    async with console.uow_factory() as uow:  # as another process would: only the flag
        ben.active = False
        await uow.staff.update(ben)
        await uow.commit()
    assert (await browser.get("/console/week")).status == 401
    async with console.engine.connect() as connection:
        assert await connection.scalar(select(func.count()).select_from(ConsoleSessionRow)) == 0
