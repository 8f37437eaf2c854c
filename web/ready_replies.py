"""A coordinator's page of the site's own ready-made replies (issue 23, item 2): the list,
a form with the German text and one field per client language, and removal.

German is required; every other language is optional, and the chat offers a reply only
to clients whose language is filled in (bot/services/ready_replies.py): a client never
gets a text nobody wrote in their language, and nothing is machine-translated.
"""

from __future__ import annotations

from aiohttp import web

from bot.i18n import NATIVE_NAMES, RTL_LOCALES, SUPPORTED_LOCALES
from bot.ready_replies import MAX_SITE_TEXT, SOURCE_LOCALE
from bot.services import console_staff
from bot.services import ready_replies as ready_service
from bot.services.audit import Refused
from web.context import console, page, redirect, signed_in, text_of

PATH = "/console/site/replies"


async def _page(
    request: web.Request, *, status: int = 200, typed: dict[str, str] | None = None,
    error: str = "",
) -> web.Response:  # fmt: skip
    deps, staff = console(request), signed_in(request)
    console_staff.require_coordinator(staff)
    replies = await ready_service.site_replies(deps.uow_factory, site_id=staff.site_id)
    return page(
        request,
        "ready_replies.html",
        status=status,
        replies=replies,
        locales=[(code, NATIVE_NAMES[code]) for code in SUPPORTED_LOCALES],
        source=SOURCE_LOCALE,
        rtl=RTL_LOCALES,
        most=MAX_SITE_TEXT,
        typed=typed or {},
        error=error,
        saved=request.query.get("saved") == "1",
    )


async def replies_page(request: web.Request) -> web.Response:
    return await _page(request)


async def add(request: web.Request) -> web.Response:
    deps, staff, t = console(request), signed_in(request), text_of(request)
    form = await request.post()
    typed = {
        code: str(form.get(f"text_{code}", ""))[: MAX_SITE_TEXT * 2] for code in SUPPORTED_LOCALES
    }
    try:
        await ready_service.add_site_reply(deps.uow_factory, deps.clock, staff=staff, texts=typed)
    except ready_service.ReplyTextError:
        error = t.p_(
            "console",
            "Please write the German text. Each text may have at most {most} characters "
            "and no hidden characters. Nothing was saved.",
            most=MAX_SITE_TEXT,
        )
        return await _page(request, status=400, typed=typed, error=error)
    return redirect(PATH + "?saved=1")


async def remove(request: web.Request) -> web.Response:
    deps, staff = console(request), signed_in(request)
    form = await request.post()
    number = str(form.get("reply", ""))
    if not number.isdigit() or len(number) > 12:
        raise Refused("reply")
    await ready_service.remove_site_reply(
        deps.uow_factory, deps.clock, staff=staff, reply_id=int(number)
    )
    return redirect(PATH)
