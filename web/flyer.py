"""The site's printable flyer (PNG to look at and print, PDF to print) and the QR code of
a one-time invite link (inline as a data: image, so the secret is never in a URL)."""

from __future__ import annotations

import asyncio
import base64
import re

from aiohttp import web

from bot.flyer import Flyer, flyer_pdf, flyer_png
from bot.qr import qr_png
from bot.services.console_site import site_flyer
from bot.services.console_staff import require_coordinator
from web.context import console, message, signed_in, text_of


async def _flyer(request: web.Request) -> Flyer | None:
    deps, staff = console(request), signed_in(request)
    require_coordinator(staff)
    if deps.bot_username is None:
        return None
    return await site_flyer(
        deps.uow_factory, deps.catalogs, staff=staff, bot_username=deps.bot_username
    )


def _no_link(request: web.Request) -> web.Response:
    t = text_of(request)
    return message(
        request,
        404,
        # TRANSLATORS: page title when the flyer cannot be made (the bot's name is unknown)
        t.p_("console", "No flyer yet"),
        t.p_("console", "Unknown until the bot's name is known (set BOT_USERNAME)."),
    )


def _file_name(flyer: Flyer, extension: str) -> str:
    slug = re.sub(r"[^a-z0-9]+", "-", flyer.site_name.lower()).strip("-") or "site"
    return f"lotse-flyer-{slug}.{extension}"


async def flyer_png_file(request: web.Request) -> web.Response:
    flyer = await _flyer(request)
    if flyer is None:
        return _no_link(request)
    body = await asyncio.to_thread(flyer_png, flyer)
    return web.Response(
        body=body,
        content_type="image/png",
        headers={"Content-Disposition": f'inline; filename="{_file_name(flyer, "png")}"'},
    )


async def flyer_pdf_file(request: web.Request) -> web.Response:
    flyer = await _flyer(request)
    if flyer is None:
        return _no_link(request)
    body = await asyncio.to_thread(flyer_pdf, flyer)
    return web.Response(
        body=body,
        content_type="application/pdf",
        headers={"Content-Disposition": f'attachment; filename="{_file_name(flyer, "pdf")}"'},
    )


def qr_data_url(link: str) -> str:
    """The QR code of `link` as a data: URL for an <img> (the CSP allows data: images)."""
    return "data:image/png;base64," + base64.b64encode(qr_png(link, box_size=6)).decode()
