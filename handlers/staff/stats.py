"""/stats for coordinators: the site's chart and a short summary, small counts hidden."""

from __future__ import annotations

import asyncio
from datetime import timedelta

from aiogram import F, Router
from aiogram.filters import Command
from aiogram.types import BufferedInputFile, Message
from babel import Locale, UnknownLocaleError

from bot.domain import LifeArea, NotePhase, StaffRole
from bot.i18n import RTL_LOCALES, Translator
from bot.services.privacy import site_stats
from bot.stats_chart import to_png
from handlers import labels
from handlers.staff import note_views as nv
from handlers.staff.access import IsStaff, StaffTurn


def _figure_title(t: Translator, name: str) -> str:
    return {
        "clients_by_language": t._("Clients by language"),
        "appointments_by_life_area": t._("Appointments by life area"),
        "appointment_outcomes": t._("Appointments: kept, missed, cancelled"),
        "reminder_confirmations": t._("Reminders confirmed"),
        "offers_sent_by_life_area": t._("Offers sent by life area"),
        "notes_by_life_area": t._("Notes by life area"),
        "notes_by_phase": t._("Notes by phase"),
    }.get(name, name)


def _category(t: Translator, figure: str, key: str) -> str:
    areas = {a.value for a in LifeArea}
    if key in areas:
        return labels.life_area(t, LifeArea(key))[2:].strip()
    if figure == "clients_by_language":
        return labels.language_in(t, key)
    if figure == "notes_by_phase":
        return nv.phase_label(t, NotePhase(key)) if key in {p.value for p in NotePhase} else "–"
    return {
        "booked": t.p_("status", "booked"),
        "attended": t.p_("status", "attended"),
        "no_show": t.p_("status", "did not come"),
        "cancelled": t.p_("status", "cancelled"),
        "confirmed": t.p_("status", "confirmed"),
        "not_confirmed": t.p_("status", "not confirmed"),
    }.get(key, key)


def _english_language(code: str) -> str:
    if code == "fa_AF":
        return "Dari"
    try:
        return Locale.parse(code).get_display_name("en") or code
    except (ValueError, UnknownLocaleError):
        return code


def summary(t: Translator, figures: dict[str, dict[str, int | str]], days: int) -> str:
    lines: list[str] = [
        t._("📊 Your site, the last {days} days (counts below 5 are shown as <5):", days=days)
    ]
    for name, values in figures.items():
        parts = ", ".join(f"{_category(t, name, k)} {v}" for k, v in values.items())
        lines.append(f"• {_figure_title(t, name)}: {parts}")
    if len(lines) == 1:
        lines.append(t._("No data yet."))
    return "\n".join(lines)


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
        # The chart's font has Latin letters only: right-to-left readers get it in English,
        # and languages are named by their English names there.
        ct = turn.speaking("en") if staff.locale in RTL_LOCALES else t
        png = await asyncio.to_thread(
            to_png,
            figures,
            title=ct._("Lotse: {start} to {end}", start=start.isoformat(), end=end.isoformat()),
            figure_title=lambda name: _figure_title(ct, name),
            category_label=lambda figure, key: (
                _english_language(key)
                if figure == "clients_by_language"
                else _category(ct, figure, key)
            ),
            empty=ct._("No data yet."),
        )
        await turn.bot.send_photo(message.chat.id, BufferedInputFile(png, "stats.png"))
        await message.answer(summary(t, figures, days))

    return router
