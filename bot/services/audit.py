"""The audit log: who did what to which client record, and when (ids only, never content).

Reads and writes are recorded in the transaction that does them. Refusals are recorded
too: a staff member's button or request that reached for a client, note or appointment
not of their site (a forged or stale button) is answered "not available" and written
here in a transaction of its own, as the refused one was rolled back.
"""

from __future__ import annotations

from bot.domain import AuditEntry, Staff
from bot.ports import Clock, UnitOfWork, UnitOfWorkFactory


class Refused(Exception):
    """Base of the services' refusals: `kind` ("client", "note", "appointment") and the
    id that was asked for, as the audit log records it."""

    def __init__(self, kind: str, target_id: int | None = None) -> None:
        super().__init__(kind)
        self.kind = kind
        self.target_id = target_id


async def audit(
    uow: UnitOfWork,
    clock: Clock,
    staff: Staff,
    action: str,
    *,
    client_id: int | None = None,
    note_id: int | None = None,
) -> None:
    await uow.audit.record(
        AuditEntry(
            at=clock.now(),
            staff_id=staff.id,
            site_id=staff.site_id,
            action=action,
            client_id=client_id,
            note_id=note_id,
        )
    )


async def audit_refusal(
    uow_factory: UnitOfWorkFactory, clock: Clock, *, staff: Staff, refused: Refused | None
) -> None:
    """Record a refused attempt: "refused.client", "refused.note", "refused.appointment"
    with the client (and note) it reached for, or "refused.button" for a staff button no
    handler takes. An id that points at nothing is kept only where it has no link (note)."""
    client_id: int | None = None
    note_id: int | None = None
    async with uow_factory() as uow:
        if refused is not None and refused.target_id is not None:
            if refused.kind == "client":
                client = await uow.clients.get(refused.target_id)
                client_id = client.id if client else None
            elif refused.kind == "note":
                note_id = refused.target_id
                note = await uow.notes.get(refused.target_id)
                client_id = note.client_id if note else None
            elif refused.kind == "appointment":
                appointment = await uow.appointments.get(refused.target_id)
                client_id = appointment.client_id if appointment else None
        action = f"refused.{refused.kind}" if refused is not None else "refused.button"
        await audit(uow, clock, staff, action, client_id=client_id, note_id=note_id)
        await uow.commit()
