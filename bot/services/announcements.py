"""Announcements (issue 23): written once by a coordinator (the site) or a case manager
(their own clients), each client reads it in their language. Writing, reading, people's
translations, cancelling, and the client's "no announcements"; sending is in
bot/services/announcement_sending.py."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime

from bot.announcements import (
    SOURCE_LOCALES,
    TEXT_LIMIT,
    Announcement,
    AnnouncementStatus,
    Audience,
    DeliveryFigures,
    out_of_quiet,
    scope_of,
)
from bot.domain import Staff, StaffRole
from bot.ports import Clock, UnitOfWorkFactory
from bot.reminder_schedule import QuietHours
from bot.services.audit import audit

log = logging.getLogger("lotse.announcements")


class AnnouncementError(ValueError):
    """The text is empty or too long, or the source language is not German or English."""


# ----- writing, reading, cancelling -----------------------------------------------------


async def announce(
    uow_factory: UnitOfWorkFactory,
    clock: Clock,
    quiet: QuietHours | None,
    *,
    author: Staff,
    text: str,
    source_locale: str,
    when: datetime,
    languages: tuple[str, ...] = (),
    appointment_days: int | None = None,
    human: dict[str, str] | None = None,
) -> Announcement:
    """Schedule an announcement: for `when` (now at the earliest), never inside quiet hours
    (it then goes at their end). The author's role decides the scope."""
    text = text.strip()
    if not text or len(text) > TEXT_LIMIT or source_locale not in SOURCE_LOCALES:
        raise AnnouncementError(source_locale)
    assert author.id is not None
    now = clock.now()
    announcement = Announcement(
        id=None,
        site_id=author.site_id,
        author_id=author.id,
        scope=scope_of(author),
        source_locale=source_locale,
        text=text,
        scheduled_at=out_of_quiet(max(when, now), quiet),
        languages=tuple(sorted(set(languages))),
        appointment_days=appointment_days,
        human={k: v.strip() for k, v in (human or {}).items() if v.strip()},
    )
    async with uow_factory() as uow:
        stored = await uow.announcements.add(announcement, now)
        await audit(uow, clock, author, "announcement.create")
        await uow.commit()
    log.info("announcement scheduled", extra={"announcement": stored.id})
    return stored


async def audience_by_language(
    uow_factory: UnitOfWorkFactory, clock: Clock, audience: Audience
) -> dict[str, int]:
    """How many clients would get it now, per language."""
    async with uow_factory() as uow:
        clients = await uow.announcements.recipients(audience, clock.now())
    counts: dict[str, int] = {}
    for client in clients:
        counts[client.locale] = counts.get(client.locale, 0) + 1
    return counts


def _may_see(staff: Staff, announcement: Announcement) -> bool:
    if announcement.site_id != staff.site_id:
        return False
    return staff.role is StaffRole.COORDINATOR or announcement.author_id == staff.id


def _may_translate(staff: Staff, announcement: Announcement) -> bool:
    """Anyone of the site may add a language before it goes out (who speaks it)."""
    return announcement.site_id == staff.site_id and announcement.status in (
        AnnouncementStatus.DRAFT,
        AnnouncementStatus.SCHEDULED,
    )


async def announcements_for(
    uow_factory: UnitOfWorkFactory, *, staff: Staff, limit: int = 10, to_translate: bool = False
) -> list[tuple[Announcement, DeliveryFigures]]:
    """The latest announcements a staff member may see (a coordinator: the site's; a case
    manager: their own; with `to_translate` also the site's planned ones), with their
    delivery figures."""
    async with uow_factory() as uow:
        found = await uow.announcements.of_site(staff.site_id, author_id=None, limit=limit * 5)
        found = [
            a for a in found if _may_see(staff, a) or (to_translate and _may_translate(staff, a))
        ][:limit]
        figures = await uow.announcements.figures([a.id for a in found if a.id is not None])
    return [(a, figures.get(a.id or 0, DeliveryFigures())) for a in found]


@dataclass(frozen=True)
class AnnouncementView:
    announcement: Announcement
    figures: DeliveryFigures
    #: Recipients now, per language (before it starts: who would get it).
    audience: dict[str, int]
    may_cancel: bool
    may_translate: bool


async def announcement_for(
    uow_factory: UnitOfWorkFactory, clock: Clock, *, staff: Staff, announcement_id: int
) -> AnnouncementView | None:
    """One announcement for its page (the console): None when not the staff member's to see."""
    async with uow_factory() as uow:
        found = await uow.announcements.get(announcement_id)
        if found is None or not (_may_see(staff, found) or _may_translate(staff, found)):
            return None
        figures = (await uow.announcements.figures([announcement_id]))[announcement_id]
        clients = await uow.announcements.recipients(found.audience(), clock.now())
        await audit(uow, clock, staff, "announcement.view")
        await uow.commit()
    audience: dict[str, int] = {}
    for client in clients:
        audience[client.locale] = audience.get(client.locale, 0) + 1
    open_ = found.status in (AnnouncementStatus.DRAFT, AnnouncementStatus.SCHEDULED)
    return AnnouncementView(
        found, figures, audience, open_ and _may_see(staff, found), _may_translate(staff, found)
    )


async def cancel_announcement(
    uow_factory: UnitOfWorkFactory, clock: Clock, *, staff: Staff, announcement_id: int
) -> bool:
    """Before it starts sending: its author or the site's coordinator. False otherwise."""
    async with uow_factory() as uow:
        found = await uow.announcements.get(announcement_id)
        if found is None or not _may_see(staff, found):
            return False
        done = await uow.announcements.cancel(announcement_id)
        if done:
            await audit(uow, clock, staff, "announcement.cancel")
        await uow.commit()
    if done:
        log.info("announcement cancelled", extra={"announcement": announcement_id})
    return done


async def add_translation(
    uow_factory: UnitOfWorkFactory,
    clock: Clock,
    *,
    staff: Staff,
    announcement_id: int,
    locale: str,
    text: str,
) -> bool:
    """A person's translation for one language, by any staff member of the site (one who
    speaks it), before the announcement starts sending."""
    text = text.strip()
    if not text or len(text) > TEXT_LIMIT:
        return False
    async with uow_factory() as uow:
        found = await uow.announcements.get(announcement_id)
        if found is None or not _may_translate(staff, found):
            return False
        await uow.announcements.set_text(
            announcement_id, locale, text, author_id=staff.id, machine=False
        )
        await audit(uow, clock, staff, "announcement.translation")
        await uow.commit()
    return True


async def switch_announcements(
    uow_factory: UnitOfWorkFactory, clock: Clock, *, client_id: int, off: bool
) -> None:
    """The client's "no announcements" (off), or announcements again (from /privacy)."""
    async with uow_factory() as uow:
        await uow.announcements.opt_out(client_id, clock.now() if off else None)
        await uow.commit()
