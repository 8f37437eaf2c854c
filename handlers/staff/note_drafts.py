"""A note typed before its client or life areas are chosen is kept, not lost.

Text typed at any step of writing a note becomes the note's draft
(bot.services.note_drafts: sealed with the notes key in the conversation state, never
in plain text); the typed message is deleted, as a typed note always is, and the person
is asked only for what is still missing. draft_guard_router() comes before the staff
menu (build_dispatcher): with a draft, leaving the flow (a command, the menu button, any
button that is not a step of the note) first asks "Save / Discard"; a draft older than
DRAFT_LIFETIME, or one that no longer opens, is dropped (and said so) before the update
goes on as if there had been none.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from datetime import datetime
from typing import Any

from aiogram import F, Router
from aiogram.dispatcher.event.bases import SkipHandler
from aiogram.filters import BaseFilter, StateFilter
from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery, Message, TelegramObject

from bot.domain import LifeArea, NotePhase
from bot.i18n import Translator
from bot.ports import Clock, UnitOfWorkFactory
from bot.services import note_drafts
from bot.services import notes as notes_service
from bot.services.note_drafts import NoteDraft
from handlers import views
from handlers.callbacks import NoteAction, NoteCb
from handlers.common import answer, send, show
from handlers.staff import note_draft_views as ndv
from handlers.staff import note_views as nv
from handlers.staff import views as sv
from handlers.staff.access import StaffTurn, staff_only_router
from handlers.staff.notes_browse import note_client, refusing
from handlers.states import NoteSG
from handlers.views import Screen

log = logging.getLogger("lotse.notes")

_KEYS = ("n_draft", "n_draft_at", "n_draft_len")
#: The steps of writing a note (reading and editing a note keep no draft).
WRITING = StateFilter(NoteSG.pick, NoteSG.choosing, NoteSG.text)
#: The buttons that are steps of writing a note; any other button leaves it.
_STEPS = {
    NoteAction.CLIENT,
    NoteAction.APPOINTMENT,
    NoteAction.AREA,
    NoteAction.PHASE,
    NoteAction.AREAS,
    NoteAction.DRAFT_SAVE,
    NoteAction.DRAFT_DROP,
}


def draft_of(data: Mapping[str, Any]) -> NoteDraft | None:
    """The draft kept in the conversation's data, if any."""
    sealed, started, length = (data.get(key) for key in _KEYS)
    if not sealed or not started:
        return None
    return NoteDraft(str(sealed), datetime.fromisoformat(str(started)), int(length or 0))


def draft_fields(draft: NoteDraft | None) -> dict[str, Any]:
    """The draft as the conversation's data keeps it (JSON: only the sealed text)."""
    if draft is None:
        return {}
    return {
        "n_draft": draft.sealed,
        "n_draft_at": draft.started.isoformat(),
        "n_draft_len": draft.length,
    }


def draft_length(data: Mapping[str, Any]) -> int | None:
    draft = draft_of(data)
    return draft.length if draft is not None else None


class HasDraft(BaseFilter):
    """A draft in the conversation's data, handed over as `draft`. `lost=True`: only a
    draft to be dropped (too old, or it no longer opens), with `told`, what to say."""

    def __init__(self, *, lost: bool = False) -> None:
        self.lost = lost

    async def __call__(
        self,
        event: TelegramObject,
        state: FSMContext,
        clock: Clock,
        uow_factory: UnitOfWorkFactory,
    ) -> bool | dict[str, Any]:
        draft = draft_of(await state.get_data())
        if draft is None:
            return False
        if not self.lost:
            return {"draft": draft}
        if draft.expired(clock.now()):
            return {"draft": draft, "told": ndv.expired}
        if not await note_drafts.readable(uow_factory, draft):
            return {"draft": draft, "told": ndv.unreadable}
        return False


async def delete_typed(message: Message, turn: StaffTurn) -> None:
    """The typed note out of the chat (it passed through Telegram; it stays with us)."""
    try:
        await turn.bot.delete_message(message.chat.id, message.message_id)
    except Exception as exc:  # noqa: BLE001 - say so: the person must delete it themselves
        log.warning("typed note not deleted", extra={"error": type(exc).__name__})
        await message.answer(nv.not_deleted(turn.t))


async def keep_typed(message: Message, turn: StaffTurn) -> NoteDraft | None:
    """The typed text added to the note's draft and its message deleted. None: the whole
    would be too long (said so; the message stays so it can be copied)."""
    data = await turn.state.get_data()
    try:
        draft = await note_drafts.add_to_draft(
            turn.uow_factory, turn.clock, draft_of(data), message.text or ""
        )
    except notes_service.NoteTooLongError as exc:
        await message.answer(nv.too_long(turn.t, exc.length))
        return None
    except notes_service.EmptyNoteError:
        return None
    await turn.state.update_data(draft_fields(draft))
    await delete_typed(message, turn)
    return draft


async def pick_client_screen(
    turn: StaffTurn, purpose: str, draft: NoteDraft | None = None
) -> Screen:
    """Whose notes (`list`) or for whom a new note (`client`; with the `draft` typed so
    far): the recent clients."""
    await turn.state.set_state(NoteSG.pick)
    await turn.state.set_data({"n_purpose": purpose, **draft_fields(draft)})
    candidates = await notes_service.note_candidates(turn.uow_factory, turn.clock, staff=turn.staff)
    length = draft.length if draft is not None else None
    return nv.pick_client(turn.t, candidates, purpose=purpose, draft=length)


async def ask_save_or_discard(callback: CallbackQuery, turn: StaffTurn, draft: NoteDraft) -> None:
    await send(turn.bot, callback.from_user.id, ndv.save_or_discard(turn.t, draft.length))


def draft_guard_router() -> Router:
    """Before the staff menu: a draft is dropped only when asked to, or when too old."""
    router = staff_only_router("note-drafts")

    @router.message(WRITING, HasDraft(lost=True))
    @router.callback_query(WRITING, HasDraft(lost=True))
    async def draft_lost(
        event: Message | CallbackQuery, turn: StaffTurn, told: Callable[[Translator], str]
    ) -> None:
        data = await turn.state.get_data()
        await turn.state.set_data({k: v for k, v in data.items() if k not in _KEYS})
        assert event.from_user is not None
        await turn.bot.send_message(event.from_user.id, told(turn.t))
        raise SkipHandler  # the update goes on, as it would without a draft

    @router.message(WRITING, HasDraft(), F.text.startswith("/"))
    async def leaving_by_command(message: Message, turn: StaffTurn, draft: NoteDraft) -> None:
        await answer(message, ndv.save_or_discard(turn.t, draft.length))

    @router.callback_query(WRITING, HasDraft(), ~NoteCb.filter(F.action.in_(_STEPS)))
    async def leaving_by_button(callback: CallbackQuery, turn: StaffTurn, draft: NoteDraft) -> None:
        await callback.answer()
        await ask_save_or_discard(callback, turn, draft)

    @router.callback_query(
        NoteCb.filter(F.action == NoteAction.DRAFT_SAVE), NoteSG.pick, HasDraft()
    )
    async def save_asks_for_client(
        callback: CallbackQuery, turn: StaffTurn, draft: NoteDraft
    ) -> None:
        await turn.show(callback, await pick_client_screen(turn, "client", draft))

    @router.callback_query(
        NoteCb.filter(F.action == NoteAction.DRAFT_SAVE),
        StateFilter(NoteSG.choosing, NoteSG.text),
        HasDraft(),
    )
    async def save(callback: CallbackQuery, turn: StaffTurn, draft: NoteDraft) -> None:
        data = await turn.state.get_data()
        async with refusing(callback, turn):
            client = await note_client(turn, int(data["n_client"]))
            areas, phase = list(data.get("n_areas", [])), data.get("n_phase")
            if not areas:  # the one thing still missing: asked for where it is chosen
                await turn.state.set_state(NoteSG.choosing)
                await callback.answer(nv.areas_needed(turn.t), show_alert=True)
                await show(
                    callback, turn.bot, nv.choose_areas(turn.t, client, [], phase, draft.length)
                )
                return
            note = await note_drafts.write_draft(
                turn.uow_factory,
                turn.clock,
                staff=turn.staff,
                draft=draft,
                client_id=client.id or 0,
                life_areas=[LifeArea(a) for a in areas],
                phase=NotePhase(phase) if phase else None,
                appointment_id=data.get("n_appt"),
            )
            await turn.state.clear()
            await turn.show(callback, nv.saved(turn.t, client, note))

    @router.callback_query(NoteCb.filter(F.action == NoteAction.DRAFT_DROP), WRITING, HasDraft())
    async def discard(callback: CallbackQuery, turn: StaffTurn) -> None:
        await turn.state.clear()
        await turn.show(callback, sv.menu(turn.t, intro=ndv.discarded(turn.t)))

    return router


def stale_with_draft_router() -> Router:
    """An old note button while a draft waits: the draft is kept, and the person asked."""
    router = staff_only_router("note-drafts-stale")

    @router.callback_query(NoteCb.filter(), WRITING, HasDraft())
    async def stale_step(callback: CallbackQuery, turn: StaffTurn, draft: NoteDraft) -> None:
        await callback.answer(views.stale_button(turn.t), show_alert=True)
        await ask_save_or_discard(callback, turn, draft)

    return router
