"""Case notes from the phone: /note, /notes, writing a note and typing an edit; staff only.

The typed note is deleted from the chat once saved. The buttons that read, edit or delete
a note are in notes_browse.py; notes_router() includes its router after its own buttons.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from typing import Any

from aiogram import F, Router
from aiogram.filters import Command, StateFilter
from aiogram.types import CallbackQuery, Message

from bot.domain import Client, LifeArea, Note, NotePhase
from bot.i18n import Translator
from bot.services import note_drafts
from bot.services import notes as notes_service
from handlers import views
from handlers.callbacks import NoteAction, NoteCb
from handlers.common import answer, send
from handlers.staff import note_views as nv
from handlers.staff import views as sv
from handlers.staff.access import IsStaff, StaffTurn, staff_only_router
from handlers.staff.note_drafts import (
    delete_typed,
    draft_fields,
    draft_length,
    draft_of,
    keep_typed,
    pick_client_screen,
    stale_with_draft_router,
)
from handlers.staff.notes_browse import note_client, notes_browse_router, refusing
from handlers.states import NoteSG

log = logging.getLogger("lotse.notes")

#: A typed note or edit that is not saved (the menu says why; the step is over). A
#: ValueError: the choices kept in the data do not hold.
_NOT_WRITTEN = (notes_service.EmptyNoteError, ValueError, notes_service.NoteAccessError)
_NOT_EDITED = (
    notes_service.EmptyNoteError,
    notes_service.NoteAccessError,
    notes_service.NotYourNoteError,
    notes_service.EditWindowClosedError,
)
_LIFE_AREAS = {a.value for a in LifeArea}
_PHASES = {p.value for p in NotePhase}
#: Areas and phase are chosen while the note's client waits in the data (and while the
#: text is asked for: an area button above it still counts).
_CHOOSING = StateFilter(NoteSG.choosing, NoteSG.text)


async def _write(turn: StaffTurn, data: dict[str, Any], body: str) -> Note:
    """A new note with the client, areas and phase chosen before (`data`): what was typed
    before (the draft), then `body`."""
    return await notes_service.write_note(
        turn.uow_factory,
        turn.clock,
        staff=turn.staff,
        client_id=int(data.get("n_client", 0)),
        body=await note_drafts.with_draft(turn.uow_factory, draft_of(data), body),
        life_areas=[LifeArea(a) for a in data.get("n_areas", [])],
        phase=NotePhase(data["n_phase"]) if data.get("n_phase") else None,
        appointment_id=data.get("n_appt"),
    )


async def _edit(turn: StaffTurn, data: dict[str, Any], body: str) -> Note:
    """The new text of the note being edited (`data`)."""
    note_id = int(data.get("n_note", 0))
    return await notes_service.edit_note(
        turn.uow_factory, turn.clock, staff=turn.staff, note_id=note_id, body=body
    )


async def _take_typed(
    message: Message,
    turn: StaffTurn,
    save: Callable[[StaffTurn, dict[str, Any], str], Awaitable[Note]],
    refused: tuple[type[Exception], ...],
    reason: Callable[[Translator], str],
) -> Note | None:
    """The typed note or edit saved, the step over and the text out of the chat. None: too
    long (said so, the step stays) or `refused` (not saved, the menu with the `reason`)."""
    try:
        note = await save(turn, await turn.state.get_data(), message.text or "")
    except notes_service.NoteTooLongError as exc:
        await message.answer(nv.too_long(turn.t, exc.length))
        return None
    except refused:
        await turn.state.clear()
        await delete_typed(message, turn)  # not saved: still no note text in the chat
        await answer(message, sv.menu(turn.t, intro=reason(turn.t)))
        return None
    await turn.state.clear()
    await delete_typed(message, turn)
    return note


def notes_router() -> Router:
    router = staff_only_router("notes")

    @router.message(Command("note"))
    @router.message(Command("notes"))
    async def note_command(message: Message, turn: StaffTurn) -> None:
        purpose = "list" if (message.text or "").split()[0].split("@")[0] == "/notes" else "client"
        await answer(message, await pick_client_screen(turn, purpose))

    @router.message(NoteSG.pick, F.text, ~F.text.startswith("/"))
    async def pick_by_name(message: Message, turn: StaffTurn) -> None:
        data = await turn.state.get_data()
        found = await notes_service.list_clients(
            turn.uow_factory,
            turn.clock,
            staff=turn.staff,
            everyone=True,
            search=(message.text or "")[:40],
        )
        purpose = data.get("n_purpose", "client")
        if found or purpose == "list":
            clients = [s.client for s in found]
            screen = nv.pick_client(
                turn.t, clients, purpose=purpose, searched=True, draft=draft_length(data)
            )
            await answer(message, screen)
            return
        # No client's name: the text is (more of) the note itself, typed before its client.
        draft = await keep_typed(message, turn)
        if draft is not None:
            await answer(message, await pick_client_screen(turn, purpose, draft))

    @router.message(NoteSG.choosing, F.text, ~F.text.startswith("/"))
    async def note_before_areas(message: Message, turn: StaffTurn) -> None:
        draft = await keep_typed(message, turn)
        if draft is None:
            return
        data = await turn.state.get_data()
        try:
            client = await note_client(turn, int(data.get("n_client", 0)))
        except notes_service.NoteAccessError:
            await turn.state.clear()
            await answer(message, sv.menu(turn.t, intro=nv.not_found(turn.t)))
            return
        areas, phase = list(data.get("n_areas", [])), data.get("n_phase")
        await answer(message, nv.choose_areas(turn.t, client, areas, phase, draft.length))

    @router.message(NoteSG.text, F.text, ~F.text.startswith("/"))
    async def note_typed(message: Message, turn: StaffTurn) -> None:
        note = await _take_typed(message, turn, _write, _NOT_WRITTEN, nv.not_found)
        if note is not None:
            client = await note_client(turn, note.client_id)
            await send(turn.bot, message.chat.id, nv.saved(turn.t, client, note))

    @router.message(NoteSG.edit, F.text, ~F.text.startswith("/"))
    async def edit_typed(message: Message, turn: StaffTurn) -> None:
        note = await _take_typed(message, turn, _edit, _NOT_EDITED, nv.window_closed)
        if note is not None:
            await send(turn.bot, message.chat.id, nv.edited(turn.t, note))

    @router.message(NoteSG.choosing, ~F.text.startswith("/"))
    @router.message(NoteSG.text, ~F.text.startswith("/"))
    @router.message(NoteSG.edit, ~F.text.startswith("/"))
    async def not_text(message: Message, turn: StaffTurn) -> None:
        await message.answer(nv.text_only(turn.t))

    @router.callback_query(NoteCb.filter(F.action.in_({NoteAction.NEW, NoteAction.PICK})))
    async def pick_client(callback: CallbackQuery, callback_data: NoteCb, turn: StaffTurn) -> None:
        purpose = "list" if callback_data.value == "list" else "client"
        screen = await pick_client_screen(turn, purpose)
        await turn.show(callback, screen)

    @router.callback_query(NoteCb.filter(F.action == NoteAction.CLIENT))
    async def for_client(callback: CallbackQuery, callback_data: NoteCb, turn: StaffTurn) -> None:
        async with refusing(callback, turn):
            client = await note_client(turn, callback_data.id)
            await _start_choosing(callback, turn, client, [], None)

    @router.callback_query(NoteCb.filter(F.action == NoteAction.APPOINTMENT))
    async def for_appointment(
        callback: CallbackQuery, callback_data: NoteCb, turn: StaffTurn
    ) -> None:
        async with refusing(callback, turn):
            client, topic = await notes_service.appointment_for_note(
                turn.uow_factory, staff=turn.staff, appointment_id=callback_data.id
            )
            await _start_choosing(callback, turn, client, [topic.value], callback_data.id)

    @router.callback_query(NoteCb.filter(F.action == NoteAction.AREA), _CHOOSING)
    async def toggle_area(callback: CallbackQuery, callback_data: NoteCb, turn: StaffTurn) -> None:
        data = await turn.state.get_data()
        areas, value = list(data.get("n_areas", [])), callback_data.value
        if value in _LIFE_AREAS:
            areas = [a for a in areas if a != value] if value in areas else [*areas, value]
        await _choose(callback, turn, data, areas, data.get("n_phase"))

    @router.callback_query(NoteCb.filter(F.action == NoteAction.PHASE), _CHOOSING)
    async def toggle_phase(callback: CallbackQuery, callback_data: NoteCb, turn: StaffTurn) -> None:
        data = await turn.state.get_data()
        phase, value = data.get("n_phase"), callback_data.value
        if value in _PHASES:
            phase = None if phase == value else value
        await _choose(callback, turn, data, list(data.get("n_areas", [])), phase)

    @router.callback_query(NoteCb.filter(F.action == NoteAction.AREAS), _CHOOSING)
    async def areas_chosen(callback: CallbackQuery, turn: StaffTurn) -> None:
        data = await turn.state.get_data()
        if not data.get("n_areas"):
            await callback.answer(nv.areas_needed(turn.t), show_alert=True)
            return
        async with refusing(callback, turn):
            client = await note_client(turn, int(data["n_client"]))
            await turn.state.set_state(NoteSG.text)
            await turn.show(callback, nv.type_note(turn.t, client))

    # After the buttons above come those that read a note, then any note button out of order
    # (with a draft waiting, the person is asked about it first).
    router.include_routers(notes_browse_router(), stale_with_draft_router(), _out_of_order_router())
    return router


def _out_of_order_router() -> Router:
    """The last word on a note button: one that no step above takes (an old button)."""
    router = Router(name="notes-out-of-order")
    router.callback_query.filter(IsStaff())

    @router.callback_query(NoteCb.filter())
    async def out_of_order(callback: CallbackQuery, turn: StaffTurn) -> None:
        """A step out of order (an old button): start the note again."""
        await turn.state.clear()
        await callback.answer(views.stale_button(turn.t), show_alert=True)
        await send(turn.bot, callback.from_user.id, sv.menu(turn.t))

    return router


async def _start_choosing(
    callback: CallbackQuery,
    turn: StaffTurn,
    client: Client,
    areas: list[str],
    appointment: int | None,
) -> None:
    """A new note for `client`: life areas and phase are chosen next."""
    draft = draft_of(await turn.state.get_data())  # typed before the client was chosen
    await turn.state.set_state(NoteSG.choosing)
    await turn.state.set_data(
        {
            "n_client": client.id,
            "n_areas": areas,
            "n_phase": None,
            "n_appt": appointment,
            **draft_fields(draft),
        }
    )
    length = draft.length if draft is not None else None
    await turn.show(callback, nv.choose_areas(turn.t, client, areas, None, length))


async def _choose(
    callback: CallbackQuery,
    turn: StaffTurn,
    data: dict[str, Any],
    areas: list[str],
    phase: str | None,
) -> None:
    """The areas and phase as chosen so far, for the note's client (`data`, as read)."""
    async with refusing(callback, turn):
        await turn.state.set_state(NoteSG.choosing)
        await turn.state.update_data(n_areas=areas, n_phase=phase)
        client = await note_client(turn, int(data["n_client"]))
        screen = nv.choose_areas(turn.t, client, areas, phase, draft_length(data))
        await turn.show(callback, screen)
