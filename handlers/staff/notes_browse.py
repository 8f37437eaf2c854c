"""Reading case notes: a client's notes page by page, one note, and editing or deleting
one's own (the typed edit itself is taken in notes.py). Notes shown in the chat are sent
with protect_content and removed again after SHOW_FOR (the scheduler does it)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import timedelta

from aiogram import Bot, F, Router
from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery, Message

from bot.domain import Staff
from bot.i18n import Translator
from bot.ports import Clock, UnitOfWorkFactory
from bot.services import notes as notes_service
from bot.slots import BookingPolicy
from handlers.callbacks import NoteAction, NoteCb
from handlers.common import send, show
from handlers.staff import note_views as nv
from handlers.staff import views as sv
from handlers.staff.access import IsStaff
from handlers.states import NoteSG
from handlers.views import Screen

SHOW_FOR = timedelta(minutes=5)
_SHOW_MINUTES = int(SHOW_FOR.total_seconds() // 60)


@asynccontextmanager
async def refusing(
    callback: CallbackQuery, bot: Bot, state: FSMContext, t: Translator
) -> AsyncIterator[None]:
    """A client or note this person may not reach (any more): said so, the menu again."""
    try:
        yield
    except (notes_service.NotYourNoteError, notes_service.EditWindowClosedError):
        await _refuse(callback, bot, state, t, nv.window_closed(t))
    except notes_service.NoteAccessError:
        await _refuse(callback, bot, state, t, nv.not_found(t))


async def _refuse(
    callback: CallbackQuery, bot: Bot, state: FSMContext, t: Translator, text: str
) -> None:
    await state.clear()
    await callback.answer(text, show_alert=True)
    await send(bot, callback.from_user.id, sv.menu(t))


async def _show_protected(
    bot: Bot,
    chat_id: int,
    screen: Screen,
    uow_factory: UnitOfWorkFactory,
    clock: Clock,
    replaces: Message | None = None,
) -> None:
    """Notes go out as a new protected message, removed again after SHOW_FOR."""
    sent = await bot.send_message(
        chat_id, screen.text, reply_markup=screen.markup, protect_content=True
    )
    await notes_service.schedule_removal(
        uow_factory, clock, chat_id=chat_id, message_id=sent.message_id, after=SHOW_FOR
    )
    if replaces is not None:
        try:  # the page it replaces goes at once
            await bot.delete_message(chat_id, replaces.message_id)
        except Exception:  # noqa: BLE001 - it is removed by its own schedule anyway
            pass


def notes_browse_router() -> Router:
    """The note buttons that read, edit or delete a note (notes_router() includes it)."""
    router = Router(name="notes-browse")
    router.callback_query.filter(IsStaff())

    @router.callback_query(NoteCb.filter(F.action == NoteAction.LIST))
    async def list_notes(
        callback: CallbackQuery,
        callback_data: NoteCb,
        bot: Bot,
        state: FSMContext,
        staff: Staff,
        t: Translator,
        uow_factory: UnitOfWorkFactory,
        clock: Clock,
        policy: BookingPolicy,
    ) -> None:
        value = callback_data.value
        page = int(value) if value.isdigit() else 0
        async with refusing(callback, bot, state, t):
            client, shown, total = await notes_service.client_notes(
                uow_factory, clock, staff=staff, client_id=callback_data.id, page=page
            )
            authors = await notes_service.staff_names(uow_factory, site_id=staff.site_id)
            now = clock.now()
            editable = {n.id for n in shown if n.id and notes_service.editable(n, staff, now)}
            await state.clear()
            await callback.answer()
            screen = nv.notes_page(
                t,
                client,
                shown,
                total,
                page,
                notes_service.NOTES_PAGE,
                authors,
                editable,
                policy.zone,
                _SHOW_MINUTES,
            )
            message = callback.message
            replaces = message if value.isdigit() and isinstance(message, Message) else None
            await _show_protected(
                bot,
                callback.from_user.id,
                screen,
                uow_factory,
                clock,
                replaces=replaces,
            )

    @router.callback_query(NoteCb.filter(F.action == NoteAction.SHOW))
    async def show_note(
        callback: CallbackQuery,
        callback_data: NoteCb,
        bot: Bot,
        state: FSMContext,
        staff: Staff,
        t: Translator,
        uow_factory: UnitOfWorkFactory,
        clock: Clock,
        policy: BookingPolicy,
    ) -> None:
        async with refusing(callback, bot, state, t):
            note = await notes_service.read_note(
                uow_factory, clock, staff=staff, note_id=callback_data.id
            )
            client = await notes_service.client_for_note(
                uow_factory, staff=staff, client_id=note.client_id
            )
            authors = await notes_service.staff_names(uow_factory, site_id=staff.site_id)
            await callback.answer()
            author = authors.get(note.author_id, "?")
            screen = nv.one_note(t, client, note, author, policy.zone, _SHOW_MINUTES)
            await _show_protected(bot, callback.from_user.id, screen, uow_factory, clock)

    @router.callback_query(NoteCb.filter(F.action == NoteAction.EDIT))
    async def edit_note(
        callback: CallbackQuery,
        callback_data: NoteCb,
        bot: Bot,
        state: FSMContext,
        staff: Staff,
        t: Translator,
        uow_factory: UnitOfWorkFactory,
        clock: Clock,
    ) -> None:
        async with refusing(callback, bot, state, t):
            note = await notes_service.note_for_edit(
                uow_factory, clock, staff=staff, note_id=callback_data.id
            )
            await state.set_state(NoteSG.edit)
            await state.set_data({"n_note": note.id})
            await callback.answer()
            await send(bot, callback.from_user.id, nv.edit_ask(t, note))

    @router.callback_query(NoteCb.filter(F.action == NoteAction.DELETE))
    async def delete_ask(
        callback: CallbackQuery,
        callback_data: NoteCb,
        bot: Bot,
        state: FSMContext,
        staff: Staff,
        t: Translator,
        uow_factory: UnitOfWorkFactory,
        clock: Clock,
    ) -> None:
        async with refusing(callback, bot, state, t):
            note = await notes_service.note_for_edit(
                uow_factory, clock, staff=staff, note_id=callback_data.id
            )
            await callback.answer()
            await send(bot, callback.from_user.id, nv.confirm_delete(t, note))

    @router.callback_query(NoteCb.filter(F.action == NoteAction.DELETE_CONFIRMED))
    async def delete_confirmed(
        callback: CallbackQuery,
        callback_data: NoteCb,
        bot: Bot,
        state: FSMContext,
        staff: Staff,
        t: Translator,
        uow_factory: UnitOfWorkFactory,
        clock: Clock,
    ) -> None:
        async with refusing(callback, bot, state, t):
            note = await notes_service.delete_note(
                uow_factory, clock, staff=staff, note_id=callback_data.id
            )
            await state.clear()
            await callback.answer()
            await show(callback, bot, nv.deleted(t, note))

    return router
