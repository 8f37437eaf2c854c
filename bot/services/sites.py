"""Sites: a municipality's THM office (city, district or district town)."""

from __future__ import annotations

import re

from bot.domain import Site, SiteKind
from bot.ports import Clock, DuplicateError, UnitOfWorkFactory

SLUG_RE = re.compile(r"^[a-z0-9-]+$")


class InvalidSlugError(ValueError):
    pass


class SiteExistsError(ValueError):
    pass


async def add_site(
    uow_factory: UnitOfWorkFactory, clock: Clock, *, slug: str, name: str, kind: SiteKind
) -> Site:
    if not SLUG_RE.match(slug) or len(slug) > 64:
        raise InvalidSlugError(slug)
    async with uow_factory() as uow:
        if await uow.sites.by_slug(slug) is not None:
            raise SiteExistsError(slug)
        try:
            site = await uow.sites.add(
                Site(id=None, slug=slug, name=name.strip(), kind=kind, created_at=clock.now())
            )
            await uow.commit()
        except DuplicateError as exc:
            raise SiteExistsError(slug) from exc
        return site


async def list_sites(uow_factory: UnitOfWorkFactory) -> list[Site]:
    async with uow_factory() as uow:
        return await uow.sites.list()
