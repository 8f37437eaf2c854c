"""Ready-made replies (issue 23, item 2): the shipped ones (bot/ready_replies.py, in the
catalogs) and a site's own, which coordinators write in the console with a German text
and, per client language, a translation by people.

A site's own reply is offered only to clients whose language is filled (German always
is): so no client ever gets one in a language nobody wrote, and none is machine-translated.
"""

from __future__ import annotations

import unicodedata

from bot.domain import Staff
from bot.i18n import SUPPORTED_LOCALES
from bot.ports import Clock, UnitOfWorkFactory
from bot.ready_replies import (
    MAX_SITE_TEXT,
    READY_REPLIES,
    SOURCE_LOCALE,
    ReadyReply,
    ready_reply,
    site_reply_id,
)
from bot.services.audit import audit
from bot.services.console_staff import require_coordinator


class ReplyTextError(ValueError):
    """The German text is missing, or a text is too long or has hidden characters."""


def _clean(text: str) -> str:
    lines = [" ".join(line.split()) for line in text.strip().splitlines()]
    cleaned = "\n".join(line for line in lines if line)
    if len(cleaned) > MAX_SITE_TEXT or any(
        unicodedata.category(c) in {"Cc", "Cs", "Co"} and c != "\n" for c in cleaned
    ):
        raise ReplyTextError(text)
    return cleaned


def clean_texts(texts: dict[str, str]) -> dict[str, str]:
    """The texts as stored: shipped locales only, spaces tidied, empty ones left out;
    ReplyTextError without a German text or with a text that is no text."""
    cleaned = {loc: _clean(texts.get(loc, "")) for loc in SUPPORTED_LOCALES}
    cleaned = {loc: text for loc, text in cleaned.items() if text}
    if SOURCE_LOCALE not in cleaned:
        raise ReplyTextError("")
    return cleaned


async def site_replies(uow_factory: UnitOfWorkFactory, *, site_id: int) -> list[ReadyReply]:
    async with uow_factory() as uow:
        return await uow.ready_replies.of_site(site_id)


async def offered(uow_factory: UnitOfWorkFactory, *, site_id: int, locale: str) -> list[ReadyReply]:
    """The replies a case manager may send a client reading `locale`: every shipped one,
    then the site's own ones written in that language."""
    own = await site_replies(uow_factory, site_id=site_id)
    return [*READY_REPLIES, *(reply for reply in own if reply.speaks(locale))]


async def find(
    uow_factory: UnitOfWorkFactory, *, site_id: int | None, key: str
) -> ReadyReply | None:
    """A shipped reply by its key, or one of the site's own ("s12")."""
    shipped = ready_reply(key)
    number = site_reply_id(key)
    if shipped is not None or number is None or site_id is None:
        return shipped
    async with uow_factory() as uow:
        return await uow.ready_replies.get(site_id, number)


async def add_site_reply(
    uow_factory: UnitOfWorkFactory, clock: Clock, *, staff: Staff, texts: dict[str, str]
) -> int:
    """A coordinator adds one for their site (audited "ready_reply.add")."""
    require_coordinator(staff)
    cleaned = clean_texts(texts)
    async with uow_factory() as uow:
        reply_id = await uow.ready_replies.add(staff.site_id, cleaned, staff.id or 0, clock.now())
        await audit(uow, clock, staff, "ready_reply.add")
        await uow.commit()
    return reply_id


async def remove_site_reply(
    uow_factory: UnitOfWorkFactory, clock: Clock, *, staff: Staff, reply_id: int
) -> bool:
    require_coordinator(staff)
    async with uow_factory() as uow:
        done = await uow.ready_replies.remove(staff.site_id, reply_id)
        if done:
            await audit(uow, clock, staff, "ready_reply.remove")
        await uow.commit()
    return done
