"""Case notes from the phone: /note, /notes, writing a note and typing an edit; staff only.

The typed note is deleted from the chat once saved. The buttons that read, edit or delete
a note are in notes_browse.py; notes_router() includes its router after its own buttons.
"""

from __future__ import annotations

import logging
from typing import Any

from aiogram import Bot, F, Router
from aiogram.filters import Command, StateFilter
from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery, Message

from bot.domain import Client, LifeArea, NotePhase, Staff
from bot.i18n import Translator
from bot.ports import Clock, UnitOfWorkFactory
from bot.services import notes as notes_service
from handlers import views
from handlers.callbacks import NoteAction, NoteCb
from handlers.common import send, show
from handlers.staff import note_views as nv
from handlers.staff import views as sv
from handlers.staff.access import IsStaff
from handlers.staff.notes_browse import notes_browse_router, refusing
from handlers.states import NoteSG

log = logging.getLogger("lotse.notes")

_ACCESS_ERRORS = (
    notes_service.NoteAccessError,
    notes_service.NotYourNoteError,
    notes_service.EditWindowClosedError,
)
_LIFE_AREAS = {a.value for a in LifeArea}
_PHASES = {p.value for p in NotePhase}
#: Areas and phase are chosen while the note's client waits in the data (and while the
#: text is asked for: an area button above it still counts).
_CHOOSING = StateFilter(NoteSG.choosing, NoteSG.text)


async def _delete_typed(bot: Bot, message: Message, t: Translator) -> None:
    try:
        await bot.delete_message(message.chat.id, message.message_id)
    except Exception as exc:  # noqa: BLE001 - say so: the person must delete it themselves
        log.warning("typed note not deleted", extra={"error": type(exc).__name__})
        await message.answer(nv.not_deleted(t))


def notes_router() -> Router:
    router = Router(name="notes")
    router.message.filter(F.chat.type == "private", IsStaff())
    router.callback_query.filter(IsStaff())

    @router.message(Command("note"))
    @router.message(Command("notes"))
    async def note_command(
        message: Message,
        state: FSMContext,
        staff: Staff,
        t: Translator,
        uow_factory: UnitOfWorkFactory,
        clock: Clock,
    ) -> None:
        purpose = "list" if (message.text or "").split()[0].split("@")[0] == "/notes" else "client"
        await state.set_state(NoteSG.pick)
        await state.set_data({"n_purpose": purpose})
        candidates = await notes_service.note_candidates(uow_factory, clock, staff=staff)
        screen = nv.pick_client(t, candidates, purpose=purpose)
        await message.answer(screen.text, reply_markup=screen.markup)

    @router.message(NoteSG.pick, F.text, ~F.text.startswith("/"))
    async def pick_by_name(
        message: Message,
        state: FSMContext,
        staff: Staff,
        t: Translator,
        uow_factory: UnitOfWorkFactory,
        clock: Clock,
    ) -> None:
        data = await state.get_data()
        found = await notes_service.list_clients(
            uow_factory, clock, staff=staff, everyone=True, search=(message.text or "")[:40]
        )
        screen = nv.pick_client(
            t, [s.client for s in found], purpose=data.get("n_purpose", "client"), searched=True
        )
        await message.answer(screen.text, reply_markup=screen.markup)

    @router.message(NoteSG.text, F.text, ~F.text.startswith("/"))
    async def note_typed(
        message: Message,
        bot: Bot,
        state: FSMContext,
        staff: Staff,
        t: Translator,
        uow_factory: UnitOfWorkFactory,
        clock: Clock,
    ) -> None:
        data = await state.get_data()
        try:
            note = await notes_service.write_note(
                uow_factory,
                clock,
                staff=staff,
                client_id=int(data.get("n_client", 0)),
                body=message.text or "",
                life_areas=[LifeArea(a) for a in data.get("n_areas", [])],
                phase=NotePhase(data["n_phase"]) if data.get("n_phase") else None,
                appointment_id=data.get("n_appt"),
            )
        except notes_service.NoteTooLongError as exc:
            await message.answer(nv.too_long(t, exc.length))
            return
        except (notes_service.EmptyNoteError, ValueError, notes_service.NoteAccessError):
            await state.clear()
            await _delete_typed(bot, message, t)  # not saved: still no note text in the chat
            screen = sv.menu(t, intro=nv.not_found(t))
            await message.answer(screen.text, reply_markup=screen.markup)
            return
        await state.clear()
        await _delete_typed(bot, message, t)
        client = await notes_service.client_for_note(
            uow_factory, staff=staff, client_id=note.client_id
        )
        await send(bot, message.chat.id, nv.saved(t, client, note))

    @router.message(NoteSG.edit, F.text, ~F.text.startswith("/"))
    async def edit_typed(
        message: Message,
        bot: Bot,
        state: FSMContext,
        staff: Staff,
        t: Translator,
        uow_factory: UnitOfWorkFactory,
        clock: Clock,
    ) -> None:
        data = await state.get_data()
        try:
            note = await notes_service.edit_note(
                uow_factory,
                clock,
                staff=staff,
                note_id=int(data.get("n_note", 0)),
                body=message.text or "",
            )
        except notes_service.NoteTooLongError as exc:
            await message.answer(nv.too_long(t, exc.length))
            return
        except (notes_service.EmptyNoteError, *_ACCESS_ERRORS):
            await state.clear()
            await _delete_typed(bot, message, t)
            screen = sv.menu(t, intro=nv.window_closed(t))
            await message.answer(screen.text, reply_markup=screen.markup)
            return
        await state.clear()
        await _delete_typed(bot, message, t)
        await send(bot, message.chat.id, nv.edited(t, note))

    @router.message(NoteSG.text, ~F.text.startswith("/"))
    @router.message(NoteSG.edit, ~F.text.startswith("/"))
    async def not_text(message: Message, staff: Staff, t: Translator) -> None:
        await message.answer(nv.text_only(t))

    @router.callback_query(NoteCb.filter(F.action.in_({NoteAction.NEW, NoteAction.PICK})))
    async def pick_client(
        callback: CallbackQuery,
        callback_data: NoteCb,
        bot: Bot,
        state: FSMContext,
        staff: Staff,
        t: Translator,
        uow_factory: UnitOfWorkFactory,
        clock: Clock,
    ) -> None:
        purpose = "list" if callback_data.value == "list" else "client"
        await state.set_state(NoteSG.pick)
        await state.set_data({"n_purpose": purpose})
        candidates = await notes_service.note_candidates(uow_factory, clock, staff=staff)
        await callback.answer()
        await show(callback, bot, nv.pick_client(t, candidates, purpose=purpose))

    @router.callback_query(NoteCb.filter(F.action == NoteAction.CLIENT))
    async def for_client(
        callback: CallbackQuery,
        callback_data: NoteCb,
        bot: Bot,
        state: FSMContext,
        staff: Staff,
        t: Translator,
        uow_factory: UnitOfWorkFactory,
    ) -> None:
        async with refusing(callback, bot, state, t):
            client = await notes_service.client_for_note(
                uow_factory, staff=staff, client_id=callback_data.id
            )
            await _start_choosing(callback, bot, state, t, client, [], None)

    @router.callback_query(NoteCb.filter(F.action == NoteAction.APPOINTMENT))
    async def for_appointment(
        callback: CallbackQuery,
        callback_data: NoteCb,
        bot: Bot,
        state: FSMContext,
        staff: Staff,
        t: Translator,
        uow_factory: UnitOfWorkFactory,
    ) -> None:
        async with refusing(callback, bot, state, t):
            client, topic = await notes_service.appointment_for_note(
                uow_factory, staff=staff, appointment_id=callback_data.id
            )
            await _start_choosing(callback, bot, state, t, client, [topic.value], callback_data.id)

    @router.callback_query(NoteCb.filter(F.action == NoteAction.AREA), _CHOOSING)
    async def toggle_area(
        callback: CallbackQuery,
        callback_data: NoteCb,
        bot: Bot,
        state: FSMContext,
        staff: Staff,
        t: Translator,
        uow_factory: UnitOfWorkFactory,
    ) -> None:
        data = await state.get_data()
        areas, value = list(data.get("n_areas", [])), callback_data.value
        if value in _LIFE_AREAS:
            areas = [a for a in areas if a != value] if value in areas else [*areas, value]
        async with refusing(callback, bot, state, t):
            await _choose(
                callback, bot, state, staff, t, uow_factory, data, areas, data.get("n_phase")
            )

    @router.callback_query(NoteCb.filter(F.action == NoteAction.PHASE), _CHOOSING)
    async def toggle_phase(
        callback: CallbackQuery,
        callback_data: NoteCb,
        bot: Bot,
        state: FSMContext,
        staff: Staff,
        t: Translator,
        uow_factory: UnitOfWorkFactory,
    ) -> None:
        data = await state.get_data()
        phase, value = data.get("n_phase"), callback_data.value
        if value in _PHASES:
            phase = None if phase == value else value
        areas = list(data.get("n_areas", []))
        async with refusing(callback, bot, state, t):
            await _choose(callback, bot, state, staff, t, uow_factory, data, areas, phase)

    @router.callback_query(NoteCb.filter(F.action == NoteAction.AREAS), _CHOOSING)
    async def areas_chosen(
        callback: CallbackQuery,
        bot: Bot,
        state: FSMContext,
        staff: Staff,
        t: Translator,
        uow_factory: UnitOfWorkFactory,
    ) -> None:
        data = await state.get_data()
        if not data.get("n_areas"):
            await callback.answer(nv.areas_needed(t), show_alert=True)
            return
        async with refusing(callback, bot, state, t):
            client = await notes_service.client_for_note(
                uow_factory, staff=staff, client_id=int(data["n_client"])
            )
            await state.set_state(NoteSG.text)
            await callback.answer()
            await show(callback, bot, nv.type_note(t, client))

    # After the buttons above come those that read a note, then any note button out of order.
    router.include_routers(notes_browse_router(), _out_of_order_router())
    return router


def _out_of_order_router() -> Router:
    """The last word on a note button: one that no step above takes (an old button)."""
    router = Router(name="notes-out-of-order")
    router.callback_query.filter(IsStaff())

    @router.callback_query(NoteCb.filter())
    async def out_of_order(
        callback: CallbackQuery, bot: Bot, state: FSMContext, t: Translator
    ) -> None:
        """A step out of order (an old button): start the note again."""
        await state.clear()
        await callback.answer(views.stale_button(t), show_alert=True)
        await send(bot, callback.from_user.id, sv.menu(t))

    return router


async def _start_choosing(
    callback: CallbackQuery,
    bot: Bot,
    state: FSMContext,
    t: Translator,
    client: Client,
    areas: list[str],
    appointment: int | None,
) -> None:
    """A new note for `client`: life areas and phase are chosen next."""
    await state.set_state(NoteSG.choosing)
    await state.set_data(
        {"n_client": client.id, "n_areas": areas, "n_phase": None, "n_appt": appointment}
    )
    await callback.answer()
    await show(callback, bot, nv.choose_areas(t, client, areas, None))


async def _choose(
    callback: CallbackQuery,
    bot: Bot,
    state: FSMContext,
    staff: Staff,
    t: Translator,
    uow_factory: UnitOfWorkFactory,
    data: dict[str, Any],
    areas: list[str],
    phase: str | None,
) -> None:
    """The areas and phase as chosen so far, for the note's client (`data`, as read)."""
    await state.set_state(NoteSG.choosing)
    await state.update_data(n_areas=areas, n_phase=phase)
    client = await notes_service.client_for_note(
        uow_factory, staff=staff, client_id=int(data["n_client"])
    )
    await callback.answer()
    await show(callback, bot, nv.choose_areas(t, client, areas, phase))
