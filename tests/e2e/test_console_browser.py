"""The web console in headless Chromium (Debian's, never a downloaded one), served by the
real `python main.py web`: a coordinator logs in through a link from `python main.py
console link`, opens the staff page at 360 px and 1280 px (screenshots under
test-artifacts/) and deactivates a colleague through the confirm step."""

from __future__ import annotations

import asyncio
import os
import sys
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from bot.domain import Site, SiteKind, Staff, StaffRole
from bot.i18n import Catalogs
from bot.ports import SystemClock
from storage import create_engine, make_uow_factory, session_factory, upgrade_database
from tests.e2e.browser import ARTIFACTS, chromium, image_loaded, needs_chromium
from tests.e2e.conftest import free_port, wait_for

pytestmark = pytest.mark.e2e

ROOT = Path(__file__).resolve().parents[2]
CORA, BEN = 5001, 5002


async def _seed(database_url: str) -> None:
    """A site with a coordinator and a case manager, as invites would have made them."""
    engine = create_engine(database_url)
    try:
        await upgrade_database(engine)
        clock = SystemClock()
        async with make_uow_factory(session_factory(engine), clock)() as uow:
            site = await uow.sites.add(Site(None, "essen", "Essen", SiteKind.CITY, clock.now()))
            assert site.id is not None
            for telegram_id, role, name in (
                (CORA, StaffRole.COORDINATOR, "Cora Koordination"),
                (BEN, StaffRole.THM, "Ben Beratung"),
            ):
                await uow.staff.add(
                    Staff(None, site.id, role, telegram_id, "de", "de,ar", display_name=name)
                )
            await uow.commit()
    finally:
        await engine.dispose()


def _status(url: str) -> int:
    try:
        with urllib.request.urlopen(url, timeout=2) as response:  # noqa: S310 - 127.0.0.1
            return int(response.status)
    except urllib.error.HTTPError as exc:
        return exc.code
    except OSError:
        return 0


async def _main(env: dict[str, str], *args: str) -> str:
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        str(ROOT / "main.py"),
        *args,
        cwd=ROOT,
        env=env,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    out, err = await process.communicate()
    assert process.returncode == 0, err.decode()
    return out.decode().strip()


@needs_chromium
async def test_a_coordinator_logs_in_by_link_and_manages_the_staff(tmp_path: Path) -> None:
    t = Catalogs().translator("de")

    def de(message: str) -> str:
        return t.raw_p("console", message)

    port = free_port()
    base = f"http://127.0.0.1:{port}"
    database_url = f"sqlite+aiosqlite:///{tmp_path / 'console.db'}"
    await _seed(database_url)
    env = {k: v for k, v in os.environ.items() if k not in {"BOT_TOKEN", "DATABASE_URL"}}
    env.update(
        DATABASE_URL=database_url,
        WEB_PORT=str(port),
        BOT_USERNAME="lotse_test_bot",
        PYTHONUNBUFFERED="1",
    )
    log = (tmp_path / "web.log").open("ab")
    process = await asyncio.create_subprocess_exec(
        sys.executable, str(ROOT / "main.py"), "web", cwd=ROOT, env=env, stdout=log, stderr=log
    )
    try:
        await wait_for(lambda: _status(base + "/console/") == 401, timeout=30, what="the console")
        ARTIFACTS.mkdir(exist_ok=True)
        async with chromium() as browser:
            for width, height in ((360, 740), (1280, 800)):
                link = await _main(env, "console", "link", str(CORA))
                assert link.startswith(base + "/console/login/")
                page = await browser.new_page(viewport={"width": width, "height": height})
                await page.goto(link)
                await page.get_by_role("button", name=de("Log in")).click()
                await page.get_by_role("heading", name="Hallo, Cora Koordination").wait_for()
                await page.get_by_role("link", name=de("Staff")).first.click()
                await page.get_by_text("Ben Beratung").wait_for()
                # Nothing wider than the screen, and the stylesheet applied (CSP allows it).
                assert await page.evaluate("document.documentElement.scrollWidth") <= width
                assert (
                    await page.evaluate("getComputedStyle(document.body).backgroundColor")
                    == "rgb(243, 245, 248)"
                )
                await page.screenshot(
                    path=str(ARTIFACTS / f"console-staff-{width}.png"), full_page=True
                )
                # The site's flyer: its preview loads (an image route, allowed by the CSP)
                # and fits the screen.
                await page.get_by_role("link", name=de("Site")).first.click()
                flyer = page.locator("img.flyer")
                await flyer.wait_for()
                assert await image_loaded(flyer) == 1654
                assert await page.evaluate("document.documentElement.scrollWidth") <= width
                await page.screenshot(
                    path=str(ARTIFACTS / f"console-site-{width}.png"), full_page=True
                )
                await page.close()
            # At 1280 px once more: deactivate Ben through the confirm step (POST + CSRF).
            page = await browser.new_page(viewport={"width": 1280, "height": 800})
            await page.goto(await _main(env, "console", "link", str(CORA)))
            await page.get_by_role("button", name=de("Log in")).click()
            await page.goto(base + "/console/staff")
            await page.get_by_role("link", name=de("Deactivate")).click()
            await page.get_by_role("button", name=de("Yes, deactivate")).click()
            await page.get_by_text(de("deactivated")).wait_for()
            assert page.url == base + "/console/staff"
        for width in (360, 1280):
            assert (ARTIFACTS / f"console-staff-{width}.png").stat().st_size > 5_000
        listing = await _main(env, "staff", "list", "--site", "essen")
        assert f"{BEN}\tthm\tdeactivated" in listing
    finally:
        process.terminate()
        await asyncio.wait_for(process.wait(), 20)
        log.close()
