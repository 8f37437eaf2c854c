"""What a coordinator does with their site's staff in the console: the list, invites,
deactivation. Every function checks role and site itself (the pages check them too)."""

from __future__ import annotations

from bot.domain import Site, Staff, StaffRole
from bot.ports import Clock, UnitOfWork, UnitOfWorkFactory
from bot.services.audit import Refused, audit
from bot.services.staff import IssuedInvite, deactivate, invite_staff


def require_coordinator(staff: Staff) -> None:
    if staff.role is not StaffRole.COORDINATOR or not staff.active:
        raise Refused("role")


async def site_of(uow_factory: UnitOfWorkFactory, *, staff: Staff) -> Site:
    async with uow_factory() as uow:
        site = await uow.sites.get(staff.site_id)
    if site is None:
        raise Refused("site", staff.site_id)
    return site


async def staff_of_site(uow_factory: UnitOfWorkFactory, *, staff: Staff) -> list[Staff]:
    """Everyone of the coordinator's own site, active or not."""
    require_coordinator(staff)
    async with uow_factory() as uow:
        return await uow.staff.of_site(staff.site_id)


async def _colleague(uow: UnitOfWork, staff: Staff, staff_id: int) -> Staff:
    """A staff member of the coordinator's own site other than themself; anyone else (of
    another site, unknown) is refused the same way, so ids reveal nothing."""
    other = await uow.staff.get(staff_id)
    if other is None or other.site_id != staff.site_id or other.id == staff.id:
        raise Refused("staff", staff_id)
    return other


async def colleague(uow_factory: UnitOfWorkFactory, *, staff: Staff, staff_id: int) -> Staff:
    require_coordinator(staff)
    async with uow_factory() as uow:
        return await _colleague(uow, staff, staff_id)


async def deactivate_colleague(
    uow_factory: UnitOfWorkFactory, clock: Clock, *, staff: Staff, staff_id: int
) -> int:
    """Revoke a colleague's access at once (as `staff deactivate`); how many of their
    clients went to the coordinator."""
    require_coordinator(staff)
    async with uow_factory() as uow:
        other = await _colleague(uow, staff, staff_id)
        moved = await deactivate(uow, other, clock.now()) if other.active else 0
        await audit(uow, clock, staff, "console.staff.deactivate")
        await uow.commit()
    return moved


async def invite_colleague(
    uow_factory: UnitOfWorkFactory, clock: Clock, *, staff: Staff, role: StaffRole
) -> IssuedInvite:
    """A one-time staff link for the coordinator's own site (7 days, as the CLI's)."""
    require_coordinator(staff)
    site = await site_of(uow_factory, staff=staff)
    invite = await invite_staff(uow_factory, clock, site_slug=site.slug, role=role)
    async with uow_factory() as uow:
        await audit(uow, clock, staff, "console.staff.invite")
        await uow.commit()
    return invite


class LastCoordinatorError(Exception):
    """The site's last active coordinator cannot become a case manager: no one would be
    left to run the site (and to take a deactivated colleague's clients)."""


async def _member(uow: UnitOfWork, staff: Staff, staff_id: int) -> Staff:
    """An active staff member of the coordinator's own site, themself included."""
    other = await uow.staff.get(staff_id)
    if other is None or other.site_id != staff.site_id or not other.active:
        raise Refused("staff", staff_id)
    return other


async def member(uow_factory: UnitOfWorkFactory, *, staff: Staff, staff_id: int) -> Staff:
    require_coordinator(staff)
    async with uow_factory() as uow:
        return await _member(uow, staff, staff_id)


async def change_role(
    uow_factory: UnitOfWorkFactory, clock: Clock, *, staff: Staff, staff_id: int, role: StaffRole
) -> Staff:
    """Case manager <-> coordinator, for anyone active of the site (themself too). Raises
    LastCoordinatorError when it would leave the site without an active coordinator."""
    require_coordinator(staff)
    async with uow_factory() as uow:
        other = await _member(uow, staff, staff_id)
        if other.role is role:
            return other
        if other.role is StaffRole.COORDINATOR:
            coordinators = [
                s
                for s in await uow.staff.active_of_site(staff.site_id)
                if s.role is StaffRole.COORDINATOR and s.id != other.id
            ]
            if not coordinators:
                raise LastCoordinatorError()
        other.role = role
        changed = await uow.staff.update(other)
        await audit(uow, clock, staff, "console.staff.role")
        await uow.commit()
    return changed
