"""The offers pages: the site's list with the chat's search and filters, the form that
creates and edits an offer, ending one, import with a preview, and the CSV export."""

from __future__ import annotations

import asyncio
import re
from datetime import date, datetime
from typing import Any
from urllib.parse import urlencode

from aiohttp import web
from multidict import MultiDictProxy

from bot.domain import STATUSES, LifeArea, Offer, StaffRole
from bot.i18n import NATIVE_NAMES
from bot.offers_io import COLUMNS, RowError, offer_row
from bot.referral_words import reason_label
from bot.services import console_offers as offers
from bot.services.console_staff import require_coordinator
from bot.services.referrals import offer_flags
from web.context import SESSION, console, message, page, redirect, signed_in, text_of
from web.offer_text import error_text, field_labels, status_labels

#: Form fields sent as several values (check boxes), stored joined by ';'.
_MULTI = ("life_areas", "eligible_statuses")
_SEPARATORS = re.compile(r"[;,\s]+")


def _offer_id(request: web.Request) -> int:
    value = request.match_info["offer_id"]
    if not value.isdigit() or len(value) > 12:
        raise offers.OfferRefused()
    return int(value)


def _today(request: web.Request) -> date:
    deps = console(request)
    return deps.clock.now().astimezone(deps.settings.zone).date()


def _choice(value: str | None, allowed: list[str]) -> str | None:
    return value if value in allowed else None


def _page_number(value: str | None) -> int:
    return int(value) - 1 if value and value.isdigit() and 0 < len(value) < 7 else 0


async def offer_list(request: web.Request) -> web.Response:
    deps, staff = console(request), signed_in(request)
    places = await offers.places(deps.uow_factory, staff=staff)
    args = request.query
    text = args.get("q", "")[:200]
    filters = {
        "area": _choice(args.get("area"), [a.value for a in LifeArea]),
        "place": _choice(args.get("place"), places),
        "language": _choice(args.get("language"), list(NATIVE_NAMES)),
        "duldung": "yes" if args.get("duldung") == "yes" else None,
    }
    found = await offers.list_offers(
        deps.uow_factory,
        staff=staff,
        text=text,
        life_area=filters["area"],
        municipality=filters["place"],
        language=filters["language"],
        open_to_duldung=filters["duldung"] == "yes",
        page=_page_number(args.get("page")),
    )
    kept = {"q": text, **{k: v for k, v in filters.items() if v}}
    kept = {k: v for k, v in kept.items() if v}

    def page_link(number: int) -> str:
        return "/console/offers?" + urlencode({**kept, "page": number + 1})

    return page(
        request,
        "offers.html",
        found=found,
        text=text,
        filters=filters,
        places=places,
        areas=list(LifeArea),
        languages=NATIVE_NAMES,
        page_link=page_link,
        today=_today(request),
        ended=offers.is_ended,
        coordinator=staff.role is StaffRole.COORDINATOR,
        flags=await _flags(request),
    )


async def _flags(request: web.Request) -> list[tuple[str, str, int, datetime]]:
    """For coordinators: offers their clients often could not use (issue 22: three "not
    allowed" or "full" answers in 90 days), as (title, reason, count, day)."""
    deps, staff = console(request), signed_in(request)
    if staff.role is not StaffRole.COORDINATOR:
        return []
    words = deps.catalogs.translator(text_of(request).locale)
    flagged = await offer_flags(deps.uow_factory, deps.clock, site_id=staff.site_id)
    return [
        (flag.offer_title, reason_label(words, flag.reason), flag.count, flag.flagged_at)
        for flag in flagged
    ]


def _form_page(
    request: web.Request,
    *,
    cells: dict[str, str],
    errors: list[RowError],
    offer: Offer | None = None,
    status: int = 200,
    saved: bool = False,
) -> web.Response:
    t = text_of(request)
    by_field: dict[str, list[Any]] = {}
    for error in errors:
        by_field.setdefault(error.field, []).append(error_text(t, error))
    return page(
        request,
        "offer_form.html",
        status=status,
        offer=offer,
        saved=saved,
        ended=offer is not None and offers.is_ended(offer, _today(request)),
        cells=cells,
        chosen={key: set(cells.get(key, "").split(";")) for key in _MULTI},
        errors=by_field,
        labels=field_labels(t),
        statuses=status_labels(t),
        all_statuses=STATUSES,
        areas=list(LifeArea),
    )


def _cells(form: MultiDictProxy[Any]) -> dict[str, str]:
    """The form's values as the cells of a file row (validate_row's input)."""
    cells = {key: str(form.get(key, ""))[:5000] for key in COLUMNS if key not in _MULTI}
    for key in _MULTI:
        cells[key] = ";".join(str(value)[:100] for value in form.getall(key, [])[:20])
    cells["languages"] = ";".join(p for p in _SEPARATORS.split(cells["languages"]) if p)
    return cells


async def new_form(request: web.Request) -> web.Response:
    require_coordinator(signed_in(request))
    empty = {key: "" for key in COLUMNS}
    return _form_page(request, cells={**empty, "eligible_statuses": ";".join(STATUSES)}, errors=[])


async def create(request: web.Request) -> web.Response:
    deps, staff = console(request), signed_in(request)
    cells = _cells(await request.post())
    saved, errors = await offers.save_offer(deps.uow_factory, deps.clock, staff=staff, cells=cells)
    if saved is None:
        return _form_page(request, cells=cells, errors=errors, status=422)
    return redirect(f"/console/offers/{saved.id}?saved=1")


async def edit_form(request: web.Request) -> web.Response:
    deps, staff = console(request), signed_in(request)
    offer = await offers.own_offer(deps.uow_factory, staff=staff, offer_id=_offer_id(request))
    saved = request.query.get("saved") == "1"
    return _form_page(request, cells=offer_row(offer), errors=[], offer=offer, saved=saved)


async def edit(request: web.Request) -> web.Response:
    deps, staff = console(request), signed_in(request)
    offer_id = _offer_id(request)
    offer = await offers.own_offer(deps.uow_factory, staff=staff, offer_id=offer_id)
    cells = _cells(await request.post())
    saved, errors = await offers.save_offer(
        deps.uow_factory, deps.clock, staff=staff, cells=cells, offer_id=offer_id
    )
    if saved is None:
        cells["external_id"] = offer.external_id
        return _form_page(request, cells=cells, errors=errors, offer=offer, status=422)
    return redirect(f"/console/offers/{offer_id}?saved=1")


async def end_form(request: web.Request) -> web.Response:
    deps, staff = console(request), signed_in(request)
    offer = await offers.own_offer(deps.uow_factory, staff=staff, offer_id=_offer_id(request))
    return page(request, "offer_end.html", offer=offer)


async def end(request: web.Request) -> web.Response:
    deps, staff = console(request), signed_in(request)
    offer_id = _offer_id(request)
    await offers.end_offer(
        deps.uow_factory, deps.clock, deps.settings.zone, staff=staff, offer_id=offer_id
    )
    return redirect(f"/console/offers/{offer_id}?saved=1")


async def import_form(request: web.Request) -> web.Response:
    require_coordinator(signed_in(request))
    return page(request, "offer_import.html", preview=None, notice=None)


def _preview_page(
    request: web.Request, preview: offers.Preview, *, notice: Any = None, status: int = 200
) -> web.Response:
    t = text_of(request)
    return page(
        request,
        "offer_import.html",
        status=status,
        preview=preview,
        notice=notice,
        changes=offers.RowChange,
        labels=field_labels(t),
        error_text=lambda error: error_text(t, error),
    )


async def upload(request: web.Request) -> web.Response:
    deps, staff = console(request), signed_in(request)
    require_coordinator(staff)
    t = text_of(request)
    form = await request.post()
    file = form.get("file")
    if not isinstance(file, web.FileField) or not file.filename:
        notice = t.p_("console", "Please choose a CSV or JSON file.")
        return page(request, "offer_import.html", status=422, preview=None, notice=notice)
    data = await asyncio.to_thread(file.file.read, offers.MAX_UPLOAD_BYTES + 1)
    if len(data) > offers.MAX_UPLOAD_BYTES:
        return too_large(request)
    preview = await offers.preview_import(
        deps.uow_factory,
        deps.clock,
        staff=staff,
        session_id=request[SESSION],
        name=file.filename,
        data=data,
    )
    return _preview_page(request, preview, status=422 if preview.errors else 200)


async def confirm(request: web.Request) -> web.Response:
    deps, staff = console(request), signed_in(request)
    t = text_of(request)
    form = await request.post()
    try:
        result = await offers.confirm_import(
            deps.uow_factory,
            deps.clock,
            staff=staff,
            session_id=request[SESSION],
            key=str(form.get("upload", ""))[:100],
            check=str(form.get("check", ""))[:100],
        )
    except offers.StaleUploadError:
        return message(
            request,
            409,
            t.p_("console", "This preview is no longer valid"),
            t.p_(
                "console",
                "Nothing was imported. A preview can be confirmed once, within an hour, in the "
                "browser that made it. Please upload the file again.",
            ),
        )
    if result.key:
        notice = t.p_(
            "console",
            "The offers changed since the preview. Nothing was imported: please check the "
            "new preview.",
        )
        return _preview_page(request, result, notice=notice, status=409)
    if result.errors:
        return _preview_page(request, result, status=422)
    return page(request, "offer_imported.html", result=result, changes=offers.RowChange)


def too_large(request: web.Request) -> web.Response:
    t = text_of(request)
    return message(
        request,
        413,
        t.p_("console", "The file is too large"),
        t.p_(
            "console",
            "An offers file can have at most {size} MB. Please split it and upload the parts.",
            size=offers.MAX_UPLOAD_BYTES // 1024**2,
        ),
    )


async def export(request: web.Request) -> web.Response:
    deps, staff = console(request), signed_in(request)
    text = await offers.export_site_offers(deps.uow_factory, deps.clock, staff=staff)
    return web.Response(
        text=text,
        content_type="text/csv",
        charset="utf-8",
        headers={"Content-Disposition": 'attachment; filename="offers.csv"'},
    )
