"""Logging in with a one-time link, logging out, and the home page of each role."""

from __future__ import annotations

import logging

from aiohttp import web

from bot.domain import StaffRole
from bot.services.console import IDLE_TIMEOUT, LoginLinkError, log_in, log_out
from web.context import COOKIE, SESSION, console, message, page, redirect, signed_in, text_of
from web.security import LIMITER

log = logging.getLogger("lotse.console")


async def login_form(request: web.Request) -> web.Response:
    """The link from the bot opens a page with one button: the link is used by the POST,
    so a link preview or a scanner fetching the URL does not use it up."""
    return page(request, "login.html", token=request.match_info["token"])


async def login(request: web.Request) -> web.StreamResponse:
    deps, t = console(request), text_of(request)
    if not await request.app[LIMITER].allow(request):
        log.warning("console login attempts over the limit")
        return message(
            request,
            429,
            t.p_("console", "Too many attempts"),
            t.p_("console", "Please wait a minute and try again."),
            back=False,
        )
    form = await request.post()
    token = form.get("token")
    try:
        if not isinstance(token, str) or not token:
            raise LoginLinkError()
        session_id, staff = await log_in(deps.uow_factory, deps.clock, token=token)
    except LoginLinkError:
        log.info("console login refused")
        return message(
            request,
            410,
            t.p_("console", "This link does not work any more"),
            t.p_(
                "console",
                "A login link works once, for 10 minutes. Send /console to Lotse in "
                "Telegram for a new one.",
            ),
            back=False,
        )
    log.info("console login", extra={"staff_id": staff.id})
    response = redirect("/console/")
    response.set_cookie(
        COOKIE,
        session_id,
        path="/console",
        httponly=True,
        samesite="Strict",
        secure=deps.secure_cookies,
        max_age=int(IDLE_TIMEOUT.total_seconds()),
    )
    return response


async def logout(request: web.Request) -> web.StreamResponse:
    deps = console(request)
    signed_in(request)
    await log_out(deps.uow_factory, deps.clock, session_id=request[SESSION])
    response = redirect("/console/logged-out")
    response.del_cookie(COOKIE, path="/console")
    return response


async def logged_out(request: web.Request) -> web.Response:
    t = text_of(request)
    return message(
        request,
        200,
        t.p_("console", "You are logged out"),
        t.p_("console", "To come back, send /console to Lotse in Telegram."),
        back=False,
    )


async def home(request: web.Request) -> web.Response:
    staff = signed_in(request)
    coordinator = staff.role is StaffRole.COORDINATOR
    return page(request, "home.html", coordinator=coordinator)
