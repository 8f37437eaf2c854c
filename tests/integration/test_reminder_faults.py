"""Fault injection with real worker processes (issue 17): the database goes away for
10 s in the middle of a batch, and one of two workers is killed (kill -9) mid-batch.
On PostgreSQL the database refuses connections (a proxy in front of it); on SQLite
another process holds the file's exclusive lock for 10 s.

Guarantees checked: no reminder lost; at most one sent twice per fault; a killed
worker's reminders are sent by the other within 60 s."""

from __future__ import annotations

import asyncio
import os
import signal
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from sqlalchemy import func, select
from sqlalchemy.engine import make_url

from benchmarks.reminders import seed
from emulator import Emulator, EmulatorServer
from storage.models import ReminderRow
from tests.conftest import NOTES_KEY
from tests.integration.conftest import Db
from tests.integration.faults import (
    RefusingProxy,
    Workers,
    proxied,
    sqlite_locked,
    worker_env,
)

pytestmark = pytest.mark.e2e


@pytest.fixture
async def server() -> AsyncIterator[EmulatorServer]:
    server = EmulatorServer(Emulator())
    await server.start()
    yield server
    await server.stop()


async def _sending(db: Db) -> int:
    return int(
        await db.scalar(
            select(func.count()).select_from(ReminderRow).where(ReminderRow.status == "sending")
        )
    )


async def _left(db: Db) -> int:
    return int(
        await db.scalar(
            select(func.count())
            .select_from(ReminderRow)
            .where(ReminderRow.status.in_(["pending", "sending"]))
        )
    )


def _clients(server: EmulatorServer, count: int) -> None:
    for i in range(count):
        server.emulator.user(10_000 + i)
    server.emulator.user(1)  # the case manager


async def test_a_10_second_database_outage_mid_batch_loses_nothing_and_repeats_at_most_one(
    db: Db, server: EmulatorServer, tmp_path: Path
) -> None:
    count = 400
    await seed(db.engine, count)
    _clients(server, count)
    postgres = db.engine.dialect.name == "postgresql"
    proxy = None
    url = db.database_url
    if postgres:
        target = make_url(db.database_url)
        proxy = RefusingProxy(target.host or "127.0.0.1", target.port or 5432)
        await proxy.start()
        url = proxied(db.database_url, proxy.port)
    workers = Workers(server, worker_env(server.base_url, url, NOTES_KEY, 40), tmp_path)
    try:
        await workers.start(2)
        await workers.wait_delivered(60, timeout=90)  # mid-batch
        before = len(workers.delivered())
        if proxy is not None:
            await proxy.cut()  # refused, and every open connection dropped
            await asyncio.sleep(10)
            during = len(workers.delivered())
            await proxy.restore()
        else:
            path = Path(make_url(db.database_url).database or "")
            with sqlite_locked(path):
                await asyncio.sleep(10)  # the workers' writes wait (busy_timeout 30 s)
                during = len(workers.delivered())
        # Sends in flight when it went away may finish; nothing new starts for 10 s.
        assert during - before <= 20, (before, during)
        await workers.wait_delivered(count, timeout=120)
        await asyncio.sleep(2)  # anything sent twice would show now
        assert await _left(db) == 0
    finally:
        await workers.stop()
        if proxy is not None:
            await proxy.stop()
    delivered = workers.delivered()
    assert len(delivered) == count  # none lost
    assert sum(n - 1 for n in delivered.values()) <= 1, delivered.most_common(3)


async def test_kill_9_of_one_of_two_workers_its_rows_go_out_from_the_other_within_60_s(
    db: Db, server: EmulatorServer, tmp_path: Path
) -> None:
    count = 300
    await seed(db.engine, count)
    _clients(server, count)
    workers = Workers(server, worker_env(server.base_url, db.database_url, NOTES_KEY, 30), tmp_path)
    try:
        await workers.start(2)
        await workers.wait_delivered(40, timeout=90)
        holders = [n for n in range(2) if workers.claimed(n)]
        assert holders, "no worker said it claimed reminders"
        victim = holders[0]
        survivor_before = workers.claimed(1 - victim)
        assert await _sending(db) > 0  # the victim holds claimed rows right now
        os.kill(workers.processes[victim].pid, signal.SIGKILL)  # mid-batch
        await workers.processes[victim].wait()
        assert len(workers.delivered()) < count  # it died holding reminders
        took = await workers.wait_delivered(count, timeout=60)
        await asyncio.sleep(2)
        assert await _left(db) == 0
    finally:
        await workers.stop()
    delivered = workers.delivered()
    assert len(delivered) == count and took <= 60
    assert sum(n - 1 for n in delivered.values()) <= 1, delivered.most_common(3)
    assert workers.claimed(1 - victim) > survivor_before  # the survivor took over
