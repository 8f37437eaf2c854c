"""What the processes of one Lotse share, and how one stops (issue 21): the send pace and
the conversation state (in Redis with REDIS_URL, else the database), the /healthz,
/readyz and /metrics endpoints, the stop signals. Wiring for main.py, the composition
root."""

from __future__ import annotations

import asyncio
import logging
import signal
from collections.abc import Callable
from typing import TYPE_CHECKING

from config import Settings, StartupError

log = logging.getLogger("lotse")

if TYPE_CHECKING:
    from aiohttp.web import Application, AppRunner
    from redis.asyncio import Redis
    from sqlalchemy.ext.asyncio import AsyncEngine

    from bot.ports import Clock, SendPace, UnitOfWorkFactory
    from handlers.plumbing.redis_fsm import RedisFsm
    from web.metrics import PrometheusMetrics


def ops(
    engine: AsyncEngine,
    uow_factory: UnitOfWorkFactory,
    clock: Clock,
    metrics: PrometheusMetrics,
    redis: Redis | None = None,
) -> Callable[[Application], None]:
    """/healthz, /readyz (the database, and Redis with REDIS_URL) and /metrics."""
    from storage.health import database_ready, redis_ready
    from web.ops import Ops, ReadyCheck, add_ops_routes

    checks: dict[str, ReadyCheck] = {"database": lambda: database_ready(engine)}
    if redis is not None:
        shared = redis
        checks["redis"] = lambda: redis_ready(shared)
    return lambda app: add_ops_routes(
        app, Ops(metrics, checks=checks, uow_factory=uow_factory, clock=clock)
    )


async def serve_ops(port: int, ops: Callable[[Application], None]) -> AppRunner | None:
    """The ops endpoints alone on 127.0.0.1:`port` (a worker: no console, no webhook).
    A busy port is no reason to send no reminders: the worker runs on without them, and
    says so (give each worker on a machine its own WEB_PORT)."""
    from aiohttp import web

    from web.app import PortBusyError, start_console

    app = web.Application()
    ops(app)
    try:
        return await start_console(app, port, shutdown_timeout=1.0)
    except PortBusyError:
        log.warning(
            "worker without /healthz, /readyz, /metrics: WEB_PORT busy", extra={"port": port}
        )
        return None


def on_stop_signals(stop: asyncio.Event) -> None:
    """SIGTERM (systemd, docker) and SIGINT (Ctrl+C) start a graceful stop."""
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, stop.set)


async def shared_pace(settings: Settings, engine: AsyncEngine) -> tuple[Redis | None, SendPace]:
    """The send pace all processes share: in Redis with REDIS_URL, else in the database."""
    from storage.redis_client import connect_redis
    from storage.redis_pace import RedisPace
    from storage.send_pace import DatabasePace

    if not settings.REDIS_URL:
        return None, DatabasePace(engine, settings.SEND_RATE)
    redis = connect_redis(settings.REDIS_URL)
    try:
        await redis.ping()
    except Exception as exc:
        await redis.aclose()
        raise StartupError("REDIS_URL: Redis does not answer (is it running?)") from exc
    return redis, RedisPace(redis, settings.SEND_RATE)


def shared_fsm(settings: Settings, engine: AsyncEngine) -> RedisFsm | None:
    """With REDIS_URL: conversation state (encrypted with the notes key) and the
    per-person lock in Redis, for several bot processes (handlers/plumbing/redis_fsm.py).
    Its own client: the dispatcher closes it when it stops."""
    if not settings.REDIS_URL:
        return None
    from handlers.plumbing.redis_fsm import redis_fsm
    from storage.crypto import cipher_of
    from storage.redis_client import connect_redis

    return redis_fsm(connect_redis(settings.REDIS_URL), cipher_of(engine.sync_engine.dialect))
