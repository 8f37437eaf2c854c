"""A coordinator's site in the console: its printable flyer (the client link as a QR code
with one line in each client language)."""

from __future__ import annotations

from bot.domain import Staff
from bot.flyer import Flyer, flyer_lines
from bot.i18n import Catalogs
from bot.ports import UnitOfWorkFactory
from bot.services.console_staff import require_coordinator, site_of


def client_link(bot_username: str, slug: str) -> str:
    """The deep link clients open (as `site link SLUG` prints it)."""
    return f"https://t.me/{bot_username}?start=site-{slug}"


async def site_flyer(
    uow_factory: UnitOfWorkFactory, catalogs: Catalogs, *, staff: Staff, bot_username: str
) -> Flyer:
    """The flyer of the coordinator's own site (no personal data: name and link only)."""
    require_coordinator(staff)
    site = await site_of(uow_factory, staff=staff)
    return Flyer(site.name, client_link(bot_username, site.slug), flyer_lines(catalogs))
