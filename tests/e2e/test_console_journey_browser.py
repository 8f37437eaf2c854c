"""Issue 20's browser acceptance: a coordinator's whole journey through the console in
headless Chromium, served by the REAL `python main.py` beside polling the Bot API emulator.

The coordinator (invited with the CLI, as an operator bootstraps one) sends /console in
Telegram, opens the bot's link and logs in; then, through the pages only, invites a case
manager (who accepts in Telegram), gives them weekly hours and a day off, imports an offers
file with one bad row (the preview names its line and field), imports the fixed file, edits
an offer, opens the statistics (the chart loads) and reads the audit log (the console's
own actions are in it). Every page is photographed at 360 px and 1280 px (test-artifacts/)
and must not scroll sideways at 360 px.
"""

from __future__ import annotations

import re
import sqlite3
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

import pytest

from bot.i18n import Catalogs
from tests.e2e import conftest as e2e
from tests.e2e.browser import ARTIFACTS, chromium, image_loaded, needs_chromium, page_width
from tests.e2e.conftest import BotProcess

if TYPE_CHECKING:
    from playwright.async_api import Locator, Page

pytestmark = pytest.mark.e2e

CORA, BEN, CLIENT = 660001, 660002, 660003
HEADER = (
    "external_id,title,provider,life_areas,municipality,languages,eligible_statuses,"
    "min_age,max_age\n"
)
GOOD = "journey-1,Deutschkurs A2,VHS Essen,language,Essen,de;ar,duldung;other,16,27\n"
BAD = "journey-2,Bewerbungstraining,Jobwerk,flying,Essen,de,duldung,18,27\n"
FIXED = "journey-2,Bewerbungstraining,Jobwerk,work,Essen,de,duldung,18,27\n"

de_words = Catalogs().translator("de")


def de(message: str) -> str:
    """A console string as the German coordinator reads it."""
    return de_words.raw_p("console", message)


def _rows(database: Path, query: str, *args: Any) -> list[tuple[Any, ...]]:
    with sqlite3.connect(database) as db:
        return db.execute(query, args).fetchall()


async def _photograph(page: Page, name: str) -> None:
    """The page at 360 px (no sideways scroll) and at 1280 px, into test-artifacts/."""
    for width, height in ((360, 740), (1280, 800)):
        await page.set_viewport_size({"width": width, "height": height})
        if width == 360:
            assert await page_width(page) <= 360, f"{name} scrolls sideways at 360 px"
        await page.screenshot(path=str(ARTIFACTS / f"journey-{name}-{width}.png"), full_page=True)


async def _lines_at_360(page: Page, cell: Locator) -> int:
    """On how many lines the cell's own text stands at 360 px (a word broken letter by
    letter stands on several)."""
    await page.set_viewport_size({"width": 360, "height": 740})
    tops = await cell.evaluate(
        "el => { const r = document.createRange(); r.selectNodeContents(el);"
        " return [...r.getClientRects()].map(x => Math.round(x.top)); }"
    )
    return len(set(tops))


async def _menu(page: Page, label: str) -> None:
    await page.locator("header nav").get_by_role("link", name=de(label), exact=True).click()


async def _upload(page: Page, name: str, content: str) -> None:
    await page.locator("#file").set_input_files(
        {"name": name, "mimeType": "text/csv", "buffer": content.encode()}
    )
    await page.get_by_role("button", name=de("Show the preview")).click()


async def _coordinator_of_essen(process: BotProcess) -> None:
    """As an operator bootstraps a site: the CLI's invitation, opened in Telegram."""
    await process.cli("site", "add", "essen", "--name", "Essen")
    invite = await process.cli("staff", "invite", "--site", "essen", "--role", "coordinator")
    payload = invite.split("?start=")[1].split()[0]
    process.server.emulator.user(CORA, first_name="Cora", language_code="de")
    await process.server.emulator.user_message(CORA, text=f"/start {payload}")
    await e2e.wait_for_message(process.server, CORA, 0, what="the coordinator's welcome")


async def _login_link(process: BotProcess, base: str) -> str:
    sent = await process.server.emulator.user_message(CORA, text="/console")
    reply = await e2e.wait_for_message(
        process.server, CORA, sent["message"]["message_id"], what="the console link"
    )
    match = re.search(rf"{re.escape(base)}/console/login/[\w-]+", reply.visible or "")
    assert match is not None, reply.visible
    return match.group(0)


@needs_chromium
async def test_a_coordinator_runs_the_site_from_the_browser(bot_process: BotProcess) -> None:
    process, emulator = bot_process, bot_process.server.emulator
    database = process.database_path
    base = f"http://127.0.0.1:{process.env['WEB_PORT']}"
    await _coordinator_of_essen(process)
    # A client, so that the month has figures to chart.
    await e2e.join_as_client(process, CLIENT, de_words, language_code="de", language="Deutsch")
    link = await _login_link(process, base)
    ARTIFACTS.mkdir(exist_ok=True)
    async with chromium() as browser:
        page = await browser.new_page(viewport={"width": 1280, "height": 800})
        await page.goto(link)
        await _photograph(page, "login")
        await page.get_by_role("button", name=de("Log in")).click()
        await page.get_by_role("heading", name="Hallo, Cora").wait_for()
        await _photograph(page, "home")

        # Staff: invite a case manager; the page shows the link and its QR code.
        await _menu(page, "Staff")
        await page.locator("#role").select_option("thm")
        await page.get_by_role("button", name=de("Make an invitation link")).click()
        invite_link = await page.locator("a.long").inner_text()
        assert invite_link.startswith("https://t.me/lotse_test_bot?start=")
        assert await image_loaded(page.locator("img.qr")) > 0
        await _photograph(page, "invite")
        emulator.user(BEN, first_name="Ben", language_code="de")
        await emulator.user_message(BEN, text="/start " + invite_link.split("?start=")[1])
        await e2e.wait_for_message(process.server, BEN, 0, what="the case manager's welcome")
        await page.get_by_role("link", name=de("Back to the staff list")).click()
        await page.locator(".people li", has_text="Ben").wait_for()
        await _photograph(page, "staff")

        # Hours: Tuesday 10:00-12:00 by phone, and a day off next month.
        await _menu(page, "Hours")
        await _photograph(page, "hours-people")
        await page.locator(".people").get_by_role("link", name="Ben").click()
        await page.locator("#weekday").select_option("1")
        await page.locator("#start").fill("10:00")
        await page.locator("#end").fill("12:00")
        await page.locator("#slot").fill("20")
        await page.locator("#mode").select_option("phone")
        await page.get_by_role("button", name=de("Add hours")).click()
        tuesday = page.locator(".week-day").nth(1)
        await tuesday.locator(".window", has_text="10:00–12:00").wait_for()
        today = datetime.now(ZoneInfo("Europe/Berlin")).date()
        off = today + timedelta(days=30)
        await page.locator("#first").fill(off.isoformat())
        await page.get_by_role("button", name=de("Add days off")).click()
        await page.locator(f".days li form input[name=day][value='{off}']").wait_for(
            state="attached"
        )
        await _photograph(page, "hours")
        ben_id = _rows(database, "SELECT id FROM staff WHERE telegram_user_id = ?", BEN)[0][0]
        windows = _rows(
            database,
            'SELECT weekday, start, "end", slot_minutes, mode FROM weekly_hours WHERE staff_id = ?',
            ben_id,
        )
        assert [(w[0], w[1][:5], w[2][:5], w[3], w[4]) for w in windows] == [
            (1, "10:00", "12:00", 20, "phone")
        ]
        days_off = _rows(database, "SELECT day FROM days_off WHERE staff_id = ?", ben_id)
        assert [date.fromisoformat(d[0]) for d in days_off] == [off]

        # Offers: a file with one bad row; the preview names its line and field.
        await _menu(page, "Offers")
        await page.get_by_role("link", name=de("Import a file")).click()
        await _upload(page, "angebote.csv", HEADER + GOOD + BAD)
        error_row = page.locator("table.errors tbody tr")
        await error_row.first.wait_for()
        assert await error_row.count() == 1
        cells = await error_row.locator("td").all_inner_texts()
        assert cells[:2] == ["3", de("Life areas")], cells
        for cell in (error_row.locator("td").nth(0), error_row.locator("td").nth(1)):
            assert await _lines_at_360(page, cell) == 1
        assert await page.get_by_role("button", name=de("Import now")).count() == 0
        await _photograph(page, "import-errors")
        assert _rows(database, "SELECT count(*) FROM offers") == [(0,)]
        # The fixed file imports.
        await _upload(page, "angebote.csv", HEADER + GOOD + FIXED)
        await page.get_by_role("button", name=de("Import now")).click()
        await page.get_by_role("heading", name=de("Imported")).wait_for()
        await _photograph(page, "imported")
        stored = _rows(database, "SELECT external_id, life_areas FROM offers ORDER BY external_id")
        assert stored == [("journey-1", "language"), ("journey-2", "work")]

        # Edit one offer: a new provider, stored and shown.
        await page.get_by_role("link", name=de("Back to the offers")).click()
        await _photograph(page, "offers")
        await page.get_by_role("link", name="Bewerbungstraining").click()
        await page.locator("#provider").fill("Jobwerk Essen gGmbH")
        await page.get_by_role("button", name=de("Save")).click()
        await page.get_by_text(de("Saved.")).wait_for()
        assert await page.locator("#provider").input_value() == "Jobwerk Essen gGmbH"
        await _photograph(page, "offer-edit")
        assert _rows(database, "SELECT provider FROM offers WHERE external_id = 'journey-2'") == [
            ("Jobwerk Essen gGmbH",)
        ]
        await page.get_by_role("link", name=de("Back to the offers")).click()
        await page.get_by_text("Jobwerk Essen gGmbH").wait_for()

        # Statistics: this month's chart loads.
        await _menu(page, "Statistics")
        chart = page.locator("figure.chart img")
        await chart.wait_for()
        assert await image_loaded(chart, timeout=20) > 0
        await _photograph(page, "stats")

        # Audit log: the console's own reads and writes.
        await _menu(page, "Audit log")
        actions = set(await page.locator("table.audit td code").all_inner_texts())
        assert await _lines_at_360(page, page.locator("table.audit td code").first) == 1
        for action in (
            "console.staff.invite",
            "console.hours.add",
            "console.days_off.add",
            "console.offers.import",
            "console.offer.edit",
            "console.stats",
        ):
            assert action in actions, (action, actions)
        await _photograph(page, "audit")
        await page.close()
    assert (ARTIFACTS / "journey-audit-360.png").stat().st_size > 5_000
