"""The case manager's side of messages: replying to a relayed message (or the Answer
button) sends the answer back to the client, translated, with the original under it."""

from __future__ import annotations

import logging

from aiogram import F, Router
from aiogram.filters import StateFilter
from aiogram.types import CallbackQuery, Message

from bot.domain import Client
from bot.services import relay as relay_service
from bot.translation import Translation
from handlers import relay_views as rv
from handlers.callbacks import RelayAction, RelayCb
from handlers.common import send
from handlers.staff import ready_views as yv
from handlers.staff import views as sv
from handlers.staff.access import StaffTurn, staff_only_router
from handlers.states import OffersSG, StaffRelaySG

log = logging.getLogger("lotse.relay")


async def _client_answered(message: Message, turn: StaffTurn) -> int | None:
    """Whose message is answered: the relayed message replied to, else the client the
    Answer button chose (in the FSM data); None (and the staff member told) for a reply
    to anything else."""
    client_id = (await turn.state.get_data()).get("r_client")
    if message.reply_to_message is None:
        return int(client_id or 0)
    try:
        found = await relay_service.client_behind(
            turn.uow_factory,
            staff=turn.staff,
            staff_chat_id=message.chat.id,
            message_id=message.reply_to_message.message_id,
        )
    except relay_service.NotYourClientError:
        found = None
    if found is not None:
        return found.id or 0
    if client_id is None:
        await message.answer(rv.not_a_relayed_message(turn.t))
        return None
    return int(client_id)


async def _deliver(message: Message, turn: StaffTurn, client: Client, result: Translation) -> bool:
    """The answer to the client, in their language, with the original under it; False
    (and the staff member told) when it could not be delivered."""
    ct = turn.speaking(client.locale)
    try:
        parts = rv.answer(ct, message.text or "", result)
        for index, part in enumerate(parts):
            markup = rv.answer_buttons(ct) if index == len(parts) - 1 else None
            await turn.bot.send_message(client.chat_id, part, reply_markup=markup)
    except Exception as exc:  # noqa: BLE001 - blocked or gone: say so, keep the flow
        log.warning("answer not delivered", extra={"error": type(exc).__name__})
        await message.answer(sv.not_delivered(turn.t))
        return False
    return True


def staff_relay_router() -> Router:
    """The case manager's side: answers go back translated."""
    router = staff_only_router("staff-relay")

    @router.callback_query(RelayCb.filter(F.action == RelayAction.REPLY))
    async def answer_button(
        callback: CallbackQuery, callback_data: RelayCb, turn: StaffTurn
    ) -> None:
        try:
            client = await relay_service.client_of_site(
                turn.uow_factory, staff=turn.staff, client_id=callback_data.id
            )
        except relay_service.NotYourClientError:
            await callback.answer(sv.not_your_client(turn.t), show_alert=True)
            return
        await turn.state.set_state(StaffRelaySG.reply)
        await turn.state.set_data({"r_client": client.id})
        await callback.answer()
        translated = turn.translation.can_translate(turn.staff.locale, client.locale)
        prompt = yv.reply_prompt(turn.t, client, translated=translated)
        await send(turn.bot, callback.from_user.id, prompt)

    @router.message(StaffRelaySG.reply, F.text, ~F.text.startswith("/"))
    # Typed while looking at the ready-made replies: a typed answer after all.
    @router.message(StaffRelaySG.ready, F.text, ~F.text.startswith("/"))
    # A Telegram reply is an answer in any state the routers before left open (looking
    # up offers, the staff menu): it must not become a search.
    @router.message(OffersSG.browse, F.reply_to_message, F.text, ~F.text.startswith("/"))
    @router.message(StateFilter(None), F.reply_to_message, F.text, ~F.text.startswith("/"))
    async def staff_answers(message: Message, turn: StaffTurn) -> None:
        client_id = await _client_answered(message, turn)
        if client_id is None:
            return
        try:
            client, result = await relay_service.outbound(
                turn.uow_factory,
                turn.clock,
                turn.translation,
                staff=turn.staff,
                client_id=client_id,
                text=message.text or "",
            )
        except relay_service.NotYourClientError:
            await turn.state.clear()
            await message.answer(sv.not_your_client(turn.t))
            return
        if not await _deliver(message, turn, client, result):
            return
        await turn.state.clear()
        await relay_service.record(
            turn.uow_factory,
            turn.clock,
            turn.settings.RELAY_RETENTION,
            client_id=client.id or 0,
            staff_id=turn.staff.id,
            direction="out",
            staff_chat_id=message.chat.id,
            staff_message_ids=[message.message_id],
            client_message_id=None,
            text=message.text,
        )
        await message.answer(rv.reply_sent(turn.t, client, result))

    @router.message(StaffRelaySG.reply, ~F.text.startswith("/"))
    async def staff_answer_not_text(message: Message, turn: StaffTurn) -> None:
        await message.answer(rv.text_only(turn.t))

    return router
