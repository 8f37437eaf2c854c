"""My clients (case managers and coordinators alike): each client of the signed-in staff
member with their language, next appointment and the day of the last case note (never
its text), and a form to change the nickname.

The client travels in the form's body, not in a URL. The list is read through the
chat's own service ("clients.list" in the audit log); a nickname change is audited
("console.client.nickname"); another case manager's client is refused (404, audited).
"""

from __future__ import annotations

from aiohttp import web

from bot.services.arrival import MAX_NICKNAME, NicknameError
from bot.services.audit import Refused
from bot.services.console_clients import my_clients, rename_client
from web.context import console, page, redirect, signed_in, text_of

#: Clients on one page (a case manager may have hundreds; soonest appointment first).
PER_PAGE = 50


async def _list(
    request: web.Request, *, status: int = 200, editing: int | None = None, typed: str = "",
    error: str = "",
) -> web.Response:  # fmt: skip
    deps, staff = console(request), signed_in(request)
    summaries = await my_clients(deps.uow_factory, deps.clock, staff=staff)
    pages = max(1, -(-len(summaries) // PER_PAGE))
    if editing is not None:  # the page with the client whose nickname was refused
        at = next((i for i, s in enumerate(summaries) if s.client.id == editing), 0)
        shown = at // PER_PAGE
    else:
        asked = request.query.get("page", "1")
        shown = min(int(asked) - 1, pages - 1) if asked.isdigit() and 0 < len(asked) < 6 else 0
        shown = max(shown, 0)
    return page(
        request,
        "clients.html",
        status=status,
        summaries=summaries[shown * PER_PAGE : (shown + 1) * PER_PAGE],
        total=len(summaries),
        shown_page=shown,
        pages=pages,
        editing=editing,
        typed=typed,
        error=error,
        saved=request.query.get("saved") == "1",
    )


async def clients_page(request: web.Request) -> web.Response:
    return await _list(request)


async def rename(request: web.Request) -> web.Response:
    deps, staff, t = console(request), signed_in(request), text_of(request)
    form = await request.post()
    number, nickname = str(form.get("client", "")), str(form.get("nickname", ""))
    if not number.isdigit() or len(number) > 12:
        raise Refused("client")
    try:
        await rename_client(
            deps.uow_factory, deps.clock, staff=staff, client_id=int(number), nickname=nickname
        )
    except NicknameError:
        return await _list(
            request,
            status=400,
            editing=int(number),
            typed=nickname[:200],
            error=t.p_(
                "console",
                "Please give a nickname of 1 to {max} characters, without line breaks or "
                "invisible characters.",
                max=MAX_NICKNAME,
            ),
        )
    return redirect("/console/clients?saved=1")
