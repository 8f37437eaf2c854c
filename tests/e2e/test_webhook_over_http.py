"""Webhook mode over HTTP (issue 21, items 1 and 3): the real `python main.py` with
WEBHOOK_URL sets its webhook with a secret on the emulator, which delivers a client's
onboarding to it; an update delivered twice is handled once; requests without the
right secret are refused (401, nothing stored); /healthz, /readyz and /metrics are
served on the same port."""

from __future__ import annotations

import os
import sqlite3
from collections.abc import AsyncIterator
from contextlib import closing
from pathlib import Path

import aiohttp
import pytest
from prometheus_client.parser import text_string_to_metric_families

from bot.i18n import Catalogs
from emulator import EmulatorServer
from tests.e2e import conftest as e2e
from tests.e2e.conftest import TOKEN, free_port, wait_for
from tests.e2e.webhook_world import SECRET_HEADER, WebhookProcess

pytestmark = pytest.mark.e2e

CLIENT, STRANGER = 630001, 630002


@pytest.fixture
async def webhook_process(tmp_path: Path) -> AsyncIterator[WebhookProcess]:
    server = EmulatorServer()
    await server.start()
    port = free_port()
    env = {k: v for k, v in os.environ.items() if k not in {"BOT_TOKEN", "DATABASE_URL"}}
    env.update(
        BOT_TOKEN=TOKEN,
        TELEGRAM_API_URL=server.base_url,
        DATABASE_URL=f"sqlite+aiosqlite:///{tmp_path / 'e2e.db'}",
        LOG_LEVEL="DEBUG",
        BOT_USERNAME="lotse_test_bot",
        PYTHONUNBUFFERED="1",
        WEB_PORT=str(port),
        WEBHOOK_URL=f"http://127.0.0.1:{port}/telegram/hook",
    )
    process = WebhookProcess(server, env, log_path=tmp_path / "bot.log")
    await process.start()
    yield process
    await process.stop()
    await server.stop()


def _rows(process: WebhookProcess, sql: str) -> list[tuple[object, ...]]:
    with closing(sqlite3.connect(process.database_path)) as connection:
        return connection.execute(sql).fetchall()


async def test_onboarding_by_webhook_and_no_entry_without_the_secret(
    webhook_process: WebhookProcess,
) -> None:
    process, emulator = webhook_process, webhook_process.server.emulator
    assert process.webhook is not None and process.webhook.secret_token is not None
    secret = process.webhook.secret_token
    assert process.webhook.url == process.url and TOKEN not in process.url
    [set_webhook] = [r["params"] for r in emulator.requests if r["method"] == "setWebhook"]
    assert len(secret) >= 32 and set_webhook.get("drop_pending_updates") is False
    assert process.webhook.allowed_updates and "message" in process.webhook.allowed_updates

    await process.cli("site", "add", "essen", "--name", "Essen")
    de = Catalogs().translator("de")
    await e2e.join_as_client(process, CLIENT, de, language_code="de", language="Deutsch")
    consented = _rows(
        process, f"SELECT consent_version FROM clients WHERE telegram_user_id={CLIENT}"
    )
    assert consented and consented[0][0]
    # Every update came by the emulator's webhook delivery, taken at the first POST.
    assert not any(r["method"] == "getUpdates" for r in emulator.requests)
    assert emulator.webhook_deliveries and all(d.ok for d in emulator.webhook_deliveries)
    assert not emulator.updates

    # The same update delivered twice is handled once: one answer in the chat.
    answered = len(emulator.chat(CLIENT))
    update = await emulator.user_message(CLIENT, text="/start")
    await e2e.wait_for_message(process.server, CLIENT, emulator.chat(CLIENT)[-1].message_id)
    await wait_for(lambda: emulator.delivered(update["update_id"]) == 1, what="the delivery")
    assert len(emulator.chat(CLIENT)) == answered + 1
    await emulator.redeliver(update["update_id"])
    await wait_for(lambda: emulator.delivered(update["update_id"]) == 2, what="the redelivery")
    assert len(emulator.chat(CLIENT)) == answered + 1

    # Requests without the right secret: 401 and nothing stored, nothing sent.
    update = {
        "update_id": 990001,
        "message": {
            "message_id": 1,
            "date": 1,
            "chat": {"id": STRANGER, "type": "private"},
            "from": {"id": STRANGER, "is_bot": False, "first_name": "X"},
            "text": "/start site-essen",
        },
    }
    sent_before = len(emulator.requests)
    async with aiohttp.ClientSession() as http:
        for headers in ({}, {SECRET_HEADER: "wrong"}, {SECRET_HEADER: secret[:-1]}):
            async with http.post(process.url, json=update, headers=headers) as response:
                assert response.status == 401
        async with http.get(process.url.replace("/telegram/hook", "/metrics")) as response:
            metrics = await response.text()
        async with http.get(process.url.replace("/telegram/hook", "/readyz")) as response:
            assert response.status == 200
    assert _rows(process, f"SELECT id FROM clients WHERE telegram_user_id={STRANGER}") == []
    assert _rows(process, "SELECT update_id FROM processed_updates WHERE update_id=990001") == []
    assert not any(
        str(r["params"].get("chat_id")) == str(STRANGER) for r in emulator.requests[sent_before:]
    )
    handled = {
        (sample.labels.get("type"), sample.labels.get("outcome")): sample.value
        for family in text_string_to_metric_families(metrics)
        for sample in family.samples
        if sample.name == "lotse_updates_total"
    }
    assert handled[("message", "handled")] >= 1 and handled[("callback_query", "handled")] >= 2
    log = process.log_text()
    assert secret not in log and TOKEN.split(":")[1] not in log


async def test_polling_takes_over_from_a_webhook_left_set(tmp_path: Path) -> None:
    """A bot run with WEBHOOK_URL once, then without: polling deletes the old webhook
    (else every getUpdates is a 409 Conflict and no one is answered)."""
    server = EmulatorServer()
    await server.start()
    async with (
        aiohttp.ClientSession() as http,
        http.post(
            f"{server.base_url}/bot{TOKEN}/setWebhook",
            json={"url": f"http://127.0.0.1:{free_port()}/telegram/webhook"},
        ) as answer,
    ):
        assert (await answer.json())["ok"] is True
    env = {k: v for k, v in os.environ.items() if k not in {"BOT_TOKEN", "DATABASE_URL"}}
    env.update(
        BOT_TOKEN=TOKEN,
        TELEGRAM_API_URL=server.base_url,
        DATABASE_URL=f"sqlite+aiosqlite:///{tmp_path / 'e2e.db'}",
        BOT_USERNAME="lotse_test_bot",
        PYTHONUNBUFFERED="1",
        WEB_PORT=str(free_port()),
    )
    process = e2e.BotProcess(server, env, log_path=tmp_path / "bot.log")
    try:
        await process.start()
        methods = [r["method"] for r in server.emulator.requests]
        assert "deleteWebhook" in methods
        assert methods.index("deleteWebhook") < methods.index("getUpdates")
        await server.emulator.user_message(STRANGER, text="/start")
        await wait_for(
            lambda: any(m.from_bot for m in server.emulator.chat(STRANGER)),
            timeout=30,
            what="an answer by polling",
        )
    finally:
        await process.stop()
        await server.stop()
