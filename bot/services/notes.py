"""Case notes and the caseload: who may read and write what, and the audit of it.

Notes of a client are visible to the staff of that client's site and to no one
else; only the author may edit or delete a note, within EDIT_WINDOW. Every read
and write is written to the audit log in the same transaction (who, what, when,
which client), never the text itself.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from bot.domain import AuditEntry, Client, LifeArea, Note, NotePhase, Staff
from bot.formatting import telegram_length
from bot.ports import Clock, Notifier, UnitOfWork, UnitOfWorkFactory
from bot.services.audit import Refused, audit

__all__ = ["NoteAccessError", "audit"]  # audit: kept importable from here

EDIT_WINDOW = timedelta(hours=24)
MAX_NOTE_LENGTH = 2000
NOTES_PAGE = 3
PICK_LIMIT = 8


class NoteAccessError(Refused):
    """The client or note is not of the staff member's site (or does not exist)."""


class NoteTooLongError(ValueError):
    def __init__(self, length: int) -> None:
        super().__init__(f"{length} characters")
        self.length = length


class EmptyNoteError(ValueError):
    pass


class NotYourNoteError(Exception):
    """Only the author may change a note."""


class EditWindowClosedError(Exception):
    """A note may be changed only within EDIT_WINDOW of writing it."""


@dataclass(frozen=True)
class ClientSummary:
    client: Client
    next_at: datetime | None
    last_note_at: datetime | None
    mine: bool


async def visible_client(
    uow: UnitOfWork, staff: Staff, client_id: int, *, asked: tuple[str, int] | None = None
) -> Client:
    """The client, if of the staff member's site; else NoteAccessError for what was asked
    for (`asked`: kind and id, if not the client itself)."""
    client = await uow.clients.get(client_id)
    if client is None or client.site_id != staff.site_id or not client.has_consented:
        raise NoteAccessError(*(asked or ("client", client_id)))
    return client


async def _covered(uow: UnitOfWork, clock: Clock, staff: Staff) -> set[int]:
    """Staff ids whose clients this person serves today: themselves and anyone they deputise."""
    assert staff.id is not None
    return {staff.id, *await uow.deputies.covered_by(staff.id, clock.now().date())}


async def list_clients(
    uow_factory: UnitOfWorkFactory,
    clock: Clock,
    *,
    staff: Staff,
    everyone: bool = False,
    search: str = "",
) -> list[ClientSummary]:
    """Own clients (and those of colleagues one deputises for), or the whole site's."""
    needle = search.strip().casefold()
    async with uow_factory() as uow:
        covered = await _covered(uow, clock, staff)
        candidates = (
            await uow.clients.of_site(staff.site_id)
            if everyone
            else await uow.clients.of_case_managers(staff.site_id, covered)
        )
        clients = [
            c
            for c in candidates
            if (
                not needle
                or needle in (c.nickname or "").casefold()
                or (needle.isdigit() and c.id == int(needle))  # "Client no. 12"
            )
        ]
        ids = [c.id for c in clients if c.id is not None]
        upcoming = await uow.appointments.next_for_clients(ids, clock.now())
        written = await uow.notes.last_written(ids)
        await audit(uow, clock, staff, "clients.list")
        await uow.commit()
    far = datetime.max.replace(tzinfo=clock.now().tzinfo)
    summaries = [
        ClientSummary(
            c, upcoming.get(c.id or 0), written.get(c.id or 0), c.case_manager_id in covered
        )
        for c in clients
    ]
    return sorted(
        summaries,
        key=lambda s: (s.next_at or far, (s.client.nickname or "").casefold(), s.client.id or 0),
    )


async def note_candidates(
    uow_factory: UnitOfWorkFactory, clock: Clock, *, staff: Staff
) -> list[Client]:
    """Whom a note is probably about: clients seen today or written about lately, first."""
    assert staff.id is not None
    now = clock.now()
    async with uow_factory() as uow:
        clients = {c.id: c for c in await uow.clients.of_site(staff.site_id)}
        today = await uow.appointments.of_staff_between(staff.id, now - timedelta(hours=12), now)
        recent = await uow.notes.recent_clients(staff.id, PICK_LIMIT)
        covered = await _covered(uow, clock, staff)
    order: list[int] = []
    for ident in [a.client_id for a in reversed(today)] + recent:
        if ident in clients and ident not in order:
            order.append(ident)
    own = sorted(
        (c for c in clients.values() if c.case_manager_id in covered and c.id not in order),
        key=lambda c: ((c.nickname or "").casefold(), c.id or 0),
    )
    order += [c.id for c in own if c.id is not None]
    # Then those nobody has taken on yet (they came by the site's link).
    order += [
        i
        for i, c in clients.items()
        if i is not None and c.case_manager_id is None and i not in order
    ]
    return [clients[i] for i in order]


def clean_body(body: str) -> str:
    """The note's text as stored; EmptyNoteError or NoteTooLongError when it cannot be."""
    text = body.strip()
    if not text:
        raise EmptyNoteError()
    # Counted as Telegram counts (an emoji may be two), so a shown note always fits.
    if telegram_length(text) > MAX_NOTE_LENGTH:
        raise NoteTooLongError(telegram_length(text))
    return text


async def write_note(
    uow_factory: UnitOfWorkFactory,
    clock: Clock,
    *,
    staff: Staff,
    client_id: int,
    body: str,
    life_areas: list[LifeArea],
    phase: NotePhase | None = None,
    appointment_id: int | None = None,
) -> Note:
    assert staff.id is not None
    text = clean_body(body)
    if not life_areas:
        raise ValueError("at least one life area")
    async with uow_factory() as uow:
        client = await visible_client(uow, staff, client_id)
        if appointment_id is not None:
            appointment = await uow.appointments.get(appointment_id)
            if appointment is None or appointment.client_id != client.id:
                appointment_id = None
        note = await uow.notes.add(
            Note(
                id=None,
                client_id=client_id,
                author_id=staff.id,
                body=text,
                life_areas=list(dict.fromkeys(life_areas)),
                phase=phase,
                appointment_id=appointment_id,
            ),
            clock.now(),
        )
        await audit(uow, clock, staff, "note.create", client_id=client_id, note_id=note.id)
        await uow.commit()
    return note


async def client_notes(
    uow_factory: UnitOfWorkFactory,
    clock: Clock,
    *,
    staff: Staff,
    client_id: int,
    page: int = 0,
    page_size: int = NOTES_PAGE,
) -> tuple[Client, list[Note], int]:
    """One page of a client's notes, newest first; each note shown is audited as read."""
    async with uow_factory() as uow:
        client = await visible_client(uow, staff, client_id)
        notes, total = await uow.notes.for_client(client_id, page_size, max(0, page) * page_size)
        for note in notes:
            await audit(uow, clock, staff, "note.read", client_id=client_id, note_id=note.id)
        if not notes:
            await audit(uow, clock, staff, "notes.list", client_id=client_id)
        await uow.commit()
    return client, notes, total


def editable(note: Note, staff: Staff, now: datetime) -> bool:
    return (
        note.author_id == staff.id
        and note.created_at is not None
        and now - note.created_at <= EDIT_WINDOW
    )


async def _own_note(uow: UnitOfWork, clock: Clock, staff: Staff, note_id: int) -> Note:
    note = await uow.notes.get(note_id)
    if note is None:
        raise NoteAccessError("note", note_id)
    await visible_client(uow, staff, note.client_id, asked=("note", note_id))
    if note.author_id != staff.id:
        raise NotYourNoteError()
    if not editable(note, staff, clock.now()):
        raise EditWindowClosedError()
    return note


async def note_for_edit(
    uow_factory: UnitOfWorkFactory, clock: Clock, *, staff: Staff, note_id: int
) -> Note:
    async with uow_factory() as uow:
        return await _own_note(uow, clock, staff, note_id)


async def edit_note(
    uow_factory: UnitOfWorkFactory, clock: Clock, *, staff: Staff, note_id: int, body: str
) -> Note:
    """Replace the text; the earlier version is kept (encrypted) with the note."""
    text = clean_body(body)
    async with uow_factory() as uow:
        note = await _own_note(uow, clock, staff, note_id)
        changed = await uow.notes.replace(
            note_id, body=text, life_areas=note.life_areas, phase=note.phase, at=clock.now()
        )
        if changed is None:
            raise NoteAccessError("note", note_id)
        await audit(uow, clock, staff, "note.edit", client_id=note.client_id, note_id=note_id)
        await uow.commit()
    return changed


async def delete_note(
    uow_factory: UnitOfWorkFactory, clock: Clock, *, staff: Staff, note_id: int
) -> Note:
    async with uow_factory() as uow:
        note = await _own_note(uow, clock, staff, note_id)
        if not await uow.notes.delete(note_id):
            raise NoteAccessError("note", note_id)
        await audit(uow, clock, staff, "note.delete", client_id=note.client_id, note_id=note_id)
        await uow.commit()
    return note


async def audit_log(
    uow_factory: UnitOfWorkFactory, *, site_id: int, since: datetime | None
) -> tuple[list[AuditEntry], dict[int, Staff]]:
    async with uow_factory() as uow:
        entries = await uow.audit.for_site(site_id, since)
        staff = {s.id: s for s in await uow.staff.of_site(site_id) if s.id is not None}
    return entries, staff


async def client_for_note(
    uow_factory: UnitOfWorkFactory, *, staff: Staff, client_id: int
) -> Client:
    async with uow_factory() as uow:
        return await visible_client(uow, staff, client_id)


async def appointment_for_note(
    uow_factory: UnitOfWorkFactory, *, staff: Staff, appointment_id: int
) -> tuple[Client, LifeArea]:
    """A note "for this appointment": its client (of the staff member's site) and topic."""
    async with uow_factory() as uow:
        appointment = await uow.appointments.get(appointment_id)
        if appointment is None:
            raise NoteAccessError("appointment", appointment_id)
        client = await visible_client(
            uow, staff, appointment.client_id, asked=("appointment", appointment_id)
        )
    return client, appointment.topic


async def staff_names(uow_factory: UnitOfWorkFactory, *, site_id: int) -> dict[int, str]:
    async with uow_factory() as uow:
        return {s.id: s.display_name or "?" for s in await uow.staff.of_site(site_id) if s.id}


async def schedule_removal(
    uow_factory: UnitOfWorkFactory, clock: Clock, *, chat_id: int, message_id: int, after: timedelta
) -> None:
    """Remember to delete a shown note from the chat (the scheduler does it, after restarts too)."""
    async with uow_factory() as uow:
        await uow.deletions.schedule(chat_id, message_id, clock.now() + after)
        await uow.commit()


RETRY_DELETION = timedelta(minutes=5)


async def remove_due_messages(
    uow_factory: UnitOfWorkFactory, clock: Clock, deleter: Notifier, *, limit: int = 100
) -> int:
    """Delete shown notes whose time is up. A row goes only once the message is gone: a
    passing failure tries again in RETRY_DELETION, so no note stays in a chat for good."""
    async with uow_factory() as uow:
        due = await uow.deletions.due(clock.now(), limit)
    done: list[int] = []
    again: list[int] = []
    for row_id, chat_id, message_id in due:
        (done if await deleter.delete_message(chat_id, message_id) else again).append(row_id)
    async with uow_factory() as uow:
        await uow.deletions.finish(done)
        await uow.deletions.postpone(again, clock.now() + RETRY_DELETION)
        await uow.commit()
    return len(done)


async def read_note(
    uow_factory: UnitOfWorkFactory, clock: Clock, *, staff: Staff, note_id: int
) -> Note:
    async with uow_factory() as uow:
        note = await uow.notes.get(note_id)
        if note is None:
            raise NoteAccessError("note", note_id)
        await visible_client(uow, staff, note.client_id, asked=("note", note_id))
        await audit(uow, clock, staff, "note.read", client_id=note.client_id, note_id=note.id)
        await uow.commit()
    return note
