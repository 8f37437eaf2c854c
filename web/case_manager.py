"""A case manager's pages: my week (the appointments of the next 7 days)."""

from __future__ import annotations

from aiohttp import web

from bot.services.agenda import agenda
from web.context import console, page, signed_in


async def my_week(request: web.Request) -> web.Response:
    deps, staff = console(request), signed_in(request)
    items = await agenda(deps.uow_factory, deps.clock, deps.settings.zone, staff=staff, days=7)
    return page(request, "week.html", items=items)
