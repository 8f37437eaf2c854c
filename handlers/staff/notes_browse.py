"""Reading case notes: a client's notes page by page, one note, and editing or deleting
one's own (the typed edit itself is taken in notes.py). Notes shown in the chat are sent
with protect_content and removed again after SHOW_FOR (the scheduler does it)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import timedelta

from aiogram import F, Router
from aiogram.types import CallbackQuery, Message

from bot.domain import Client, Note
from bot.services import notes as notes_service
from handlers.callbacks import NoteAction, NoteCb
from handlers.common import send
from handlers.staff import note_views as nv
from handlers.staff import views as sv
from handlers.staff.access import IsStaff, StaffTurn
from handlers.states import NoteSG
from handlers.views import Screen

SHOW_FOR = timedelta(minutes=5)
_SHOW_MINUTES = int(SHOW_FOR.total_seconds() // 60)


@asynccontextmanager
async def refusing(callback: CallbackQuery, turn: StaffTurn) -> AsyncIterator[None]:
    """A client or note this person may not reach (any more): said so, the menu again."""
    try:
        yield
    except (notes_service.NotYourNoteError, notes_service.EditWindowClosedError):
        await _refuse(callback, turn, nv.window_closed(turn.t))
    except notes_service.NoteAccessError as refused:
        await turn.audit_refusal(refused)
        await _refuse(callback, turn, nv.not_found(turn.t))


async def _refuse(callback: CallbackQuery, turn: StaffTurn, text: str) -> None:
    await turn.state.clear()
    await callback.answer(text, show_alert=True)
    await send(turn.bot, callback.from_user.id, sv.menu(turn.t))


async def note_client(turn: StaffTurn, client_id: int) -> Client:
    """The client a note is (to be) about, if this staff member may reach them."""
    return await notes_service.client_for_note(
        turn.uow_factory, staff=turn.staff, client_id=client_id
    )


async def _own_note(turn: StaffTurn, note_id: int) -> Note:
    """One's own note, while it may still be edited or deleted."""
    return await notes_service.note_for_edit(
        turn.uow_factory, turn.clock, staff=turn.staff, note_id=note_id
    )


async def _show_protected(
    callback: CallbackQuery, turn: StaffTurn, screen: Screen, replaces: Message | None = None
) -> None:
    """Notes go out as a new protected message, removed again after SHOW_FOR."""
    chat_id = callback.from_user.id
    sent = await turn.bot.send_message(
        chat_id, screen.text, reply_markup=screen.markup, protect_content=True
    )
    await notes_service.schedule_removal(
        turn.uow_factory, turn.clock, chat_id=chat_id, message_id=sent.message_id, after=SHOW_FOR
    )
    if replaces is not None:
        try:  # the page it replaces goes at once
            await turn.bot.delete_message(chat_id, replaces.message_id)
        except Exception:  # noqa: BLE001 - it is removed by its own schedule anyway
            pass


def notes_browse_router() -> Router:
    """The note buttons that read, edit or delete a note (notes_router() includes it)."""
    router = Router(name="notes-browse")
    router.callback_query.filter(IsStaff())

    @router.callback_query(NoteCb.filter(F.action == NoteAction.LIST))
    async def list_notes(callback: CallbackQuery, callback_data: NoteCb, turn: StaffTurn) -> None:
        staff, value = turn.staff, callback_data.value
        page = int(value) if value.isdigit() else 0
        async with refusing(callback, turn):
            client, shown, total = await notes_service.client_notes(
                turn.uow_factory, turn.clock, staff=staff, client_id=callback_data.id, page=page
            )
            authors = await notes_service.staff_names(turn.uow_factory, site_id=staff.site_id)
            now = turn.clock.now()
            editable = {n.id for n in shown if n.id and notes_service.editable(n, staff, now)}
            await turn.state.clear()
            await callback.answer()
            screen = nv.notes_page(
                turn.t,
                client,
                shown,
                total,
                page,
                notes_service.NOTES_PAGE,
                authors,
                editable,
                turn.policy.zone,
                _SHOW_MINUTES,
            )
            message = callback.message
            replaces = message if value.isdigit() and isinstance(message, Message) else None
            await _show_protected(callback, turn, screen, replaces=replaces)

    @router.callback_query(NoteCb.filter(F.action == NoteAction.SHOW))
    async def show_note(callback: CallbackQuery, callback_data: NoteCb, turn: StaffTurn) -> None:
        async with refusing(callback, turn):
            note = await notes_service.read_note(
                turn.uow_factory, turn.clock, staff=turn.staff, note_id=callback_data.id
            )
            client = await note_client(turn, note.client_id)
            authors = await notes_service.staff_names(turn.uow_factory, site_id=turn.staff.site_id)
            await callback.answer()
            author = authors.get(note.author_id, "?")
            screen = nv.one_note(turn.t, client, note, author, turn.policy.zone, _SHOW_MINUTES)
            await _show_protected(callback, turn, screen)

    @router.callback_query(NoteCb.filter(F.action == NoteAction.EDIT))
    async def edit_note(callback: CallbackQuery, callback_data: NoteCb, turn: StaffTurn) -> None:
        async with refusing(callback, turn):
            note = await _own_note(turn, callback_data.id)
            await turn.state.set_state(NoteSG.edit)
            await turn.state.set_data({"n_note": note.id})
            await callback.answer()
            await send(turn.bot, callback.from_user.id, nv.edit_ask(turn.t, note))

    @router.callback_query(NoteCb.filter(F.action == NoteAction.DELETE))
    async def delete_ask(callback: CallbackQuery, callback_data: NoteCb, turn: StaffTurn) -> None:
        async with refusing(callback, turn):
            note = await _own_note(turn, callback_data.id)
            await callback.answer()
            await send(turn.bot, callback.from_user.id, nv.confirm_delete(turn.t, note))

    @router.callback_query(NoteCb.filter(F.action == NoteAction.DELETE_CONFIRMED))
    async def delete_confirmed(
        callback: CallbackQuery, callback_data: NoteCb, turn: StaffTurn
    ) -> None:
        async with refusing(callback, turn):
            note = await notes_service.delete_note(
                turn.uow_factory, turn.clock, staff=turn.staff, note_id=callback_data.id
            )
            await turn.state.clear()
            await turn.show(callback, nv.deleted(turn.t, note))

    return router
