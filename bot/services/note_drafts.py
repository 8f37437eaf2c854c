"""A note's draft: text typed in the note flow before the note can be saved.

A case manager may type the note at any step, before the client or the life areas are
chosen; nothing typed is lost. Until the note is saved the text waits as a draft in the
conversation state, sealed with the notes key as note bodies are
(NoteRepository.seal), never in plain text, and for at most DRAFT_LIFETIME from the
first typed message. Text typed again is added to the draft on a new line: a note sent
in two messages is one note, and nothing typed is silently replaced.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from bot.domain import LifeArea, Note, NotePhase, Staff
from bot.formatting import telegram_length
from bot.ports import Clock, SealBrokenError, UnitOfWorkFactory
from bot.services.notes import clean_body, write_note

DRAFT_LIFETIME = timedelta(hours=24)


@dataclass(frozen=True)
class NoteDraft:
    sealed: str  # the text, encrypted with the notes key
    started: datetime  # when its first part was typed
    length: int  # characters, as Telegram counts them (shown; the text never is)

    def expired(self, now: datetime) -> bool:
        return now - self.started > DRAFT_LIFETIME


def _joined(earlier: str, more: str) -> str:
    return "\n".join(part for part in (earlier.strip(), more.strip()) if part)


async def open_draft(uow_factory: UnitOfWorkFactory, draft: NoteDraft | None) -> str:
    """The draft's text ("" without one); SealBrokenError when it no longer opens."""
    if draft is None:
        return ""
    async with uow_factory() as uow:
        return uow.notes.unseal(draft.sealed)


async def readable(uow_factory: UnitOfWorkFactory, draft: NoteDraft) -> bool:
    """False when the key that sealed the draft is gone (a rotation dropped it)."""
    try:
        await open_draft(uow_factory, draft)
    except SealBrokenError:
        return False
    return True


async def add_to_draft(
    uow_factory: UnitOfWorkFactory, clock: Clock, draft: NoteDraft | None, text: str
) -> NoteDraft:
    """The draft with `text` added on a new line (a new draft without one). The whole
    must fit one note: NoteTooLongError (the draft stays as it was) or EmptyNoteError."""
    body = clean_body(_joined(await open_draft(uow_factory, draft), text))
    async with uow_factory() as uow:
        sealed = uow.notes.seal(body)
    started = draft.started if draft is not None else clock.now()
    return NoteDraft(sealed, started, telegram_length(body))


async def with_draft(uow_factory: UnitOfWorkFactory, draft: NoteDraft | None, text: str) -> str:
    """What a note typed at its last step says: the draft, then `text`."""
    return _joined(await open_draft(uow_factory, draft), text)


async def write_draft(
    uow_factory: UnitOfWorkFactory,
    clock: Clock,
    *,
    staff: Staff,
    draft: NoteDraft,
    client_id: int,
    life_areas: list[LifeArea],
    phase: NotePhase | None,
    appointment_id: int | None,
) -> Note:
    """The draft saved as a note (audited as any note written)."""
    return await write_note(
        uow_factory,
        clock,
        staff=staff,
        client_id=client_id,
        body=await open_draft(uow_factory, draft),
        life_areas=life_areas,
        phase=phase,
        appointment_id=appointment_id,
    )
