"""The console's application factory and server (127.0.0.1:WEB_PORT)."""

from __future__ import annotations

from pathlib import Path

import aiohttp_jinja2
import jinja2
from aiohttp import web

from bot.i18n import Catalogs
from bot.ports import Clock, UnitOfWorkFactory
from bot.services.console_offers import MAX_UPLOAD_BYTES
from config import Settings
from web import (
    announcements,
    audit,
    auth,
    case_manager,
    clients,
    coordinator,
    flyer,
    hours,
    offers,
    ready_replies,
    stats,
)
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
        # Room for an offers file (web/offers.py says when one is too large).
        client_max_size=MAX_UPLOAD_BYTES + 64 * 1024,
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
    routes.add_get("/console/site/flyer.png", flyer.flyer_png_file, name="flyer_png")
    routes.add_get("/console/site/flyer.pdf", flyer.flyer_pdf_file, name="flyer_pdf")
    routes.add_get("/console/site/replies", ready_replies.replies_page, name="site_replies")
    routes.add_post("/console/site/replies", ready_replies.add, name="site_replies_add")
    routes.add_post("/console/site/replies/remove", ready_replies.remove, name="site_replies_rm")
    routes.add_get("/console/staff", coordinator.staff_list, name="staff")
    routes.add_post("/console/staff/invite", coordinator.invite, name="invite")
    routes.add_get(
        "/console/staff/{staff_id}/deactivate", coordinator.deactivate_form, name="deactivate_form"
    )
    routes.add_post(
        "/console/staff/{staff_id}/deactivate", coordinator.deactivate, name="deactivate"
    )
    routes.add_get("/console/week", case_manager.my_week, name="week")
    _hours_routes(routes)
    routes.add_get("/console/stats", stats.stats_page, name="stats")
    routes.add_get("/console/stats/chart.png", stats.stats_chart, name="stats_chart")
    routes.add_get("/console/stats/stats.csv", stats.stats_csv, name="stats_csv")
    routes.add_get("/console/audit", audit.audit_log, name="audit")
    routes.add_post("/console/audit", audit.audit_filtered, name="audit_filtered")
    routes.add_post("/console/audit.csv", audit.audit_csv, name="audit_csv")
    routes.add_get("/console/clients", clients.clients_page, name="clients")
    routes.add_post("/console/clients/nickname", clients.rename, name="client_nickname")
    _offer_routes(routes)
    announcements.add_routes(routes)
    routes.add_static("/console/static", HERE / "static", name="static")
    return app


def _hours_routes(routes: web.UrlDispatcher) -> None:
    """Weekly hours and days off (coordinators: anyone of the site; everyone: their own),
    and a staff member's role (issue 20)."""
    routes.add_get("/console/staff/{staff_id}/role", coordinator.role_form, name="role_form")
    routes.add_post("/console/staff/{staff_id}/role", coordinator.change_role, name="role")
    routes.add_get("/console/hours", hours.hours_people, name="hours")
    for base, name in (
        ("/console/hours/{staff_id}", "hours_of"),
        ("/console/my-hours", "my_hours"),
    ):
        routes.add_get(base, hours.hours_page, name=name)
        routes.add_post(base + "/windows", hours.add_window, name=f"{name}_add")
        routes.add_get(
            base + "/windows/{window_id}/remove", hours.remove_window_form, name=f"{name}_rm_form"
        )
        routes.add_post(
            base + "/windows/{window_id}/remove", hours.remove_window, name=f"{name}_rm"
        )
        routes.add_post(base + "/days-off", hours.add_days_off, name=f"{name}_off")
        routes.add_post(base + "/days-off/remove", hours.remove_day_off, name=f"{name}_off_rm")


def _offer_routes(routes: web.UrlDispatcher) -> None:
    """The offers pages (the fixed paths before /console/offers/{offer_id})."""
    routes.add_get("/console/offers", offers.offer_list, name="offers")
    routes.add_get("/console/offers/export.csv", offers.export, name="offers_export")
    routes.add_get("/console/offers/new", offers.new_form, name="offer_new_form")
    routes.add_post("/console/offers/new", offers.create, name="offer_new")
    routes.add_get("/console/offers/import", offers.import_form, name="offers_import_form")
    routes.add_post("/console/offers/import", offers.upload, name="offers_import")
    routes.add_post("/console/offers/import/confirm", offers.confirm, name="offers_confirm")
    one = "/console/offers/{offer_id:[0-9]+}"
    routes.add_get(one, offers.edit_form, name="offer_form")
    routes.add_post(one, offers.edit, name="offer_edit")
    routes.add_get(one + "/end", offers.end_form, name="offer_end_form")
    routes.add_post(one + "/end", offers.end, name="offer_end")


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
