"""The operator's endpoints on the console's server (issue 21, item 3): GET /healthz,
/readyz and /metrics. No login: they carry no personal data, and the console's session
and CSRF middlewares leave them (and the webhook) alone (`console_only`).

Readiness is a set of named checks that the composition root brings (the database and
its migrations; Redis when REDIS_URL is set): each answers None when ready, else a short
reason such as "unreachable".
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field

from aiohttp import web
from aiohttp.typedefs import Middleware

from bot.ports import Clock, UnitOfWorkFactory
from bot.services.console import open_sessions
from web.metrics import CONTENT_TYPE, PrometheusMetrics

#: None when ready, else a short reason (no addresses, no passwords).
ReadyCheck = Callable[[], Awaitable[str | None]]
Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]

#: How long one readiness check may take before it counts as failed.
CHECK_TIMEOUT = 3.0


@dataclass
class Ops:
    metrics: PrometheusMetrics
    checks: dict[str, ReadyCheck] = field(default_factory=dict)
    uow_factory: UnitOfWorkFactory | None = None
    clock: Clock | None = None


OPS = web.AppKey("ops", Ops)
#: Paths served without the console's session and CSRF middlewares.
OPEN_PATHS = web.AppKey("open_paths", set[str])


def console_only(middleware: Middleware) -> Middleware:
    """The console middleware, skipped on the open paths (health, metrics, webhook)."""

    @web.middleware
    async def wrapped(request: web.Request, handler: Handler) -> web.StreamResponse:
        if request.path in request.app.get(OPEN_PATHS, ()):
            return await handler(request)
        return await middleware(request, handler)

    return wrapped


def open_path(app: web.Application, path: str) -> None:
    """Mark `path` as served without the console's middlewares."""
    app.setdefault(OPEN_PATHS, set()).add(path)


def add_ops_routes(app: web.Application, ops: Ops) -> None:
    app[OPS] = ops
    for path, handler in (("/healthz", healthz), ("/readyz", readyz), ("/metrics", metrics)):
        app.router.add_get(path, handler)
        open_path(app, path)


async def healthz(request: web.Request) -> web.Response:
    """Alive: the event loop answers."""
    return web.json_response({"status": "ok", "service": "lotse"})


async def _run_check(check: ReadyCheck) -> str | None:
    try:
        return await asyncio.wait_for(check(), CHECK_TIMEOUT)
    except TimeoutError:
        return "timeout"
    except Exception as exc:  # noqa: BLE001 - the class only: messages may hold addresses
        return f"error ({type(exc).__name__})"


async def readyz(request: web.Request) -> web.Response:
    checks = request.app[OPS].checks
    names = sorted(checks)
    results = await asyncio.gather(*(_run_check(checks[name]) for name in names))
    failed = {name: reason for name, reason in zip(names, results, strict=True) if reason}
    if failed:
        return web.json_response({"status": "unready", "failed": failed}, status=503)
    return web.json_response({"status": "ready", "checked": names})


async def metrics(request: web.Request) -> web.Response:
    ops = request.app[OPS]
    if ops.uow_factory is not None and ops.clock is not None:
        try:
            count = await asyncio.wait_for(open_sessions(ops.uow_factory, ops.clock), CHECK_TIMEOUT)
            ops.metrics.console_sessions.set(count)
        except Exception:  # noqa: BLE001 - the other metrics still matter without it
            pass
    return web.Response(body=ops.metrics.render(), headers={"Content-Type": CONTENT_TYPE})
