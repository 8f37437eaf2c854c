"""The client's answer to the follow-up question about an offer (one handler per button):
went and it helped / went, it did not help / did not go (then why), or no such questions
any more. A second tap is stored once and answered kindly; a stale or forged button (not
this client's question) is refused with a way on."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable

from aiogram import F, Router
from aiogram.types import CallbackQuery

from bot.referrals import ReferralAnswer, ReferralReason
from bot.services import referrals as referral_service
from handlers import views
from handlers.callbacks import RefAction, RefCb
from handlers.client import referral_views as rfv
from handlers.client.access import ClientTurn, Consented
from handlers.common import refuse_button, show, tell

log = logging.getLogger("lotse.referrals")

_REASONS = {r.value for r in ReferralReason}


async def _answered(
    callback: CallbackQuery, turn: ClientTurn, result: referral_service.AnswerResult
) -> bool:
    """True when the answer was stored now; otherwise the tap is answered here."""
    if result.outcome is referral_service.Answered.NOT_YOURS:
        await refuse_button(callback, turn.bot, turn.t, views.main_menu(turn.t))
        return False
    if result.outcome is referral_service.Answered.ALREADY:
        await callback.answer(rfv.already(turn.t)[:200], show_alert=True)
        return False
    return True


def _went(answer: ReferralAnswer) -> Callable[[CallbackQuery, RefCb, ClientTurn], Awaitable[None]]:
    async def went(callback: CallbackQuery, callback_data: RefCb, turn: ClientTurn) -> None:
        result = await referral_service.answer_followup(
            turn.uow_factory,
            turn.clock,
            client_id=turn.client.id or 0,
            referral_id=callback_data.id,
            answer=answer,
        )
        if await _answered(callback, turn, result):
            await turn.show(callback, rfv.thanks(turn.t))

    return went


def referrals_router() -> Router:
    router = Router(name="referrals")
    router.callback_query.filter(Consented())

    router.callback_query.register(
        _went(ReferralAnswer.HELPED), RefCb.filter(F.action == RefAction.HELPED)
    )
    router.callback_query.register(
        _went(ReferralAnswer.NO_HELP), RefCb.filter(F.action == RefAction.NO_HELP)
    )

    @router.callback_query(RefCb.filter(F.action == RefAction.NOT_WENT))
    async def did_not_go(callback: CallbackQuery, callback_data: RefCb, turn: ClientTurn) -> None:
        result = await referral_service.answer_followup(
            turn.uow_factory,
            turn.clock,
            client_id=turn.client.id or 0,
            referral_id=callback_data.id,
            answer=ReferralAnswer.NOT_WENT,
        )
        if await _answered(callback, turn, result):
            await turn.show(callback, rfv.reasons(turn.t, callback_data.id))

    @router.callback_query(RefCb.filter((F.action == RefAction.REASON) & F.value.in_(_REASONS)))
    async def why_not(callback: CallbackQuery, callback_data: RefCb, turn: ClientTurn) -> None:
        result = await referral_service.give_reason(
            turn.uow_factory,
            turn.clock,
            client_id=turn.client.id or 0,
            referral_id=callback_data.id,
            reason=ReferralReason(callback_data.value),
        )
        if not await _answered(callback, turn, result):
            return
        await turn.show(callback, rfv.thanks(turn.t))
        if result.flag is not None:
            for coordinator in result.coordinators:
                ct = turn.speaking(coordinator.locale)
                await tell(
                    turn.bot, coordinator.telegram_user_id, views.Screen(rfv.flag(ct, result.flag))
                )

    @router.callback_query(RefCb.filter(F.action == RefAction.STOP))
    async def no_more_questions(callback: CallbackQuery, turn: ClientTurn) -> None:
        await referral_service.switch_questions(
            turn.uow_factory, turn.clock, client_id=turn.client.id or 0, off=True
        )
        await callback.answer()
        await show(callback, turn.bot, rfv.stopped(turn.t))

    return router
