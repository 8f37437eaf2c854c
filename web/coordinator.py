"""A coordinator's pages: their site and its staff (list, invite, deactivate)."""

from __future__ import annotations

from aiohttp import web

from bot.domain import StaffRole
from bot.services import console_staff
from bot.services.audit import Refused
from web.context import console, page, redirect, signed_in, text_of
from web.flyer import qr_data_url


def _link(username: str | None, payload: str) -> str | None:
    return f"https://t.me/{username}?start={payload}" if username else None


def _staff_id(request: web.Request) -> int:
    value = request.match_info["staff_id"]
    if not value.isdigit() or len(value) > 12:
        raise Refused("staff")
    return int(value)


async def site(request: web.Request) -> web.Response:
    deps, staff = console(request), signed_in(request)
    console_staff.require_coordinator(staff)
    the_site = await console_staff.site_of(deps.uow_factory, staff=staff)
    return page(
        request,
        "site.html",
        site=the_site,
        client_link=_link(deps.bot_username, f"site-{the_site.slug}"),
    )


async def staff_list(request: web.Request) -> web.Response:
    deps, staff = console(request), signed_in(request)
    people = await console_staff.staff_of_site(deps.uow_factory, staff=staff)
    return page(request, "staff.html", people=people, roles=list(StaffRole))


async def invite(request: web.Request) -> web.Response:
    deps, staff = console(request), signed_in(request)
    form = await request.post()
    try:
        role = StaffRole(str(form.get("role", "")))
    except ValueError:
        raise Refused("role") from None
    issued = await console_staff.invite_colleague(
        deps.uow_factory, deps.clock, staff=staff, role=role
    )
    link = _link(deps.bot_username, issued.payload)
    return page(
        request,
        "invite.html",
        role=issued.role,
        link=link,
        qr=qr_data_url(link) if link else None,
        expires_at=issued.expires_at,
    )


async def deactivate_form(request: web.Request) -> web.Response:
    deps, staff = console(request), signed_in(request)
    other = await console_staff.colleague(
        deps.uow_factory, staff=staff, staff_id=_staff_id(request)
    )
    return page(request, "deactivate.html", person=other)


async def deactivate(request: web.Request) -> web.Response:
    deps, staff = console(request), signed_in(request)
    await console_staff.deactivate_colleague(
        deps.uow_factory, deps.clock, staff=staff, staff_id=_staff_id(request)
    )
    return redirect("/console/staff")


def _other_role(role: StaffRole) -> StaffRole:
    return StaffRole.THM if role is StaffRole.COORDINATOR else StaffRole.COORDINATOR


async def role_form(request: web.Request) -> web.Response:
    """Confirm step: the person becomes a coordinator, or a case manager."""
    deps, staff = console(request), signed_in(request)
    person = await console_staff.member(deps.uow_factory, staff=staff, staff_id=_staff_id(request))
    return page(request, "role.html", person=person, new_role=_other_role(person.role), error=None)


async def change_role(request: web.Request) -> web.Response:
    deps, staff = console(request), signed_in(request)
    staff_id = _staff_id(request)
    form = await request.post()
    try:
        role = StaffRole(str(form.get("role", "")))
    except ValueError:
        raise Refused("role") from None
    try:
        await console_staff.change_role(
            deps.uow_factory, deps.clock, staff=staff, staff_id=staff_id, role=role
        )
    except console_staff.LastCoordinatorError:
        person = await console_staff.member(deps.uow_factory, staff=staff, staff_id=staff_id)
        t = text_of(request)
        error = t.p_(
            "console",
            "The site needs at least one active coordinator. Make someone else a "
            "coordinator first.",
        )
        return page(request, "role.html", status=409, person=person, new_role=role, error=error)
    if staff_id == staff.id and role is not StaffRole.COORDINATOR:
        return redirect("/console/")  # the staff page is no longer theirs
    return redirect("/console/staff")
