"""Lookups that several commands make before their work, with the same message on a miss."""

from __future__ import annotations

import sys

from bot.domain import Site
from bot.ports import UnitOfWorkFactory


async def site_or_explain(uow_factory: UnitOfWorkFactory, slug: str, command: str) -> Site | None:
    """The site `--site` names (with an id), or None once the user has been told on stderr
    how to list the sites."""
    async with uow_factory() as uow:
        site = await uow.sites.by_slug(slug)
    if site is None or site.id is None:
        print(f"{command}: no site {slug!r} (see: python main.py site list)", file=sys.stderr)
        return None
    return site
