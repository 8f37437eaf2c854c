"""/stats for coordinators: the site's chart and a short summary, small counts hidden."""

from __future__ import annotations

import asyncio
from datetime import timedelta

from aiogram import F, Router
from aiogram.filters import Command
from aiogram.types import BufferedInputFile, Message

from bot.domain import StaffRole
from bot.services.privacy import site_stats
from handlers.staff import stats_views as sv
from handlers.staff.access import IsStaff, StaffTurn


def stats_router() -> Router:
    router = Router(name="stats")
    router.message.filter(F.chat.type == "private", IsStaff())

    @router.message(Command("stats"))
    async def stats_command(message: Message, turn: StaffTurn) -> None:
        staff, t, zone = turn.staff, turn.t, turn.settings.zone
        if staff.role is not StaffRole.COORDINATOR:
            await message.answer(t._("📊 Statistics are for coordinators."))
            return
        days = 90
        end = turn.clock.now().astimezone(zone).date()
        start = end - timedelta(days=days - 1)
        figures = await site_stats(
            turn.uow_factory, site_id=staff.site_id, start=start, end=end, zone=zone
        )
        ct = turn.speaking(sv.chart_locale(staff.locale))
        title = sv.chart_title(ct, start, end)
        png = await asyncio.to_thread(sv.chart_png, ct, figures, title=title)
        await turn.bot.send_photo(message.chat.id, BufferedInputFile(png, "stats.png"))
        await message.answer(sv.summary(t, figures, days))

    return router
