"""The demo page in headless Chromium against the emulator alone: the test plays the bot
through the Bot API, the page plays the user. It shows what Telegram would show: reply
keyboards (a contact button sends the user's own contact), answers to taps (a toast, an
alert to dismiss), safe links, replies to a message, the /start hint and a favicon."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from typing import Any

import aiohttp
import pytest

from emulator import EmulatorServer
from tests.e2e.browser import chromium, needs_chromium
from tests.e2e.conftest import wait_for

pytestmark = [pytest.mark.e2e, needs_chromium]

TOKEN = "4242:page-test"
CLIENT = 7001  # the page's first client


@pytest.fixture
async def demo() -> AsyncIterator[EmulatorServer]:
    server = EmulatorServer(demo_page=True)
    await server.start()
    yield server
    await server.stop()


@pytest.fixture
async def page(demo: EmulatorServer) -> AsyncIterator[Any]:
    async with chromium() as browser:
        page = await browser.new_page(viewport={"width": 860, "height": 840})
        await page.goto(demo.base_url + "/")
        yield page


async def bot(demo: EmulatorServer, method: str, **params: Any) -> Any:
    """The test as the bot: a Bot API call (the emulator checks it as Telegram would)."""
    return await demo.emulator.call(TOKEN, method, params)


def last_update(demo: EmulatorServer, kind: str) -> dict[str, Any]:
    return next(u[kind] for u in reversed(demo.emulator.updates) if kind in u)


async def test_the_hint_favicon_and_policy(demo: EmulatorServer, page: Any) -> None:
    hint = page.locator("#hint")
    assert "/start" in await hint.inner_text()
    box = await hint.bounding_box()
    assert box is not None and box["y"] + box["height"] <= 840  # seen without scrolling
    # An empty chat offers Telegram's START button, which sends /start.
    await page.locator("#client").get_by_role("button", name="START").click()
    await wait_for(lambda: demo.emulator.updates, what="/start")
    assert last_update(demo, "message")["text"] == "/start"
    async with aiohttp.ClientSession() as http:
        async with http.get(demo.base_url + "/favicon.ico") as response:
            assert response.status == 200 and response.content_type == "image/svg+xml"
            assert b"<svg" in await response.read()
        async with http.get(demo.base_url + "/") as response:
            policy = response.headers["Content-Security-Policy"]
            assert "script-src 'self'" in policy and "unsafe-inline" not in policy
        async with http.get(demo.base_url + "/static/state.py") as response:
            assert response.status == 404  # only the page's own files
    icon = await page.locator("link[rel=icon]").get_attribute("href")
    assert icon is not None and icon.startswith("/")


async def test_links_are_clickable_and_safe(demo: EmulatorServer, page: Any) -> None:
    demo.emulator.user(CLIENT)
    await bot(
        demo,
        "sendMessage",
        chat_id=CLIENT,
        parse_mode="HTML",
        text=(
            '<b>Kurs</b> · <a href="https://example.org/kurs?a=1&amp;b=2">Map</a> · '
            '<a href="javascript:alert(1)">bad</a> · &lt;img src=x onerror=alert(1)&gt;\n'
            "🌐 www.beispiel.de · ✉️ info@beispiel.de · 📞 \u2068+49 201 2194350\u2069 · /privacy"
        ),
    )
    bubble = page.locator("#client .msg.bot").last
    await bubble.wait_for()
    links = bubble.locator("a")
    hrefs = [await links.nth(i).get_attribute("href") for i in range(await links.count())]
    assert "https://example.org/kurs?a=1&b=2" in hrefs
    assert "http://www.beispiel.de/" in hrefs
    assert "mailto:info@beispiel.de" in hrefs and "tel:+492012194350" in hrefs
    assert not any(h and h.lower().startswith("javascript") for h in hrefs)
    assert await bubble.get_by_role("link", name="bad").count() == 0
    assert await bubble.locator("img").count() == 0  # text stays text
    map_link = bubble.get_by_role("link", name="Map")
    assert await map_link.get_attribute("rel") == "noopener noreferrer"
    assert await bubble.locator("b").inner_text() == "Kurs"
    # A /command in the bot's text sends it, as in Telegram.
    await bubble.get_by_role("link", name="/privacy").click()
    await wait_for(lambda: "message" in demo.emulator.updates[-1], what="the command")
    assert last_update(demo, "message")["text"] == "/privacy"


async def test_a_reply_keyboard_with_a_contact_button(demo: EmulatorServer, page: Any) -> None:
    user = demo.emulator.user(CLIENT, first_name="Nilab")
    user.phone_number = "+4917612345678"
    keyboard = {
        "keyboard": [[{"text": "📞 Share my phone number", "request_contact": True}], ["✖️ Stop"]],
        "one_time_keyboard": True,
        "resize_keyboard": True,
    }
    await bot(demo, "sendMessage", chat_id=CLIENT, text="Your number?", reply_markup=keyboard)
    client = page.locator("#client")
    await client.locator(".kbd").get_by_role("button", name="📞 Share my phone number").click()
    await wait_for(lambda: demo.emulator.updates, what="the contact")
    message = last_update(demo, "message")
    assert message["contact"] == {
        "phone_number": "+4917612345678",
        "first_name": "Nilab",
        "user_id": CLIENT,
    }
    # One-time: folded away after the tap; the keyboard icon opens it again.
    await client.locator(".kbd").wait_for(state="hidden")
    await client.locator(".msg.me").get_by_text("+4917612345678").wait_for()
    await client.locator(".kbd-toggle").click()
    await client.locator(".kbd").get_by_role("button", name="✖️ Stop").click()
    await wait_for(lambda: last_update(demo, "message").get("text") == "✖️ Stop", what="Stop")
    # The bot removes it: no keyboard, no icon.
    await bot(
        demo, "sendMessage", chat_id=CLIENT, text="Stopped.", reply_markup={"remove_keyboard": True}
    )
    await client.locator(".kbd-toggle").wait_for(state="hidden")
    assert await client.locator(".kbd button").count() == 0


async def test_answers_to_taps_show_as_toast_and_alert(demo: EmulatorServer, page: Any) -> None:
    demo.emulator.user(9001)
    buttons = {"inline_keyboard": [[{"text": "Send", "callback_data": "send"}]]}
    await bot(demo, "sendMessage", chat_id=9001, text="An offer", reply_markup=buttons)
    staff = page.locator("#staff")

    async def tap_and_answer(**answer: Any) -> None:
        before = len(demo.emulator.issued_callbacks)
        await staff.get_by_role("button", name="Send").click()
        await wait_for(lambda: len(demo.emulator.issued_callbacks) > before, what="the tap")
        query = last_update(demo, "callback_query")
        await bot(demo, "answerCallbackQuery", callback_query_id=query["id"], **answer)

    await tap_and_answer(text="✓ Sent to Ahmad K.")
    toast = staff.locator(".toast")
    await toast.wait_for()
    assert await toast.inner_text() == "✓ Sent to Ahmad K."
    await toast.wait_for(state="hidden", timeout=8000)  # it goes by itself

    await tap_and_answer(text="This button no longer works.", show_alert=True)
    alert = staff.locator("dialog.alert")
    await alert.wait_for()
    assert await alert.evaluate("d => d.open && d.matches(':modal')")
    assert "no longer works" in await alert.inner_text()
    await alert.get_by_role("button", name="OK").click()
    await alert.wait_for(state="hidden")


async def test_replying_to_a_message(demo: EmulatorServer, page: Any) -> None:
    demo.emulator.user(9001)
    sent = await bot(demo, "sendMessage", chat_id=9001, text="📨 Ahmad K. writes: Hallo")
    staff = page.locator("#staff")
    bubble = staff.locator(".msg.bot").last
    await bubble.hover()
    await bubble.get_by_role("button", name="Reply").click()
    assert "Ahmad K. writes" in await staff.locator(".replying").inner_text()
    await staff.locator("input").fill("Guten Tag!")
    await staff.locator("input").press("Enter")
    await wait_for(lambda: demo.emulator.updates, what="the reply")
    message = last_update(demo, "message")
    assert message["text"] == "Guten Tag!"
    assert message["reply_to_message"]["message_id"] == sent["message_id"]
    assert message["reply_to_message"]["text"] == "📨 Ahmad K. writes: Hallo"
    mine = staff.locator(".msg.me").last
    await mine.locator(".quote").wait_for()
    assert re.search("Ahmad K. writes", await mine.locator(".quote").inner_text())
    await staff.locator(".replying").wait_for(state="hidden")
