"""The demo page in headless Chromium (Debian's, never a downloaded one): a Dari speaker
starts, picks Dari and agrees; the chat shows right-to-left; a screenshot is saved."""

from __future__ import annotations

import asyncio
import re
from pathlib import Path
from typing import Any

import pytest

from bot.domain import LifeArea, Mode
from bot.i18n import Catalogs
from emulator.validation import visible_text
from handlers import labels
from handlers.client import booking_views as bv
from tests.e2e.browser import ARTIFACTS, chromium, needs_chromium
from tests.e2e.test_demo import start_demo

pytestmark = pytest.mark.e2e
#: Letters Sorani has and Persian and Arabic do not: ە ێ ۆ ڵ ڕ.
SORANI_LETTER = re.compile("[\u06d5\u06ce\u06c6\u06b5\u0695]")


@needs_chromium
async def test_the_demo_page_shows_dari_right_to_left(tmp_path: Path) -> None:
    dari = Catalogs().translator("fa_AF")
    process, base = await start_demo(tmp_path)
    try:
        async with chromium() as browser:
            page = await browser.new_page(viewport={"width": 860, "height": 820})
            await page.goto(base + "/")
            await page.get_by_text("DEMO").first.wait_for()
            client = page.locator("#client")
            await client.locator("input").fill("/start")
            await client.locator("input").press("Enter")
            await client.get_by_role("button", name="✓ دری").click()
            await client.get_by_role("button", name=dari.p_("button", "✅ I agree")).click()
            menu = client.locator(".msg.bot").last
            await menu.get_by_role(
                "button", name=dari.p_("button", "📅 Book an appointment")
            ).wait_for()
            assert await menu.evaluate("el => el.matches(':dir(rtl)')")
            assert await client.locator(".msg.me").first.evaluate("el => el.matches(':dir(ltr)')")
            staff = page.locator("#staff")
            await staff.locator("input").fill("/today")
            await staff.locator("input").press("Enter")
            await staff.locator(".msg.bot").first.wait_for()
            ARTIFACTS.mkdir(exist_ok=True)
            await page.screenshot(path=str(ARTIFACTS / "demo-dari.png"), full_page=True)
        assert (ARTIFACTS / "demo-dari.png").stat().st_size > 10_000
    finally:
        process.terminate()
        await asyncio.wait_for(process.wait(), 20)


@needs_chromium
async def test_the_demo_page_shows_sorani_right_to_left(tmp_path: Path) -> None:
    """Issue 24: a new person whose phone is set to Sorani sees Sorani first in the picker
    (Kurmanji beside it), picks it, agrees; the bot's messages and buttons read right to
    left in Sorani letters; the screenshot is test-artifacts/demo-ckb.png."""
    sorani = Catalogs().translator("ckb")
    process, base = await start_demo(tmp_path)
    try:
        async with chromium() as browser:
            page = await browser.new_page(viewport={"width": 860, "height": 900})
            await page.goto(base + "/")
            client = page.locator("#client")
            await client.locator("select").select_option("7008")  # a new person, Sorani
            await client.get_by_role("button", name="START").click()
            picker = client.locator(".msg.bot").last
            buttons = picker.locator(".buttons button")
            await buttons.first.wait_for()
            assert (await buttons.nth(0).inner_text()).startswith("✓ کوردی (سۆرانی)")
            assert await buttons.nth(1).inner_text() == "Kurdî (Kurmancî)"
            await buttons.first.click()
            await client.get_by_role("button", name=sorani.p_("button", "✅ I agree")).click()
            menu = client.locator(".msg.bot").last
            book = menu.get_by_role("button", name=sorani.p_("button", "📅 Book an appointment"))
            await book.wait_for()
            bubbles = client.locator(".msg.bot")
            directions = await bubbles.evaluate_all("els => els.map(el => el.matches(':dir(rtl)'))")
            assert directions and all(directions)  # the picker became the notice, then this
            assert SORANI_LETTER.search(await menu.inner_text())
            assert await book.evaluate("el => getComputedStyle(el).direction") == "rtl"
            ARTIFACTS.mkdir(exist_ok=True)
            await page.screenshot(path=str(ARTIFACTS / "demo-ckb.png"), full_page=True)
        assert (ARTIFACTS / "demo-ckb.png").stat().st_size > 10_000
    finally:
        process.terminate()
        await asyncio.wait_for(process.wait(), 20)


@needs_chromium
async def test_a_phone_booking_with_the_drawn_contact_button_and_a_toast_after_an_offer(
    tmp_path: Path,
) -> None:
    """Issue 18, items 1 and 2: the demo draws the reply keyboard of the phone step (its
    contact button shares the client's number and the booking goes on), and the case
    manager sees the answer "✓ Sent to …" after sending an offer."""
    en, de = Catalogs().translator("en"), Catalogs().translator("de")
    process, base = await start_demo(tmp_path)
    try:
        async with chromium() as browser:
            page = await browser.new_page(viewport={"width": 860, "height": 840})
            await page.goto(base + "/")
            client = page.locator("#client")
            await client.locator("select").select_option("7007")  # a new person, English
            await client.get_by_role("button", name="START").click()

            async def tap(label: str | re.Pattern[str], phone: Any = client) -> None:
                """Tap a button of the newest message of the bot."""
                await phone.locator(".msg.bot").last.get_by_role("button", name=label).click()

            async def tap_first(label: re.Pattern[str] | None = None) -> None:
                buttons = client.locator(".msg.bot").last.locator(".buttons button")
                await (buttons.filter(has_text=label) if label else buttons).first.click()

            await tap("✓ English")
            await tap(en.p_("button", "✅ I agree"))
            await tap(en.p_("button", "📅 Book an appointment"))
            await tap("Essen (Demo)")
            await tap(labels.life_area(en, LifeArea.WORK))
            await tap(labels.mode(en, Mode.PHONE))
            share = en.p_("button", "📞 Share my phone number")
            await client.locator(".kbd").get_by_role("button", name=share).click()
            # The contact went as the client's own, the bot thanked and took the keyboard away.
            await client.locator(".msg.me .contact").wait_for()
            await client.get_by_text(visible_text(bv.phone_saved(en), "HTML")).wait_for()
            await client.locator(".kbd-toggle").wait_for(state="hidden")
            await tap_first()  # the first day
            await tap_first(re.compile(r"\d:\d\d"))  # its first time
            await tap(en.p_("button", "Yes, please"))
            await tap(en.p_("button", "✅ Book this appointment"))
            booked = visible_text(en._("✅ Your appointment is booked."), "HTML")
            await client.get_by_text(booked).first.wait_for()

            staff = page.locator("#staff")  # Anna, German
            await staff.locator("input").fill("/offers Deutschkurs")
            await staff.locator("input").press("Enter")
            results = staff.locator(".msg.bot").last
            await results.get_by_role("button", name=re.compile("Deutsch")).first.click()
            await tap(de.p_("button", "📤 Send to a client"), staff)
            await tap(re.compile("Ahmad K."), staff)
            toast = staff.locator(".toast")
            await toast.wait_for()
            sent = visible_text(de._("✓ Sent to {client}.", client="Ahmad K."), "HTML")
            assert (await toast.inner_text()).startswith(sent[:4])
            assert "Ahmad K." in await toast.inner_text()
            ARTIFACTS.mkdir(exist_ok=True)
            await page.screenshot(path=str(ARTIFACTS / "demo-phone-booking.png"))
    finally:
        process.terminate()
        await asyncio.wait_for(process.wait(), 20)


# The JavaScript below finds where "+" and "2194350" of the phone number are drawn.
_PHONE_GLYPHS = """bubble => {
  const walker = document.createTreeWalker(bubble, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const at = node.data.indexOf('+49 201 2194350');
    if (at < 0) continue;
    const box = (from, to) => {
      const range = document.createRange();
      range.setStart(node, from);
      range.setEnd(node, to);
      return range.getBoundingClientRect();
    };
    const plus = box(at, at + 1), tail = box(at + 8, at + 15);
    return {plus: plus.left, tail: tail.left, sameLine: Math.abs(plus.top - tail.top) < 4};
  }
  return null;
}"""


@needs_chromium
async def test_a_dari_offer_card_shows_the_german_phone_number_left_to_right(
    tmp_path: Path,
) -> None:
    """Issue 18, item 4: Anna sends the sample German course to Ahmad K. (Dari); in his
    right-to-left chat the number reads "+49 201 2194350", not "2194350 201 49+". The
    card is saved as test-artifacts/demo-dari-offer-card.png."""
    de = Catalogs().translator("de")
    process, base = await start_demo(tmp_path)
    try:
        async with chromium() as browser:
            page = await browser.new_page(viewport={"width": 860, "height": 840})
            await page.goto(base + "/")
            client = page.locator("#client")
            await client.locator("select").select_option("7002")  # Ahmad K., Dari
            staff = page.locator("#staff")  # Anna, German
            await staff.locator("input").fill("/offers Deutschkurs B1")
            await staff.locator("input").press("Enter")
            results = staff.locator(".msg.bot").last
            await results.get_by_role("button", name=re.compile("Deutschkurs B1")).first.click()
            send = de.p_("button", "📤 Send to a client")
            await staff.locator(".msg.bot").last.get_by_role("button", name=send).click()
            await (
                staff.locator(".msg.bot")
                .last.get_by_role("button", name=re.compile("Ahmad K."))
                .click()
            )
            card = client.locator(".msg.bot", has_text="2194350").last
            await card.wait_for()
            assert await card.evaluate("el => el.matches(':dir(rtl)')")
            glyphs = await card.evaluate(_PHONE_GLYPHS)
            assert glyphs is not None, "the number is not in one piece"
            # Left to right inside the right-to-left card: "+" is drawn left of "2194350".
            assert glyphs["sameLine"] and glyphs["plus"] < glyphs["tail"], glyphs
            ARTIFACTS.mkdir(exist_ok=True)
            await card.screenshot(path=str(ARTIFACTS / "demo-dari-offer-card.png"))
        assert (ARTIFACTS / "demo-dari-offer-card.png").stat().st_size > 5_000
    finally:
        process.terminate()
        await asyncio.wait_for(process.wait(), 20)
