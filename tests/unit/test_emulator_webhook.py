"""The emulator delivers updates by webhook as Telegram does (issue 21, emulator webhook
delivery): the secret header, again after a failure, 409 for getUpdates meanwhile,
getWebhookInfo, in order per chat but chats in parallel, and back to getUpdates."""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

import aiohttp
import pytest
from aiogram import Bot
from aiogram.exceptions import TelegramBadRequest, TelegramConflictError
from aiohttp import web

from emulator import EmulatorServer
from emulator.webhook import SECRET_HEADER

SECRET = "s3cret_token-of-the-test"


async def wait_for(condition: Callable[[], Any], *, timeout: float = 5, what: str = "") -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        await asyncio.sleep(0.02)
    raise AssertionError(f"timed out waiting for {what}")


@dataclass
class Receiver:
    """A webhook endpoint: records each POST; `answer` decides the status."""

    url: str = ""
    posts: list[tuple[str | None, dict[str, Any]]] = field(default_factory=list)
    answer: Callable[[dict[str, Any]], Awaitable[int]] | None = None

    def texts(self) -> list[str]:
        return [body["message"]["text"] for _, body in self.posts if "message" in body]


@pytest.fixture
async def receiver() -> AsyncIterator[Receiver]:
    found = Receiver()

    async def handle(request: web.Request) -> web.Response:
        body = await request.json()
        found.posts.append((request.headers.get(SECRET_HEADER), body))
        status = await found.answer(body) if found.answer else 200
        return web.json_response({}, status=status)

    app = web.Application()
    app.router.add_post("/hook", handle)
    runner = web.AppRunner(app)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    found.url = f"http://127.0.0.1:{runner.addresses[0][1]}/hook"
    yield found
    await runner.cleanup()


async def test_delivers_with_the_secret_again_after_a_500_and_tells_getwebhookinfo(
    server: EmulatorServer, bot: Bot, receiver: Receiver
) -> None:
    emulator = server.emulator
    failures = [500]

    async def answer(body: dict[str, Any]) -> int:
        return failures.pop() if failures else 200

    receiver.answer = answer
    info = await bot.get_webhook_info()
    assert info.url == "" and info.pending_update_count == 0
    assert await bot.set_webhook(receiver.url, secret_token=SECRET, max_connections=5)

    update = await emulator.user_message(9, text="hallo")
    await wait_for(lambda: emulator.delivered(update["update_id"]), what="the delivery")
    assert [(secret, body) for secret, body in receiver.posts] == [(SECRET, update)] * 2
    assert [d.status for d in emulator.webhook_deliveries] == [500, 200]

    info = await bot.get_webhook_info()
    assert info.url == receiver.url and info.max_connections == 5
    assert info.pending_update_count == 0
    assert info.last_error_date is not None
    assert info.last_error_message == "Wrong response from the webhook: 500 Internal Server Error"


async def test_pending_updates_wait_for_a_webhook_that_is_down(
    server: EmulatorServer, bot: Bot, receiver: Receiver
) -> None:
    emulator = server.emulator
    await bot.set_webhook("http://127.0.0.1:9/hook")  # nobody listens there
    await emulator.user_message(9, text="eins")
    await wait_for(lambda: len(emulator.webhook_deliveries) >= 2, what="a retry")
    info = await bot.get_webhook_info()
    assert info.pending_update_count == 1 and info.last_error_message == "Connection refused"
    # The webhook moves (as a process starting elsewhere does): the update arrives there.
    await bot.set_webhook(receiver.url)
    await wait_for(lambda: receiver.texts() == ["eins"], what="the delivery")
    assert (await bot.get_webhook_info()).pending_update_count == 0


async def test_getupdates_is_a_conflict_until_deletewebhook(
    server: EmulatorServer, bot: Bot, receiver: Receiver
) -> None:
    emulator = server.emulator
    hold = asyncio.Event()

    async def answer(body: dict[str, Any]) -> int:
        await hold.wait()
        return 500  # never taken

    receiver.answer = answer
    await bot.set_webhook(receiver.url, secret_token=SECRET)
    with pytest.raises(TelegramConflictError, match="webhook is active"):
        await bot.get_updates(timeout=0)
    update = await emulator.user_message(9, text="eins")
    await wait_for(lambda: receiver.posts, what="the delivery")

    assert await bot.delete_webhook()
    hold.set()
    assert (await bot.get_webhook_info()).url == ""
    # Not taken by the webhook: it is still there for getUpdates, and new ones follow.
    second = await emulator.user_message(9, text="zwei")
    got = await bot.get_updates(timeout=1)
    assert [u.update_id for u in got] == [update["update_id"], second["update_id"]]
    assert len(receiver.posts) == 1

    await bot.set_webhook(receiver.url, drop_pending_updates=True)
    assert (await bot.get_webhook_info()).pending_update_count == 0
    await bot.delete_webhook()


async def test_one_chat_in_order_other_chats_meanwhile_and_a_redelivery(
    server: EmulatorServer, bot: Bot, receiver: Receiver
) -> None:
    emulator = server.emulator
    release = asyncio.Event()

    async def answer(body: dict[str, Any]) -> int:
        if body["message"]["text"] == "a1":
            await release.wait()
        return 200

    receiver.answer = answer
    await bot.set_webhook(receiver.url, secret_token=SECRET)
    first = await emulator.user_message(1, text="a1")
    await emulator.user_message(1, text="a2")
    await emulator.user_message(2, text="b1")
    # Chat 2 is not held up by chat 1's slow update; chat 1's next waits for it.
    await wait_for(lambda: receiver.texts() == ["a1", "b1"], what="b1 beside a1")
    await asyncio.sleep(0.3)
    assert receiver.texts() == ["a1", "b1"]
    release.set()
    await wait_for(lambda: receiver.texts() == ["a1", "b1", "a2"], what="a2 after a1")

    async with aiohttp.ClientSession() as http:  # the control API's way
        redeliver = f"{server.base_url}/_emulator/redeliver"
        async with http.post(redeliver, json={"update_id": first["update_id"]}) as response:
            assert response.status == 200 and await response.json() == first
        async with http.post(redeliver, json={"update_id": 999}) as response:
            assert response.status == 400
    await wait_for(lambda: emulator.delivered(first["update_id"]) == 2, what="the redelivery")
    assert receiver.texts() == ["a1", "b1", "a2", "a1"]
    with pytest.raises(Exception, match="not delivered"):
        await emulator.redeliver(999)


async def test_a_webhook_is_given_up_after_a_while_and_bad_secrets_are_refused(
    server: EmulatorServer, bot: Bot, receiver: Receiver
) -> None:
    emulator = server.emulator
    emulator.webhook_retry_for = 0.5

    async def answer(body: dict[str, Any]) -> int:
        return 502

    receiver.answer = answer
    with pytest.raises(TelegramBadRequest, match="unallowed characters"):
        await bot.set_webhook(receiver.url, secret_token="not allowed!")
    await bot.set_webhook(receiver.url, allowed_updates=["message"])
    await emulator.inline_query(9, "x")  # not allowed: dropped, never posted
    await emulator.user_message(9, text="eins")
    await wait_for(lambda: not emulator.updates, timeout=5, what="giving up")
    assert 2 <= len(receiver.posts) <= 4
    assert receiver.texts() == ["eins"] * len(receiver.posts)
    info = await bot.get_webhook_info()
    assert info.pending_update_count == 0 and info.allowed_updates == ["message"]
    assert info.last_error_message == "Wrong response from the webhook: 502 Bad Gateway"
