"""Handing a client over to a colleague, and naming a deputy for an absence.

Notes stay with the case (they belong to the client, not to the case manager).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from bot.domain import Client, Staff, StaffRole
from bot.ports import Clock, UnitOfWork, UnitOfWorkFactory
from bot.services.notes import NoteAccessError, audit, visible_client

#: How long a deputy may be named for, in days (buttons offer 1, 3, 7 and 14).
PERIODS = (1, 3, 7, 14)


class TeamError(Exception):
    """Not a colleague of the same site, not allowed, or nothing to do."""


class NotAllowedError(TeamError):
    """Only the client's case manager or a coordinator hands a client over."""


@dataclass(frozen=True)
class Handover:
    client: Client
    old: Staff | None
    new: Staff


@dataclass(frozen=True)
class Absence:
    staff: Staff
    deputy: Staff
    starts_on: date
    ends_on: date
    clients: list[Client]


async def colleagues(uow_factory: UnitOfWorkFactory, *, staff: Staff) -> list[Staff]:
    async with uow_factory() as uow:
        return [s for s in await uow.staff.active_of_site(staff.site_id) if s.id != staff.id]


async def _colleague(uow: UnitOfWork, staff: Staff, colleague_id: int) -> Staff:
    other = await uow.staff.get(colleague_id)
    if other is None or not other.active or other.site_id != staff.site_id or other.id == staff.id:
        raise TeamError("colleague")
    return other


async def client_for_handover(
    uow_factory: UnitOfWorkFactory, *, staff: Staff, client_id: int
) -> Client:
    async with uow_factory() as uow:
        client = await visible_client(uow, staff, client_id)
    allowed = client.case_manager_id in (None, staff.id) or staff.role is StaffRole.COORDINATOR
    if not allowed:
        raise NotAllowedError()
    return client


async def hand_over(
    uow_factory: UnitOfWorkFactory, clock: Clock, *, staff: Staff, client_id: int, to_staff_id: int
) -> Handover:
    """The client's own case manager or a coordinator gives the client to a colleague;
    a client nobody has yet may be given by anyone of the site."""
    async with uow_factory() as uow:
        client = await visible_client(uow, staff, client_id)
        allowed = client.case_manager_id in (None, staff.id) or staff.role is StaffRole.COORDINATOR
        if not allowed:
            raise NotAllowedError()
        new = await uow.staff.get(to_staff_id)
        if new is None or not new.active or new.site_id != staff.site_id:
            raise TeamError("colleague")
        if client.case_manager_id == new.id:
            raise TeamError("same")
        old = await uow.staff.get(client.case_manager_id) if client.case_manager_id else None
        client.case_manager_id = new.id
        client = await uow.clients.update(client)
        await audit(uow, clock, staff, "client.handover", client_id=client.id)
        await uow.commit()
    return Handover(client, old, new)


async def name_deputy(
    uow_factory: UnitOfWorkFactory,
    clock: Clock,
    *,
    staff: Staff,
    deputy_id: int,
    days: int,
    today: date,
) -> Absence:
    if days not in PERIODS:
        raise TeamError("period")
    assert staff.id is not None
    async with uow_factory() as uow:
        deputy = await _colleague(uow, staff, deputy_id)
        ends_on = today + timedelta(days=days - 1)
        await uow.deputies.add(staff.id, deputy_id, today, ends_on, clock.now())
        clients = [
            c for c in await uow.clients.of_site(staff.site_id) if c.case_manager_id == staff.id
        ]
        await audit(uow, clock, staff, "deputy.named")
        await uow.commit()
    return Absence(staff, deputy, today, ends_on, clients)


async def absences(
    uow_factory: UnitOfWorkFactory, *, staff: Staff, today: date
) -> list[tuple[int, Staff, date, date]]:
    """Current and coming deputy periods: (id, deputy, from, to)."""
    assert staff.id is not None
    async with uow_factory() as uow:
        out = []
        for ident, deputy_id, start, end in await uow.deputies.of_staff(staff.id, today):
            deputy = await uow.staff.get(deputy_id)
            if deputy is not None:
                out.append((ident, deputy, start, end))
    return out


async def end_absence(
    uow_factory: UnitOfWorkFactory, clock: Clock, *, staff: Staff, row_id: int
) -> bool:
    assert staff.id is not None
    async with uow_factory() as uow:
        removed = await uow.deputies.remove(row_id, staff.id)
        if removed:
            await audit(uow, clock, staff, "deputy.ended")
        await uow.commit()
    return removed


__all__ = [
    "PERIODS",
    "Absence",
    "Handover",
    "NotAllowedError",
    "NoteAccessError",
    "TeamError",
    "absences",
    "client_for_handover",
    "colleagues",
    "end_absence",
    "hand_over",
    "name_deputy",
]
