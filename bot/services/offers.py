"""Offers: import (all or nothing), export, search, and the review flags."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from zoneinfo import ZoneInfo

from bot.domain import Offer, Staff, StaffRole
from bot.offers_io import parse_file, to_csv
from bot.offers_search import search_terms
from bot.ports import Clock, OfferQuery, UnitOfWorkFactory

PAGE_SIZE = 5
STALE_AFTER = timedelta(days=365)
FLAG_AGAIN_AFTER = timedelta(days=30)


@dataclass(frozen=True)
class ImportResult:
    inserted: int
    updated: int
    unchanged: int = 0


@dataclass(frozen=True)
class SearchPage:
    offers: list[Offer]
    total: int
    page: int
    page_size: int

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.page_size))


class UnknownSiteError(LookupError):
    """`offers import/export --site SLUG` with a slug no site has."""


async def site_id_of(uow_factory: UnitOfWorkFactory, slug: str) -> int:
    async with uow_factory() as uow:
        site = await uow.sites.by_slug(slug)
    if site is None or site.id is None:
        raise UnknownSiteError(slug)
    return site.id


async def import_offers(
    uow_factory: UnitOfWorkFactory,
    clock: Clock,
    *,
    name: str,
    data: bytes,
    site_id: int | None = None,
) -> ImportResult:
    """Raises OfferFileError (with line numbers) and imports nothing when any row is bad.
    With `site_id` the file's offers become that site's (its coordinator keeps them in the
    console); without, new offers join the shared catalog."""
    offers = parse_file(name, data)
    async with uow_factory() as uow:
        inserted, updated, unchanged = await uow.offers.upsert_many(
            offers, clock.now(), site_id=site_id
        )
        await uow.commit()
    return ImportResult(inserted, updated, unchanged)


async def export_offers(uow_factory: UnitOfWorkFactory, *, site_id: int | None = None) -> str:
    """The whole catalog, or one site's offers."""
    async with uow_factory() as uow:
        offers = await (uow.offers.all() if site_id is None else uow.offers.of_site(site_id))
    return to_csv(offers)


async def search_offers(
    uow_factory: UnitOfWorkFactory,
    clock: Clock,
    zone: ZoneInfo,
    *,
    text: str = "",
    life_area: str | None = None,
    municipality: str | None = None,
    language: str | None = None,
    open_to_duldung: bool = False,
    page: int = 0,
    page_size: int = PAGE_SIZE,
) -> SearchPage:
    query = OfferQuery(
        terms=search_terms(text),
        life_area=life_area,
        municipality=municipality,
        language=language,
        open_to_duldung=open_to_duldung,
        today=clock.now().astimezone(zone).date(),
    )
    page = max(0, page)
    async with uow_factory() as uow:
        offers, total = await uow.offers.search(query, page_size, page * page_size)
    return SearchPage(offers, total, page, page_size)


async def get_offer(uow_factory: UnitOfWorkFactory, offer_id: int) -> Offer | None:
    async with uow_factory() as uow:
        return await uow.offers.get(offer_id)


async def municipalities(uow_factory: UnitOfWorkFactory) -> list[str]:
    async with uow_factory() as uow:
        return await uow.offers.municipalities()


async def offers_to_review(
    uow_factory: UnitOfWorkFactory, clock: Clock, zone: ZoneInfo
) -> list[tuple[Staff, list[Offer]]]:
    """Offers past their end date or not checked for 12 months, per coordinator of the
    site whose name is the offer's municipality. Marked, so each is flagged once a month."""
    now = clock.now()
    today = now.astimezone(zone).date()
    async with uow_factory() as uow:
        offers = await uow.offers.needing_review(
            ended_before=today,
            checked_before=today - STALE_AFTER,
            flagged_before=now - FLAG_AGAIN_AFTER,
        )
        if not offers:
            return []
        every_site = await uow.sites.list()
        sites = {site.name.casefold(): site for site in every_site}
        by_id = {site.id: site for site in every_site}
        result: list[tuple[Staff, list[Offer]]] = []
        flagged: list[int] = []
        by_site: dict[int, list[Offer]] = {}
        for offer in offers:
            # A site's own offer goes to its coordinators; a shared one by its place.
            site = by_id.get(offer.site_id) or sites.get(offer.municipality.casefold())
            if site is not None and site.id is not None:
                by_site.setdefault(site.id, []).append(offer)
        for site_id, site_offers in by_site.items():
            coordinators = [
                s
                for s in await uow.staff.active_of_site(site_id)
                if s.role is StaffRole.COORDINATOR and s.telegram_user_id
            ]
            for coordinator in coordinators:
                result.append((coordinator, site_offers))
            if coordinators:
                flagged += [o.id for o in site_offers if o.id is not None]
        await uow.offers.mark_flagged(flagged, now)
        await uow.commit()
        return result
