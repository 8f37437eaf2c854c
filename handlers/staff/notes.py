"""Case notes from the phone: /note, /notes, edit and delete; for staff only.

The typed note is deleted from the chat once saved; notes shown in the chat are
sent with protect_content and removed again after SHOW_FOR (the scheduler does it).
"""

from __future__ import annotations

import logging
from datetime import timedelta

from aiogram import Bot, F, Router
from aiogram.filters import Command
from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery, Message

from bot.domain import LifeArea, NotePhase, Staff
from bot.i18n import Translator
from bot.ports import Clock, UnitOfWorkFactory
from bot.services import notes as notes_service
from bot.slots import BookingPolicy
from handlers import views
from handlers.callbacks import NoteCb
from handlers.common import send, show
from handlers.staff import note_views as nv
from handlers.staff import views as sv
from handlers.staff.access import IsStaff
from handlers.states import NoteSG
from handlers.views import Screen

log = logging.getLogger("lotse.notes")

SHOW_FOR = timedelta(minutes=5)
_ACCESS_ERRORS = (
    notes_service.NoteAccessError,
    notes_service.NotYourNoteError,
    notes_service.EditWindowClosedError,
)


async def _delete_typed(bot: Bot, message: Message, t: Translator) -> None:
    try:
        await bot.delete_message(message.chat.id, message.message_id)
    except Exception as exc:  # noqa: BLE001 - say so: the person must delete it themselves
        log.warning("typed note not deleted", extra={"error": type(exc).__name__})
        await message.answer(nv.not_deleted(t))


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

    @router.callback_query(NoteCb.filter())
    async def note_action(
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
        try:
            await _note_action(
                callback, callback_data, bot, state, staff, t, uow_factory, clock, policy
            )
        except _ACCESS_ERRORS as exc:
            text = (
                nv.window_closed(t)
                if isinstance(
                    exc, notes_service.NotYourNoteError | notes_service.EditWindowClosedError
                )
                else nv.not_found(t)
            )
            await state.clear()
            await callback.answer(text, show_alert=True)
            await send(bot, callback.from_user.id, sv.menu(t))

    return router


async def _note_action(
    callback: CallbackQuery,
    data_: NoteCb,
    bot: Bot,
    state: FSMContext,
    staff: Staff,
    t: Translator,
    uow_factory: UnitOfWorkFactory,
    clock: Clock,
    policy: BookingPolicy,
) -> None:
    action, ident, value = data_.action, data_.id, data_.value
    chat_id = callback.from_user.id
    data = await state.get_data()
    if action in ("new", "pick"):
        purpose = "list" if value == "list" else "client"
        await state.set_state(NoteSG.pick)
        await state.set_data({"n_purpose": purpose})
        candidates = await notes_service.note_candidates(uow_factory, clock, staff=staff)
        await callback.answer()
        await show(callback, bot, nv.pick_client(t, candidates, purpose=purpose))
    elif action in ("client", "appt"):
        if action == "appt":
            client, topic = await notes_service.appointment_for_note(
                uow_factory, staff=staff, appointment_id=ident
            )
            areas, appointment = [topic.value], ident
        else:
            client = await notes_service.client_for_note(uow_factory, staff=staff, client_id=ident)
            areas, appointment = [], None
        await state.set_state(NoteSG.choosing)
        await state.set_data(
            {"n_client": client.id, "n_areas": areas, "n_phase": None, "n_appt": appointment}
        )
        await callback.answer()
        await show(callback, bot, nv.choose_areas(t, client, areas, None))
    elif action in ("area", "phase") and data.get("n_client"):
        areas = list(data.get("n_areas", []))
        phase = data.get("n_phase")
        if action == "area" and value in {a.value for a in LifeArea}:
            areas = [a for a in areas if a != value] if value in areas else [*areas, value]
        elif action == "phase" and value in {p.value for p in NotePhase}:
            phase = None if phase == value else value
        await state.set_state(NoteSG.choosing)
        await state.update_data(n_areas=areas, n_phase=phase)
        client = await notes_service.client_for_note(
            uow_factory, staff=staff, client_id=int(data["n_client"])
        )
        await callback.answer()
        await show(callback, bot, nv.choose_areas(t, client, areas, phase))
    elif action == "areas" and data.get("n_client"):
        if not data.get("n_areas"):
            await callback.answer(nv.areas_needed(t), show_alert=True)
            return
        client = await notes_service.client_for_note(
            uow_factory, staff=staff, client_id=int(data["n_client"])
        )
        await state.set_state(NoteSG.text)
        await callback.answer()
        await show(callback, bot, nv.type_note(t, client))
    elif action == "list":
        page = int(value) if value.isdigit() else 0
        client, shown, total = await notes_service.client_notes(
            uow_factory, clock, staff=staff, client_id=ident, page=page
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
            int(SHOW_FOR.total_seconds() // 60),
        )
        replaces = callback.message if value.isdigit() else None
        await _show_protected(
            bot,
            chat_id,
            screen,
            uow_factory,
            clock,
            replaces=replaces,  # type: ignore[arg-type]
        )
    elif action == "show":
        note = await notes_service.read_note(uow_factory, clock, staff=staff, note_id=ident)
        client = await notes_service.client_for_note(
            uow_factory, staff=staff, client_id=note.client_id
        )
        authors = await notes_service.staff_names(uow_factory, site_id=staff.site_id)
        await callback.answer()
        screen = nv.one_note(
            t,
            client,
            note,
            authors.get(note.author_id, "?"),
            policy.zone,
            int(SHOW_FOR.total_seconds() // 60),
        )
        await _show_protected(bot, chat_id, screen, uow_factory, clock)
    elif action == "edit":
        note = await notes_service.note_for_edit(uow_factory, clock, staff=staff, note_id=ident)
        await state.set_state(NoteSG.edit)
        await state.set_data({"n_note": note.id})
        await callback.answer()
        await send(bot, chat_id, nv.edit_ask(t, note))
    elif action == "del":
        note = await notes_service.note_for_edit(uow_factory, clock, staff=staff, note_id=ident)
        await callback.answer()
        await send(bot, chat_id, nv.confirm_delete(t, note))
    elif action == "delok":
        note = await notes_service.delete_note(uow_factory, clock, staff=staff, note_id=ident)
        await state.clear()
        await callback.answer()
        await show(callback, bot, nv.deleted(t, note))
    else:  # a step out of order (an old button): start the note again
        await state.clear()
        await callback.answer(views.stale_button(t), show_alert=True)
        await send(bot, chat_id, sv.menu(t))
