"""Redis goes away while a bot process runs (issue 21, item 2): the person whose update
meets the outage is told to try again, the update is not marked as handled (Telegram's
retry, or the same update given again, is handled), and the process works again as soon
as Redis is back, without a restart. The test runs a redis-server of its own (Debian's
redis-server package, as .ci/run installs it) so it can stop and start it."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import time
from collections.abc import Iterator
from datetime import UTC, datetime

import pytest
from aiogram.types import Chat, Message, MessageEntity, Update, User
from sqlalchemy import select

from handlers import views
from storage.models import ProcessedUpdateRow
from storage.redis_client import connect_redis
from tests.telegram.harness import TelegramHarness
from tests.telegram.two_processes import process
from tests.telegram.world import World, consented_client

CLIENT_ID = 9200


class RedisServer:
    """A redis-server on a free loopback port, no persistence; stopped and started by
    this test (by the process it started, never by name)."""

    def __init__(self) -> None:
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            self.port = probe.getsockname()[1]
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self._process: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        self._process = subprocess.Popen(
            ["redis-server", "--bind", "127.0.0.1", "--port", str(self.port), "--save", ""],
            stdout=subprocess.DEVNULL,
        )
        for _ in range(100):
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=0.1):
                    return
            except OSError:
                time.sleep(0.05)
        raise RuntimeError("redis-server did not start")

    def stop(self) -> None:
        if self._process is not None:
            self._process.terminate()
            self._process.wait(timeout=10)
            self._process = None


@pytest.fixture
def redis_server() -> Iterator[RedisServer]:
    if shutil.which("redis-server") is None:
        if os.environ.get("CI"):
            pytest.fail("redis-server is not installed: .ci/run installs it")
        pytest.skip("redis-server is not installed (outside CI only)")
    server = RedisServer()
    server.start()
    yield server
    server.stop()


def _start(person_id: int, update_id: int) -> Update:
    return Update(
        update_id=update_id,
        message=Message(
            message_id=update_id,
            date=datetime.now(UTC),
            chat=Chat(id=person_id, type="private"),
            from_user=User(id=person_id, is_bot=False, first_name="T", language_code="de"),
            text="/start",
            entities=[MessageEntity(type="bot_command", offset=0, length=6)],
        ),
    )


async def test_redis_going_away_and_coming_back(world: World, redis_server: RedisServer) -> None:
    redis = connect_redis(redis_server.url)
    harness = TelegramHarness(process(world, redis))
    world.__dict__["harness"] = harness  # the world's helpers use this process
    try:
        await consented_client(world, CLIENT_ID, "de")
        t = world.t("de")
        failure = views.failure(t)

        redis_server.stop()
        update = _start(CLIENT_ID, harness.next_update_id())
        sent = await harness.feed(update)
        assert [s.text for s in sent if s.chat_id == CLIENT_ID] == [failure]
        async with world.engine.connect() as connection:
            claimed = await connection.scalar(
                select(ProcessedUpdateRow).where(ProcessedUpdateRow.update_id == update.update_id)
            )
        assert claimed is None, "an update that met the outage counts as handled"

        redis_server.start()
        sent = await harness.feed(update)  # Telegram's retry, or the person trying again
        answers = [s.text for s in sent if s.chat_id == CLIENT_ID and s.text]
        assert answers and failure not in answers
        sent = await harness.feed(_start(CLIENT_ID, harness.next_update_id()))
        assert [s.text for s in sent if s.chat_id == CLIENT_ID and s.text] == answers
    finally:
        await redis.aclose()
