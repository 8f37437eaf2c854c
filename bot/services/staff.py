"""Staff accounts: invites, registration, languages, deactivation, weekly hours."""

from __future__ import annotations

import secrets
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from bot.domain import DayOff, FreedTimes, Mode, Site, Staff, StaffInvite, StaffRole, WeeklyHours
from bot.i18n import normalize_locale
from bot.ports import Clock, DuplicateError, SystemClock, UnitOfWork, UnitOfWorkFactory
from bot.services.waitlist_events import times_freed

STAFF_INVITE_TTL = timedelta(days=7)
STAFF_PREFIX = "staff-"
WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


class UnknownSiteError(LookupError):
    pass


class UnknownStaffError(LookupError):
    pass


class InviteError(Exception):
    """An invite that is unknown, used or expired (the reason is in `reason`)."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class HoursError(ValueError):
    pass


@dataclass(frozen=True)
class IssuedInvite:
    code: str
    payload: str
    site: Site
    role: StaffRole
    expires_at: object


async def invite_staff(
    uow_factory: UnitOfWorkFactory, clock: Clock, *, site_slug: str, role: StaffRole
) -> IssuedInvite:
    async with uow_factory() as uow:
        site = await uow.sites.by_slug(site_slug)
        if site is None or site.id is None:
            raise UnknownSiteError(site_slug)
        code = secrets.token_urlsafe(12)
        expires = clock.now() + STAFF_INVITE_TTL
        await uow.invites.add_staff_invite(StaffInvite(code, site.id, role, expires), clock.now())
        await uow.commit()
        return IssuedInvite(code, STAFF_PREFIX + code, site, role, expires)


async def redeem_staff_invite(
    uow_factory: UnitOfWorkFactory,
    clock: Clock,
    *,
    code: str,
    telegram_user_id: int,
    display_name: str,
) -> Staff:
    """Register this Telegram account as staff of the invite's site. Works once, for 7 days."""
    async with uow_factory() as uow:
        invite = await uow.invites.staff_invite(code)
        if invite is None:
            raise InviteError("unknown")
        existing = await uow.staff.by_telegram_id(telegram_user_id)
        if invite.used_at is not None:
            if existing is not None and existing.active:
                return existing  # a second tap on the same link
            raise InviteError("used")
        if invite.expires_at <= clock.now():
            raise InviteError("expired")
        if existing is not None:
            existing.site_id = invite.site_id
            existing.role = invite.role
            existing.active = True
            staff = await uow.staff.update(existing)
        else:
            try:
                staff = await uow.staff.add(
                    Staff(
                        id=None,
                        site_id=invite.site_id,
                        role=invite.role,
                        telegram_user_id=telegram_user_id,
                        locale="de",  # staff UI is German until they choose
                        display_name=display_name[:100],
                    )
                )
            except DuplicateError as exc:
                raise InviteError("used") from exc
        assert staff.id is not None
        if not await uow.invites.use_staff_invite(code, staff.id, clock.now()):
            raise InviteError("used")
        await uow.commit()
        return staff


async def active_staff(uow_factory: UnitOfWorkFactory, telegram_user_id: int) -> Staff | None:
    """The staff record behind this Telegram account, only while active."""
    async with uow_factory() as uow:
        staff = await uow.staff.by_telegram_id(telegram_user_id)
        return staff if staff is not None and staff.active else None


async def all_active_staff(uow_factory: UnitOfWorkFactory) -> list[Staff]:
    async with uow_factory() as uow:
        return await uow.staff.all_active()


async def set_staff_locale(uow_factory: UnitOfWorkFactory, *, staff_id: int, locale: str) -> Staff:
    chosen = normalize_locale(locale)
    if chosen is None:
        raise ValueError(locale)

    def choose(staff: Staff) -> None:
        staff.locale = chosen

    return await _change_staff(uow_factory, staff_id, choose)


async def toggle_spoken_language(
    uow_factory: UnitOfWorkFactory, *, staff_id: int, language: str
) -> Staff:
    def toggle(staff: Staff) -> None:
        staff.languages = ",".join(sorted(staff.spoken ^ {language}))

    return await _change_staff(uow_factory, staff_id, toggle)


async def _change_staff(
    uow_factory: UnitOfWorkFactory, staff_id: int, change: Callable[[Staff], None]
) -> Staff:
    """Read a staff record, let `change` edit it, and store it. Raises UnknownStaffError."""
    async with uow_factory() as uow:
        staff = await uow.staff.get(staff_id)
        if staff is None:
            raise UnknownStaffError(staff_id)
        change(staff)
        staff = await uow.staff.update(staff)
        await uow.commit()
        return staff


async def deactivate_staff(
    uow_factory: UnitOfWorkFactory, *, telegram_user_id: int, clock: Clock | None = None
) -> int:
    """Revoke access at once; the person's clients go to the site's coordinator, their
    answers waiting to be sent later are cancelled.

    Returns how many clients moved. Raises UnknownStaffError.
    """
    async with uow_factory() as uow:
        staff = await uow.staff.by_telegram_id(telegram_user_id)
        if staff is None or staff.id is None:
            raise UnknownStaffError(telegram_user_id)
        moved = await deactivate(uow, staff, (clock or SystemClock()).now())
        await uow.commit()
        return moved


async def deactivate(uow: UnitOfWork, staff: Staff, at: datetime) -> int:
    """In the caller's unit of work: `staff` loses access, their console sessions end,
    their answers waiting to be sent later are cancelled (they would go out in the name
    of someone gone, and nobody could cancel them) and their clients go to the site's
    coordinator. How many clients moved."""
    assert staff.id is not None
    staff.active = False
    await uow.staff.update(staff)
    await uow.console.end_sessions_of(staff.id)
    await uow.later.cancel_of_staff(staff.id, at)
    coordinators = [
        s
        for s in await uow.staff.active_of_site(staff.site_id)
        if s.role is StaffRole.COORDINATOR and s.id != staff.id
    ]
    target = coordinators[0].id if coordinators else None
    return await uow.clients.reassign(staff.id, target)


async def list_staff(uow_factory: UnitOfWorkFactory, *, site_slug: str) -> list[Staff]:
    async with uow_factory() as uow:
        site = await uow.sites.by_slug(site_slug)
        if site is None or site.id is None:
            raise UnknownSiteError(site_slug)
        return await uow.staff.of_site(site.id)


async def _staff_id_of(uow: UnitOfWork, staff_id: int | None, telegram_user_id: int | None) -> int:
    """The id of a staff record that exists, found by its id or, without one, by its
    Telegram account (callers know one or the other). Raises UnknownStaffError."""
    staff = (
        await uow.staff.get(staff_id)
        if staff_id is not None
        else await uow.staff.by_telegram_id(telegram_user_id or 0)
    )
    if staff is None or staff.id is None:
        raise UnknownStaffError(telegram_user_id or staff_id)
    return staff.id


def parse_weekday(value: str) -> int:
    key = value.strip().lower()[:3]
    if key not in WEEKDAYS:
        raise HoursError("day")
    return WEEKDAYS.index(key)


async def add_hours(
    uow_factory: UnitOfWorkFactory,
    *,
    telegram_user_id: int | None = None,
    staff_id: int | None = None,
    weekday: int,
    start: time,
    end: time,
    slot_minutes: int,
    mode: Mode,
    address: str | None = None,
) -> WeeklyHours:
    if not 0 <= weekday <= 6:
        raise HoursError("day")
    if end <= start:
        raise HoursError("to")
    if not 10 <= slot_minutes <= 240:
        raise HoursError("slot")
    if mode is Mode.IN_PERSON and not (address or "").strip():
        raise HoursError("address")
    async with uow_factory() as uow:
        known_id = await _staff_id_of(uow, staff_id, telegram_user_id)
        hours = await uow.hours.add(
            WeeklyHours(
                None,
                known_id,
                weekday,
                start,
                end,
                slot_minutes,
                mode,
                address.strip() if address and mode is Mode.IN_PERSON else None,
            )
        )
        await times_freed(uow, FreedTimes(known_id))  # new times, for those waiting
        await uow.commit()
        return hours


async def clear_hours(
    uow_factory: UnitOfWorkFactory,
    *,
    telegram_user_id: int | None = None,
    staff_id: int | None = None,
) -> int:
    async with uow_factory() as uow:
        known_id = await _staff_id_of(uow, staff_id, telegram_user_id)
        removed = await uow.hours.clear(known_id)
        await uow.commit()
        return removed


async def hours_of(uow_factory: UnitOfWorkFactory, *, staff_id: int) -> list[WeeklyHours]:
    async with uow_factory() as uow:
        return await uow.hours.for_staff([staff_id])


async def remove_hours(uow_factory: UnitOfWorkFactory, *, staff_id: int, hours_id: int) -> bool:
    """Remove one weekly window of this staff member (False if it is not theirs)."""
    async with uow_factory() as uow:
        windows = {w.id: w for w in await uow.hours.for_staff([staff_id])}
        if hours_id not in windows:
            return False
        await uow.hours.remove(hours_id)
        await uow.commit()
        return True


async def days_off_of(
    uow_factory: UnitOfWorkFactory, *, staff_id: int, start: date, end: date
) -> set[date]:
    async with uow_factory() as uow:
        return {d.day for d in await uow.days_off.for_staff([staff_id], start, end)}


async def toggle_day_off(uow_factory: UnitOfWorkFactory, *, staff_id: int, day: date) -> bool:
    """Mark a day off, or take the mark away again. Returns True if the day is now off."""
    async with uow_factory() as uow:
        off = {d.day for d in await uow.days_off.for_staff([staff_id], day, day)}
        if day in off:
            await uow.days_off.remove(DayOff(staff_id, day))
            await times_freed(uow, FreedTimes(staff_id, day=day))  # the day is back
        else:
            await uow.days_off.add(DayOff(staff_id, day))
        await uow.commit()
        return day not in off
