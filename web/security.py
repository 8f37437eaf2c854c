"""The console's guards, as aiohttp middlewares and a response signal:

- every response carries a Content-Security-Policy without inline scripts or styles,
  refuses framing, sends no referrer (a login link must not leak) and is not cached;
- the session cookie is checked against the database on every request (a deactivated
  staff member's sessions end at once);
- every POST of a signed-in browser carries the session's CSRF token;
- a refused id or role (bot.services.audit.Refused) is audited and answered 404 or 403;
- login attempts are rate-limited per address.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable

from aiohttp import web
from aiolimiter import AsyncLimiter

from bot.services.audit import Refused, audit_refusal
from bot.services.console import csrf_valid, session_staff
from web.context import COOKIE, SESSION, STAFF, NotSignedIn, console, message, text_of
from web.offers import too_large

log = logging.getLogger("lotse.console")

Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]

CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "form-action 'self'; frame-ancestors 'none'; base-uri 'none'; object-src 'none'"
)
HEADERS = {
    "Content-Security-Policy": CSP,
    "X-Frame-Options": "DENY",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "Cross-Origin-Opener-Policy": "same-origin",
}
#: Paths served without a session (the static files need none and read no database).
STATIC_PREFIX = "/console/static/"


async def security_headers(request: web.Request, response: web.StreamResponse) -> None:
    """on_response_prepare: every response, pages, errors and files alike."""
    for name, value in HEADERS.items():
        response.headers.setdefault(name, value)
    if not request.path.startswith(STATIC_PREFIX):
        response.headers.setdefault("Cache-Control", "no-store")


@web.middleware
async def session_middleware(request: web.Request, handler: Handler) -> web.StreamResponse:
    session_id = request.cookies.get(COOKIE)
    if session_id and not request.path.startswith(STATIC_PREFIX):
        deps = console(request)
        staff = await session_staff(deps.uow_factory, deps.clock, session_id=session_id)
        if staff is not None:
            request[STAFF] = staff
            request[SESSION] = session_id
    return await handler(request)


@web.middleware
async def csrf_middleware(request: web.Request, handler: Handler) -> web.StreamResponse:
    """Every POST needs a session and its token; only the login form (which carries the
    one-time login token itself) is posted without one."""
    if request.method == "POST" and request.match_info.route.name != "login":
        session_id = request.get(SESSION)
        if session_id is None:
            raise NotSignedIn()
        try:
            form = await request.post()
        except web.HTTPRequestEntityTooLarge:
            return too_large(request)
        token = form.get("csrf")
        if not isinstance(token, str) or not csrf_valid(session_id, token):
            t = text_of(request)
            log.info("console form refused", extra={"reason": "csrf"})
            return message(
                request,
                403,
                t.p_("console", "This form has expired"),
                t.p_("console", "Please go back, reload the page and try again."),
            )
    return await handler(request)


@web.middleware
async def refusals_middleware(request: web.Request, handler: Handler) -> web.StreamResponse:
    try:
        return await handler(request)
    except NotSignedIn:
        t = text_of(request)
        return message(
            request,
            401,
            t.p_("console", "Please log in"),
            t.p_(
                "console",
                "Send /console to Lotse in Telegram (or tap “Open the console” in the staff "
                "menu): you get a link that logs you in.",
            ),
            back=False,
        )
    except Refused as refused:
        deps, staff, t = console(request), request.get(STAFF), text_of(request)
        if staff is not None:
            await audit_refusal(deps.uow_factory, deps.clock, staff=staff, refused=refused)
        log.info("console request refused", extra={"kind": refused.kind})
        if refused.kind == "role":
            return message(
                request,
                403,
                t.p_("console", "Not for your role"),
                t.p_("console", "This page is for coordinators."),
            )
        return not_found(request)


def not_found(request: web.Request) -> web.Response:
    t = text_of(request)
    return message(
        request,
        404,
        t.p_("console", "Not found"),
        t.p_("console", "This page does not exist, or it is not of your site."),
    )


@web.middleware
async def not_found_middleware(request: web.Request, handler: Handler) -> web.StreamResponse:
    """aiohttp's own 404 and 405 as console pages."""
    try:
        return await handler(request)
    except web.HTTPNotFound:
        return not_found(request)


class LoginLimiter:
    """At most `attempts` login attempts per `seconds` from one address (behind a reverse
    proxy: from the proxy, so for everyone together)."""

    def __init__(self, attempts: int = 20, seconds: float = 60) -> None:
        self._attempts, self._seconds = attempts, seconds
        self._limiters: dict[str, AsyncLimiter] = {}

    async def allow(self, request: web.Request) -> bool:
        address = request.remote or "-"
        if address not in self._limiters and len(self._limiters) >= 10_000:
            self._limiters.clear()  # bounded: forgetting old addresses only loosens it
        limiter = self._limiters.setdefault(address, AsyncLimiter(self._attempts, self._seconds))
        if not limiter.has_capacity():
            return False
        await limiter.acquire()
        return True


LIMITER = web.AppKey("login_limiter", LoginLimiter)
