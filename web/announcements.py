"""Announcements in the console (issue 23, item 1): the list with figures, a new one (text,
filters, time, a person's translation per language), one announcement's preview per
language, translations added by a colleague who speaks the language, and cancelling
before it goes out. Role and site are checked by the services (bot/services/announcements.py);
a refused id answers 404 and is audited (web/security.py)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from aiohttp import web
from multidict import MultiDictProxy

from bot.announcements import APPOINTMENT_DAYS, SOURCE_LOCALES, TEXT_LIMIT, AnnouncementStatus
from bot.i18n import NATIVE_NAMES, SUPPORTED_LOCALES
from bot.services import announcements as service
from bot.services.audit import Refused
from web.context import console, page, redirect, signed_in, text_of


def _id(request: web.Request) -> int:
    value = request.match_info["announcement_id"]
    if not value.isdigit() or len(value) > 12:
        raise Refused("announcement")
    return int(value)


def _human(form: MultiDictProxy[Any], source: str) -> dict[str, str]:
    return {
        locale: str(form.get(f"text_{locale}", ""))[: TEXT_LIMIT + 1].strip()
        for locale in SUPPORTED_LOCALES
        if locale != source and str(form.get(f"text_{locale}", "")).strip()
    }


async def _list(request: web.Request, *, status: int = 200, error: str = "") -> web.Response:
    deps, staff = console(request), signed_in(request)
    entries = await service.announcements_for(
        deps.uow_factory, staff=staff, limit=30, to_translate=True
    )
    return page(
        request,
        "announcements.html",
        status=status,
        entries=entries,
        locales=SUPPORTED_LOCALES,
        sources=SOURCE_LOCALES,
        names=NATIVE_NAMES,
        day_choices=APPOINTMENT_DAYS,
        limit=TEXT_LIMIT,
        error=error,
        saved=request.query.get("saved") == "1",
    )


async def announcement_list(request: web.Request) -> web.Response:
    return await _list(request)


async def create(request: web.Request) -> web.Response:
    deps, staff, t = console(request), signed_in(request), text_of(request)
    form = await request.post()
    source = str(form.get("source", "de"))
    languages = tuple(str(v) for v in form.getall("languages", []) if v in SUPPORTED_LOCALES)
    days_text = str(form.get("days", ""))
    days = int(days_text) if days_text in {str(d) for d in APPOINTMENT_DAYS} else None
    when = deps.clock.now()
    typed = str(form.get("when", "")).strip()
    if typed:
        try:
            local = datetime.fromisoformat(typed[:16])
        except ValueError:
            local = None
        if local is None or local.tzinfo is not None:
            return await _list(
                request, status=400, error=t.p_("console", "Please give a date and time.")
            )
        when = local.replace(tzinfo=deps.settings.zone)
    try:
        made = await service.announce(
            deps.uow_factory,
            deps.clock,
            deps.settings.booking_policy().quiet,
            author=staff,
            text=str(form.get("text", "")),
            source_locale=source,
            when=when,
            languages=languages,
            appointment_days=days,
            human=_human(form, source),
        )
    except service.AnnouncementError:
        error = t.p_("console", "Please write a text of 1 to {limit} characters.", limit=TEXT_LIMIT)
        return await _list(request, status=400, error=error)
    return redirect(f"/console/announcements/{made.id}?saved=1")


async def one(request: web.Request) -> web.Response:
    deps, staff = console(request), signed_in(request)
    view = await service.announcement_for(
        deps.uow_factory, deps.clock, staff=staff, announcement_id=_id(request)
    )
    if view is None:
        raise Refused("announcement")
    return page(
        request,
        "announcement.html",
        view=view,
        locales=SUPPORTED_LOCALES,
        names=NATIVE_NAMES,
        planned=view.announcement.status is AnnouncementStatus.SCHEDULED,
        saved=request.query.get("saved") == "1",
    )


async def save_texts(request: web.Request) -> web.Response:
    deps, staff = console(request), signed_in(request)
    announcement_id = _id(request)
    form = await request.post()
    view = await service.announcement_for(
        deps.uow_factory, deps.clock, staff=staff, announcement_id=announcement_id
    )
    if view is None or not view.may_translate:
        raise Refused("announcement")
    for locale, text in _human(form, view.announcement.source_locale).items():
        await service.add_translation(
            deps.uow_factory,
            deps.clock,
            staff=staff,
            announcement_id=announcement_id,
            locale=locale,
            text=text,
        )
    return redirect(f"/console/announcements/{announcement_id}?saved=1")


async def cancel(request: web.Request) -> web.Response:
    deps, staff = console(request), signed_in(request)
    announcement_id = _id(request)
    if not await service.cancel_announcement(
        deps.uow_factory, deps.clock, staff=staff, announcement_id=announcement_id
    ):
        raise Refused("announcement")
    return redirect(f"/console/announcements/{announcement_id}")


def add_routes(routes: web.UrlDispatcher) -> None:
    routes.add_get("/console/announcements", announcement_list, name="announcements")
    routes.add_post("/console/announcements/new", create, name="announcement_new")
    one_path = "/console/announcements/{announcement_id}"
    routes.add_get(one_path, one, name="announcement")
    routes.add_post(one_path + "/texts", save_texts, name="announcement_texts")
    routes.add_post(one_path + "/cancel", cancel, name="announcement_cancel")
