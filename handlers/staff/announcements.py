"""Announcements in the chat (issue 23): a coordinator writes to the site's clients, a
case manager to their own. Write -> who gets it (languages, appointments, the text's
language) -> preview per language -> when (now, tomorrow 09:00, typed) -> confirm; the
list with figures, and cancel before it goes out. One handler per (state, action)."""

from __future__ import annotations

from datetime import datetime

from aiogram import F, Router
from aiogram.filters import StateFilter
from aiogram.types import CallbackQuery, Message

from bot.announcements import TEXT_LIMIT, audience_of, out_of_quiet, tomorrow_morning, typed_moment
from bot.services import announcements as service
from handlers.callbacks import AnnAction, AnnCb
from handlers.common import answer, refuse_button, show
from handlers.staff import announcement_views as av
from handlers.staff.access import StaffTurn, staff_only_router
from handlers.states import AnnounceSG
from handlers.views import Screen


async def _draft(turn: StaffTurn) -> av.Draft:
    data = await turn.state.get_data()
    return av.Draft(
        text=data.get("an_text", ""),
        source=data.get("an_src", "de"),
        languages=tuple(data.get("an_langs", ())),
        days=data.get("an_days"),
    )


async def _keep(turn: StaffTurn, draft: av.Draft) -> None:
    await turn.state.update_data(
        an_text=draft.text, an_src=draft.source, an_langs=list(draft.languages), an_days=draft.days
    )


async def _listing(turn: StaffTurn) -> Screen:
    entries = await service.announcements_for(turn.uow_factory, staff=turn.staff)
    return av.listing(turn.t, entries, turn.settings.zone)


async def _confirm_screen(turn: StaffTurn, asked: datetime) -> Screen:
    """The moment it will really go (now at the earliest, never in quiet hours)."""
    draft = await _draft(turn)
    when = out_of_quiet(max(asked, turn.clock.now()), turn.policy.quiet)
    counts = await service.audience_by_language(
        turn.uow_factory, turn.clock, audience_of(turn.staff, draft.languages, draft.days)
    )
    await turn.state.update_data(an_when=asked.isoformat())
    await turn.state.set_state(AnnounceSG.confirm)
    return av.confirm(
        turn.t, when, max(asked, turn.clock.now()), sum(counts.values()), turn.settings.zone
    )


def announcements_router() -> Router:
    router = staff_only_router("announcements")
    filtering = StateFilter(AnnounceSG.filters)

    @router.callback_query(AnnCb.filter(F.action == AnnAction.LIST))
    async def listing(callback: CallbackQuery, turn: StaffTurn) -> None:
        await turn.show(callback, await _listing(turn))

    @router.callback_query(AnnCb.filter(F.action == AnnAction.NEW))
    async def new(callback: CallbackQuery, turn: StaffTurn) -> None:
        await turn.state.set_state(AnnounceSG.text)
        await turn.show(callback, av.write_prompt(turn.t, turn.staff))

    @router.message(AnnounceSG.text, F.text, ~F.text.startswith("/"))
    async def text(message: Message, turn: StaffTurn) -> None:
        written = (message.text or "").strip()
        if not written or len(written) > TEXT_LIMIT:
            await message.answer(av.text_invalid(turn.t))
            return
        source = "en" if turn.staff.locale == "en" else "de"
        await _keep(turn, av.Draft(text=written, source=source))
        await turn.state.set_state(AnnounceSG.filters)
        await answer(message, av.filters(turn.t, await _draft(turn)))

    @router.message(AnnounceSG.text, ~F.text.startswith("/"))
    async def not_text(message: Message, turn: StaffTurn) -> None:
        await message.answer(av.text_invalid(turn.t))

    @router.callback_query(AnnCb.filter(F.action == AnnAction.LANG), filtering)
    async def language(callback: CallbackQuery, callback_data: AnnCb, turn: StaffTurn) -> None:
        draft = await _draft(turn)
        chosen = set(draft.languages) ^ {callback_data.value}
        draft = av.Draft(draft.text, draft.source, tuple(sorted(chosen)), draft.days)
        await _keep(turn, draft)
        await turn.show(callback, av.filters(turn.t, draft))

    @router.callback_query(AnnCb.filter(F.action == AnnAction.DAYS), filtering)
    async def days(callback: CallbackQuery, turn: StaffTurn) -> None:
        draft = await _draft(turn)
        draft = av.Draft(draft.text, draft.source, draft.languages, av.next_days(draft.days))
        await _keep(turn, draft)
        await turn.show(callback, av.filters(turn.t, draft))

    @router.callback_query(AnnCb.filter(F.action == AnnAction.SOURCE), filtering)
    async def source(callback: CallbackQuery, turn: StaffTurn) -> None:
        draft = await _draft(turn)
        draft = av.Draft(draft.text, av.other_source(draft.source), draft.languages, draft.days)
        await _keep(turn, draft)
        await turn.show(callback, av.filters(turn.t, draft))

    @router.callback_query(AnnCb.filter(F.action == AnnAction.PREVIEW), filtering)
    async def preview(callback: CallbackQuery, turn: StaffTurn) -> None:
        draft = await _draft(turn)
        counts = await service.audience_by_language(
            turn.uow_factory, turn.clock, audience_of(turn.staff, draft.languages, draft.days)
        )
        can = turn.translation.enabled
        await turn.show(callback, av.preview(turn.t, draft, counts, can_translate=can))

    @router.callback_query(
        AnnCb.filter(F.action == AnnAction.FILTERS),
        StateFilter(AnnounceSG.filters, AnnounceSG.when, AnnounceSG.confirm),
    )
    async def back_to_filters(callback: CallbackQuery, turn: StaffTurn) -> None:
        await turn.state.set_state(AnnounceSG.filters)
        await turn.show(callback, av.filters(turn.t, await _draft(turn)))

    @router.callback_query(AnnCb.filter(F.action == AnnAction.NOW), filtering)
    async def now(callback: CallbackQuery, turn: StaffTurn) -> None:
        await turn.show(callback, await _confirm_screen(turn, turn.clock.now()))

    @router.callback_query(AnnCb.filter(F.action == AnnAction.TOMORROW), filtering)
    async def tomorrow(callback: CallbackQuery, turn: StaffTurn) -> None:
        asked = tomorrow_morning(turn.clock.now(), turn.settings.zone)
        await turn.show(callback, await _confirm_screen(turn, asked))

    @router.callback_query(AnnCb.filter(F.action == AnnAction.TYPE), filtering)
    async def type_when(callback: CallbackQuery, turn: StaffTurn) -> None:
        await turn.state.set_state(AnnounceSG.when)
        await turn.show(callback, av.ask_when(turn.t))

    @router.message(AnnounceSG.when, F.text, ~F.text.startswith("/"))
    async def typed_when(message: Message, turn: StaffTurn) -> None:
        asked = typed_moment(message.text or "", turn.clock.now(), turn.settings.zone)
        if asked is None or asked < turn.clock.now():
            await message.answer(av.when_invalid(turn.t))
            return
        await answer(message, await _confirm_screen(turn, asked))

    @router.message(AnnounceSG.when, ~F.text.startswith("/"))
    async def when_not_text(message: Message, turn: StaffTurn) -> None:
        await message.answer(av.when_invalid(turn.t))

    @router.callback_query(
        AnnCb.filter(F.action == AnnAction.CONFIRM), StateFilter(AnnounceSG.confirm)
    )
    async def confirm(callback: CallbackQuery, turn: StaffTurn) -> None:
        draft = await _draft(turn)
        asked = datetime.fromisoformat((await turn.state.get_data())["an_when"])
        await service.announce(
            turn.uow_factory,
            turn.clock,
            turn.policy.quiet,
            author=turn.staff,
            text=draft.text,
            source_locale=draft.source,
            when=asked,
            languages=draft.languages,
            appointment_days=draft.days,
        )
        await turn.state.clear()
        await callback.answer(av.scheduled(turn.t), show_alert=True)
        await show(callback, turn.bot, await _listing(turn))

    @router.callback_query(
        AnnCb.filter((F.action == AnnAction.CANCEL) & F.value.regexp(r"^\d{1,12}$"))
    )
    async def cancel(callback: CallbackQuery, callback_data: AnnCb, turn: StaffTurn) -> None:
        done = await service.cancel_announcement(
            turn.uow_factory, turn.clock, staff=turn.staff, announcement_id=int(callback_data.value)
        )
        await callback.answer(av.cancelled(turn.t, done=done), show_alert=True)
        await show(callback, turn.bot, await _listing(turn))

    @router.callback_query(AnnCb.filter())
    async def out_of_order(callback: CallbackQuery, turn: StaffTurn) -> None:
        # A button of a step left behind (or of a draft a restart forgot): the list.
        await refuse_button(callback, turn.bot, turn.t, await _listing(turn))

    return router
