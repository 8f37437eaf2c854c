"""The console's application factory and server (127.0.0.1:WEB_PORT)."""

from __future__ import annotations

from pathlib import Path

import aiohttp_jinja2
import jinja2
from aiohttp import web

from bot.i18n import Catalogs
from bot.ports import Clock, UnitOfWorkFactory
from config import Settings
from web import auth, case_manager, coordinator
from web.context import CONSOLE, Console, redirect
from web.ops import OPEN_PATHS, console_only
from web.security import (
    LIMITER,
    LoginLimiter,
    csrf_middleware,
    not_found_middleware,
    refusals_middleware,
    security_headers,
    session_middleware,
)

HERE = Path(__file__).resolve().parent


async def _to_console(request: web.Request) -> web.Response:
    return redirect("/console/")


def build_console_app(
    *,
    uow_factory: UnitOfWorkFactory,
    catalogs: Catalogs,
    clock: Clock,
    settings: Settings,
    bot_username: str | None = None,
    login_limiter: LoginLimiter | None = None,
) -> web.Application:
    app = web.Application(
        # Outermost first: refusals and errors become pages, with the session known.
        # Not on /healthz, /readyz, /metrics and the webhook (web/ops.py).
        middlewares=[
            console_only(middleware)
            for middleware in (
                not_found_middleware,
                refusals_middleware,
                session_middleware,
                csrf_middleware,
            )
        ],
        client_max_size=1024**2,
    )
    app[OPEN_PATHS] = set()
    app[CONSOLE] = Console(uow_factory, catalogs, clock, settings, bot_username)
    app[LIMITER] = login_limiter or LoginLimiter()
    aiohttp_jinja2.setup(
        app,
        loader=jinja2.FileSystemLoader(HERE / "templates"),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        default_helpers=False,
    )
    app.on_response_prepare.append(security_headers)
    routes = app.router
    routes.add_get("/", _to_console)
    routes.add_get("/console", _to_console)
    routes.add_get("/console/", auth.home, name="home")
    routes.add_get("/console/login/{token}", auth.login_form, name="login_form")
    routes.add_post("/console/login", auth.login, name="login")
    routes.add_post("/console/logout", auth.logout, name="logout")
    routes.add_get("/console/logged-out", auth.logged_out, name="logged_out")
    routes.add_get("/console/site", coordinator.site, name="site")
    routes.add_get("/console/staff", coordinator.staff_list, name="staff")
    routes.add_post("/console/staff/invite", coordinator.invite, name="invite")
    routes.add_get(
        "/console/staff/{staff_id}/deactivate", coordinator.deactivate_form, name="deactivate_form"
    )
    routes.add_post(
        "/console/staff/{staff_id}/deactivate", coordinator.deactivate, name="deactivate"
    )
    routes.add_get("/console/week", case_manager.my_week, name="week")
    routes.add_static("/console/static", HERE / "static", name="static")
    return app


async def start_console(
    app: web.Application, port: int, *, shutdown_timeout: float = 60.0
) -> web.AppRunner:
    """Serve `app` on 127.0.0.1:`port` (behind a reverse proxy for the outside). No access
    log: its lines would carry login tokens in their paths. On cleanup, requests under way
    (a webhook update) get `shutdown_timeout` seconds to finish."""
    runner = web.AppRunner(
        app, access_log=None, handle_signals=False, shutdown_timeout=shutdown_timeout
    )
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", port)
    try:
        await site.start()
    except OSError as exc:
        await runner.cleanup()
        raise PortBusyError(port, exc.strerror or "in use") from None
    return runner


class PortBusyError(Exception):
    def __init__(self, port: int, reason: str) -> None:
        super().__init__(f"port {port} is not free ({reason})")
        self.port = port
