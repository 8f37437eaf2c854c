"""What every console page works with: the process's services (one `Console` per app) and
the signed-in staff member of the request."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import aiohttp_jinja2
from aiohttp import web

from bot.domain import Staff
from bot.i18n import Catalogs
from bot.ports import Clock, UnitOfWorkFactory
from bot.services.console import csrf_token
from config import Settings
from web import labels
from web.text import ConsoleText, console_text

COOKIE = "lotse_console"


@dataclass(frozen=True)
class Console:
    uow_factory: UnitOfWorkFactory
    catalogs: Catalogs
    clock: Clock
    settings: Settings
    #: The bot's username for t.me links (None: unknown, the pages say so).
    bot_username: str | None = None

    @property
    def secure_cookies(self) -> bool:
        return self.settings.web_base_url.startswith("https://")


CONSOLE = web.AppKey("console", Console)
STAFF = web.RequestKey("staff", Staff)
SESSION = web.RequestKey("session", str)


class NotSignedIn(Exception):
    """A page that needs a session, asked for without one (or with one that ended)."""


def console(request: web.Request) -> Console:
    return request.app[CONSOLE]


def signed_in(request: web.Request) -> Staff:
    """The staff member behind the request's session (checked against the database by
    the session middleware on this very request)."""
    staff = request.get(STAFF)
    if staff is None:
        raise NotSignedIn()
    return staff


def text_of(request: web.Request) -> ConsoleText:
    staff = request.get(STAFF)
    deps = console(request)
    locale = staff.locale if staff is not None else deps.settings.DEFAULT_LOCALE
    return console_text(deps.catalogs, locale)


def page(request: web.Request, template: str, status: int = 200, **values: Any) -> web.Response:
    """A rendered page; templates get `p_`, `day`, `clock` (dates and times in TIMEZONE),
    `staff`, `csrf` and `lang` besides `values`
    (given here, not by a context-processor middleware, so that pages rendered by the
    outer middlewares, refusals and errors, have them too)."""
    t, zone = text_of(request), console(request).settings.zone
    session_id = request.get(SESSION)
    context = {
        "p_": t.p_,
        "day": lambda moment: t.day(moment, zone),
        "clock": lambda moment: t.clock(moment, zone),
        "role_name": lambda role: labels.role(t, role),
        "kind_name": lambda kind: labels.site_kind(t, kind),
        "area_name": lambda area: labels.life_area(t, area),
        "mode_name": lambda mode: labels.mode(t, mode),
        "status_name": lambda status: labels.status(t, status),
        "language_names": labels.languages,
        "lang": t.locale,
        "staff": request.get(STAFF),
        "csrf": csrf_token(session_id) if session_id else "",
        **values,
    }
    return aiohttp_jinja2.render_template(template, request, context, status=status)


def message(
    request: web.Request, status: int, title: str, body: str, *, back: bool = True
) -> web.Response:
    """A page with one message (refusals, errors, a link that does not work)."""
    return page(request, "message.html", status=status, title=title, body=body, back=back)


def redirect(location: str) -> web.Response:
    """303 See Other: after a POST, the browser GETs the next page."""
    return web.Response(status=303, headers={"Location": location})
