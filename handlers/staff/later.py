"""Answers sent later (issue 23, item 3): a typed answer (from the Answer prompt's "write
now, send later") or a ready-made reply (its preview's "send later") waits in the FSM
data until a time is chosen: tomorrow morning, the start of my next working hours, or a
typed date and time (never in quiet hours). Then it waits in the outbox, encrypted, and
the ticker sends it. "⏳ Pending answers" lists mine; each can be cancelled until then."""

from __future__ import annotations

from datetime import datetime

from aiogram import F, Router
from aiogram.types import CallbackQuery, Message

from bot.later import typed_moment
from bot.services import later as later_service
from bot.services import ready_replies as ready_service
from bot.services import relay as relay_service
from handlers import relay_views as rv
from handlers.callbacks import LaterAction, LaterCb
from handlers.common import answer, send, show
from handlers.staff import ready_views as yv
from handlers.staff import views as sv
from handlers.staff.access import StaffTurn, staff_only_router
from handlers.states import StaffRelaySG
from handlers.views import Screen


async def _schedule(turn: StaffTurn, chat_id: int, due_at: datetime) -> None:
    """Keep the answer in the FSM data (typed text, or a filled ready reply) for `due_at`."""
    data = await turn.state.get_data()
    client_id = int(data.get("r_client") or 0)
    text = data.get("l_text")
    reply = await ready_service.find(
        turn.uow_factory, site_id=turn.staff.site_id, key=str(data.get("rr_key") or "")
    )
    if not client_id or (text is None and reply is None):
        await turn.state.clear()
        await send(turn.bot, chat_id, Screen(yv.nothing_to_send(turn.t)))
        return
    try:
        client, stored = await later_service.schedule(
            turn.uow_factory,
            turn.clock,
            turn.policy,
            staff=turn.staff,
            client_id=client_id,
            due_at=due_at,
            text=str(text) if text is not None else None,
            reply_key=reply.key if text is None and reply is not None else None,
            values=dict(data.get("rr_values") or {}) if text is None else None,
        )
    except relay_service.NotYourClientError:
        await turn.state.clear()
        await send(turn.bot, chat_id, Screen(sv.not_your_client(turn.t)))
        return
    await turn.state.clear()
    await send(turn.bot, chat_id, yv.scheduled(turn.t, client, stored.due_at, turn.policy.zone))


def staff_later_router() -> Router:
    router = staff_only_router("staff-later")

    @router.callback_query(LaterCb.filter(F.action == LaterAction.WRITE))
    async def write(callback: CallbackQuery, callback_data: LaterCb, turn: StaffTurn) -> None:
        try:
            client = await relay_service.client_of_site(
                turn.uow_factory, staff=turn.staff, client_id=callback_data.id
            )
        except relay_service.NotYourClientError:
            await callback.answer(sv.not_your_client(turn.t), show_alert=True)
            return
        await turn.state.set_state(StaffRelaySG.later_text)
        await turn.state.set_data({"r_client": client.id})
        await callback.answer()
        await send(turn.bot, callback.from_user.id, yv.write_later(turn.t, client))

    @router.message(StaffRelaySG.later_text, F.text, ~F.text.startswith("/"))
    async def written(message: Message, turn: StaffTurn) -> None:
        data = await turn.state.get_data()
        await turn.state.set_data({"r_client": data.get("r_client"), "l_text": message.text})
        await turn.state.set_state(StaffRelaySG.later_when)
        found = await later_service.choices(
            turn.uow_factory, turn.clock, turn.policy, staff=turn.staff
        )
        await answer(message, yv.when_later(turn.t, found, turn.policy.zone))

    @router.callback_query(
        StaffRelaySG.later_when, LaterCb.filter(F.action == LaterAction.TOMORROW)
    )
    async def tomorrow(callback: CallbackQuery, turn: StaffTurn) -> None:
        found = await later_service.choices(
            turn.uow_factory, turn.clock, turn.policy, staff=turn.staff
        )
        await callback.answer()
        await _schedule(turn, callback.from_user.id, found.tomorrow)

    @router.callback_query(StaffRelaySG.later_when, LaterCb.filter(F.action == LaterAction.HOURS))
    async def next_hours(callback: CallbackQuery, turn: StaffTurn) -> None:
        found = await later_service.choices(
            turn.uow_factory, turn.clock, turn.policy, staff=turn.staff
        )
        await callback.answer()
        await _schedule(turn, callback.from_user.id, found.next_hours or found.tomorrow)

    @router.callback_query(StaffRelaySG.later_when, LaterCb.filter(F.action == LaterAction.TYPE))
    async def type_it(callback: CallbackQuery, turn: StaffTurn) -> None:
        await turn.state.set_state(StaffRelaySG.later_typed)
        await callback.answer()
        await send(turn.bot, callback.from_user.id, yv.type_when(turn.t))

    @router.message(StaffRelaySG.later_typed, F.text, ~F.text.startswith("/"))
    async def typed(message: Message, turn: StaffTurn) -> None:
        due_at = typed_moment(message.text or "", turn.clock.now(), turn.policy.zone)
        if due_at is None:
            await message.answer(yv.bad_when(turn.t))
            return
        await _schedule(turn, message.chat.id, due_at)

    @router.message(StaffRelaySG.later_text, ~F.text.startswith("/"))
    @router.message(StaffRelaySG.later_typed, ~F.text.startswith("/"))
    async def not_text(message: Message, turn: StaffTurn) -> None:
        await message.answer(rv.text_only(turn.t))

    @router.callback_query(LaterCb.filter(F.action == LaterAction.LIST))
    async def pending(callback: CallbackQuery, turn: StaffTurn) -> None:
        answers = await later_service.pending(turn.uow_factory, staff=turn.staff)
        await callback.answer()
        await send(turn.bot, callback.from_user.id, yv.pending(turn.t, answers, turn.policy.zone))

    @router.callback_query(LaterCb.filter(F.action == LaterAction.CANCEL))
    async def cancel(callback: CallbackQuery, callback_data: LaterCb, turn: StaffTurn) -> None:
        done = await later_service.cancel(
            turn.uow_factory, turn.clock, staff=turn.staff, answer_id=callback_data.id
        )
        await callback.answer(
            yv.cancelled(turn.t) if done else yv.too_late(turn.t), show_alert=True
        )
        answers = await later_service.pending(turn.uow_factory, staff=turn.staff)
        await show(callback, turn.bot, yv.pending(turn.t, answers, turn.policy.zone))

    return router
