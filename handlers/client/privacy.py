"""/privacy: what is stored, the notice, and withdrawal (which erases the client)."""

from __future__ import annotations

from dataclasses import replace

from aiogram import F, Router
from aiogram.filters import Command, StateFilter
from aiogram.types import BufferedInputFile, CallbackQuery, Message

from bot.domain import Client
from bot.services.announcements import switch_announcements
from bot.services.privacy import erase_client, export_client
from bot.services.referrals import switch_questions
from handlers import views
from handlers.callbacks import PrivacyAction, PrivacyCb
from handlers.client import privacy_views as pv
from handlers.client.access import ClientTurn, Consented
from handlers.client.fallback import where_they_stand
from handlers.common import (
    answer,
    current_screen,
    leave_flow,
    refuse_button,
    send,
    show,
    state_for,
)
from handlers.plumbing.deferred import do_not_record
from handlers.plumbing.notifier import after_erasure
from handlers.states import PrivacySG
from handlers.turn import Turn


def privacy_router() -> Router:
    """/privacy and its buttons, one handler per action; deleting is confirmed only from the
    question just asked (PrivacySG.confirm_delete). Without consent every button is refused."""
    router = Router(name="privacy")
    router.message.filter(F.chat.type == "private")

    @router.message(Command("privacy"), Consented())
    async def privacy_command(message: Message, turn: ClientTurn) -> None:
        await answer(message, overview(turn))

    # Not onboarded yet: where they stand (the language or the privacy question).
    router.message.register(where_they_stand, Command("privacy"))

    @router.callback_query(PrivacyCb.filter(F.action == PrivacyAction.NOTICE), Consented())
    async def notice(callback: CallbackQuery, turn: ClientTurn) -> None:
        await callback.answer()
        providers = turn.translation.provider_names()
        await show(callback, turn.bot, views.privacy_notice_for_client(turn.t, providers))

    @router.callback_query(PrivacyCb.filter(F.action == PrivacyAction.DELETE), Consented())
    async def ask_delete(callback: CallbackQuery, turn: ClientTurn) -> None:
        await turn.state.set_state(PrivacySG.confirm_delete)
        await turn.show(callback, views.confirm_delete(turn.t))

    @router.callback_query(PrivacyCb.filter(F.action == PrivacyAction.KEEP), Consented())
    async def keep(callback: CallbackQuery, turn: ClientTurn) -> None:
        await leave_flow(turn.state)
        await callback.answer(views.kept(turn.t))
        await show(callback, turn.bot, overview(turn))

    @router.callback_query(PrivacyCb.filter(F.action == PrivacyAction.QUESTIONS_OFF), Consented())
    async def questions_off(callback: CallbackQuery, turn: ClientTurn) -> None:
        await _switch_questions(callback, turn, off=True)

    @router.callback_query(PrivacyCb.filter(F.action == PrivacyAction.QUESTIONS_ON), Consented())
    async def questions_on(callback: CallbackQuery, turn: ClientTurn) -> None:
        await _switch_questions(callback, turn, off=False)

    @router.callback_query(
        PrivacyCb.filter(F.action == PrivacyAction.ANNOUNCEMENTS_OFF), Consented()
    )
    async def announcements_off(callback: CallbackQuery, turn: ClientTurn) -> None:
        await _switch_announcements(callback, turn, off=True)

    @router.callback_query(
        PrivacyCb.filter(F.action == PrivacyAction.ANNOUNCEMENTS_ON), Consented()
    )
    async def announcements_on(callback: CallbackQuery, turn: ClientTurn) -> None:
        await _switch_announcements(callback, turn, off=False)

    @router.callback_query(PrivacyCb.filter(F.action == PrivacyAction.EXPORT), Consented())
    async def export(callback: CallbackQuery, turn: ClientTurn) -> None:
        await callback.answer()
        exported = await export_client(turn.uow_factory, client_id=turn.client.id or 0)
        chat_id = callback.from_user.id
        await turn.bot.send_message(
            chat_id, pv.export_summary(turn.t, exported, turn.settings.zone)
        )
        await turn.bot.send_document(
            chat_id, BufferedInputFile(pv.export_file(exported), "lotse-my-data.json")
        )
        await send(turn.bot, chat_id, overview(turn))

    @router.callback_query(
        PrivacyCb.filter(F.action == PrivacyAction.CONFIRM),
        Consented(),
        StateFilter(PrivacySG.confirm_delete),
    )
    async def confirm_delete(callback: CallbackQuery, turn: ClientTurn) -> None:
        await callback.answer()
        await erase_and_tell(turn, telegram_user_id=callback.from_user.id)
        await turn.state.clear()  # the row went with the erasure; the cached copy goes too
        await send(turn.bot, callback.from_user.id, views.deleted(turn.t))

    @router.callback_query(PrivacyCb.filter(F.action == PrivacyAction.CONFIRM), Consented())
    async def confirm_out_of_order(callback: CallbackQuery, turn: ClientTurn) -> None:
        # "Delete" only counts right after the question "Delete everything?".
        await refuse_button(callback, turn.bot, turn.t, overview(turn))

    @router.callback_query(PrivacyCb.filter())
    async def without_consent(callback: CallbackQuery, turn: Turn, client: Client | None) -> None:
        await state_for(client, turn.state)
        await refuse_button(
            callback, turn.bot, turn.t, current_screen(turn.t, client, guessed=turn.guessed_locales)
        )

    return router


def overview(turn: ClientTurn, client: Client | None = None) -> views.Screen:
    """What is stored about the client and what they can do about it (also from the menu)."""
    zone, providers = turn.settings.zone, turn.translation.provider_names()
    return views.privacy_overview(turn.t, client or turn.client, zone, providers)


async def _switch_questions(callback: CallbackQuery, turn: ClientTurn, *, off: bool) -> None:
    """Questions about offers sent (referral follow-ups) off or on again; the overview
    shows the new choice."""
    await switch_questions(turn.uow_factory, turn.clock, client_id=turn.client.id or 0, off=off)
    changed = replace(turn.client, followups_off_at=turn.clock.now() if off else None)
    await turn.show(callback, overview(turn, changed))


async def _switch_announcements(callback: CallbackQuery, turn: ClientTurn, *, off: bool) -> None:
    """ "No announcements" (issue 23), or announcements again; the overview shows it."""
    await switch_announcements(turn.uow_factory, turn.clock, client_id=turn.client.id or 0, off=off)
    changed = replace(turn.client, announcements_off_at=turn.clock.now() if off else None)
    await turn.show(callback, overview(turn, changed))


async def erase_and_tell(turn: ClientTurn, *, telegram_user_id: int) -> bool:
    """Erase the client; delete the recent messages in their chat (the bot's and their
    own); tell their case managers (cancelled times and what became of the notes, no
    other details)."""
    erasure = await erase_client(
        turn.uow_factory,
        turn.clock,
        telegram_user_id=telegram_user_id,
        notes_policy=turn.settings.NOTES_ON_ERASURE,
    )
    if erasure is None:
        return False
    # From here on nothing sent to this chat is remembered (the goodbye included).
    do_not_record(erasure.client.chat_id)
    await after_erasure(turn.bot, turn.catalogs, turn.settings.zone, erasure)
    return True
