"""The console under test: the real app (aiohttp.test_utils.TestServer) on a migrated
database, with the fake clock; browsers are client sessions with their own cookies."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from typing import Any
from zoneinfo import ZoneInfo

import aiohttp
import pytest
from aiohttp.test_utils import TestServer
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.domain import Site, SiteKind, Staff, StaffRole
from bot.i18n import Catalogs
from bot.ports import UnitOfWorkFactory
from bot.services.console import issue_login_link
from config import Settings
from storage.note_models import AuditRow
from tests.fakes import FakeClock
from tests.helpers import id_of
from tests.telegram.world import settings_with
from web import build_console_app
from web.security import LoginLimiter

CSRF = re.compile(r'name="csrf" value="([0-9a-f]*)"')


@dataclass
class Page:
    status: int
    text: str
    headers: Any
    url: str

    @property
    def csrf(self) -> str:
        match = CSRF.search(self.text)
        assert match is not None, "no CSRF token on the page"
        return match.group(1)


@dataclass
class Browser:
    """One browser: its own cookies, following redirects as a browser does."""

    session: aiohttp.ClientSession
    server: TestServer

    async def get(self, path: str) -> Page:
        async with self.session.get(self.server.make_url(path)) as response:
            return Page(response.status, await response.text(), response.headers, str(response.url))

    async def post(self, path: str, data: dict[str, str], *, follow: bool = True) -> Page:
        async with self.session.post(
            self.server.make_url(path), data=data, allow_redirects=follow
        ) as response:
            return Page(response.status, await response.text(), response.headers, str(response.url))

    async def log_in(self, token: str) -> Page:
        return await self.post("/console/login", {"token": token})


@dataclass
class ConsoleWorld:
    server: TestServer
    uow_factory: UnitOfWorkFactory
    clock: FakeClock
    engine: AsyncEngine
    browsers: list[Browser] = field(default_factory=list)
    zone: ZoneInfo = ZoneInfo("Europe/Berlin")

    async def browser(self) -> Browser:
        jar = aiohttp.CookieJar(unsafe=True)  # cookies of 127.0.0.1, as a browser keeps them
        browser = Browser(aiohttp.ClientSession(cookie_jar=jar), self.server)
        self.browsers.append(browser)
        return browser

    async def site(self, slug: str = "essen") -> Site:
        async with self.uow_factory() as uow:
            site = await uow.sites.by_slug(slug)
            if site is None:
                site = await uow.sites.add(
                    Site(None, slug, slug.title(), SiteKind.CITY, self.clock.now())
                )
                await uow.commit()
        return site

    async def staff(
        self,
        telegram_id: int,
        *,
        role: StaffRole = StaffRole.THM,
        slug: str = "essen",
        name: str = "Anna",
        locale: str = "de",
    ) -> Staff:
        site = await self.site(slug)
        async with self.uow_factory() as uow:
            staff = await uow.staff.add(
                Staff(None, id_of(site), role, telegram_id, locale, display_name=name)
            )
            await uow.commit()
        return staff

    async def link(self, staff: Staff) -> str:
        return await issue_login_link(self.uow_factory, self.clock, staff_id=id_of(staff))

    async def signed_in(self, staff: Staff) -> Browser:
        """A browser logged in as `staff` through a fresh login link."""
        browser = await self.browser()
        page = await browser.log_in(await self.link(staff))
        assert page.status == 200 and page.url.endswith("/console/"), page.text
        return browser

    async def audit(self) -> list[tuple[str, int | None, int | None]]:
        """(action, staff_id, site_id) of every audit entry, oldest first."""
        async with self.engine.connect() as connection:
            rows = await connection.execute(
                select(AuditRow.action, AuditRow.staff_id, AuditRow.site_id).order_by(AuditRow.id)
            )
            return [(row[0], row[1], row[2]) for row in rows]


def console_settings(**overrides: Any) -> Settings:
    return settings_with(**overrides)


@pytest.fixture
def limiter() -> LoginLimiter:
    return LoginLimiter()


@pytest.fixture
def web_settings() -> Settings:
    return console_settings()


@pytest.fixture
async def console(
    uow_factory: UnitOfWorkFactory,
    catalogs: Catalogs,
    clock: FakeClock,
    engine: AsyncEngine,
    web_settings: Settings,
    limiter: LoginLimiter,
) -> AsyncIterator[ConsoleWorld]:
    app = build_console_app(
        uow_factory=uow_factory,
        catalogs=catalogs,
        clock=clock,
        settings=web_settings,
        bot_username="lotse_test_bot",
        login_limiter=limiter,
    )
    server = TestServer(app, host="127.0.0.1")
    await server.start_server()
    world = ConsoleWorld(server, uow_factory, clock, engine)
    try:
        yield world
    finally:
        for browser in world.browsers:
            await browser.session.close()
        await server.close()
