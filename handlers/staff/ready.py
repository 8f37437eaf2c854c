"""Ready-made replies (issue 23, item 2): from the Answer button's prompt the case manager
picks a short everyday answer, fills its day, time or place by buttons, sees it in their
own language, and sends it now or later. The client reads it in their language as people
translated it (the catalogs, context "ready reply"); no machine translation is asked."""

from __future__ import annotations

import logging
from typing import Any

from aiogram import F, Router
from aiogram.types import CallbackQuery

from bot.domain import Client
from bot.ready_replies import ReadyReply, missing
from bot.services import later as later_service
from bot.services import ready_replies as ready_service
from bot.services import relay as relay_service
from handlers import relay_views as rv
from handlers.callbacks import ReadyAction, ReadyCb
from handlers.common import send
from handlers.staff import ready_views as yv
from handlers.staff import views as sv
from handlers.staff.access import StaffTurn, staff_only_router
from handlers.states import StaffRelaySG
from handlers.views import Screen

log = logging.getLogger("lotse.relay")


async def _client(callback: CallbackQuery, turn: StaffTurn, client_id: int) -> Client | None:
    try:
        return await relay_service.client_of_site(
            turn.uow_factory, staff=turn.staff, client_id=client_id
        )
    except relay_service.NotYourClientError:
        await callback.answer(sv.not_your_client(turn.t), show_alert=True)
        return None


async def _chosen(
    turn: StaffTurn, client_id: int
) -> tuple[ReadyReply | None, dict[str, str], dict[str, Any]]:
    """The reply being filled for `client_id` (a button's client); None when the
    conversation is about another client now (an old button of an earlier reply)."""
    data = await turn.state.get_data()
    if data.get("r_client") != client_id:
        return None, {}, data
    reply = await ready_service.find(
        turn.uow_factory, site_id=turn.staff.site_id, key=str(data.get("rr_key") or "")
    )
    return reply, dict(data.get("rr_values") or {}), data


async def _next_screen(
    turn: StaffTurn, client: Client, reply: ReadyReply, values: dict[str, str]
) -> Screen:
    """The button screen of the next placeholder to fill, else the preview."""
    ident = client.id or 0
    today = turn.clock.now().astimezone(turn.policy.zone).date()
    addresses = await relay_service.addresses_of(turn.uow_factory, staff=turn.staff)
    screens = {
        "day": lambda: yv.choose_day(turn.t, ident, today, turn.policy.zone),
        "time": lambda: yv.choose_time(turn.t, ident),
        "place": lambda: yv.choose_place(turn.t, ident, addresses),
    }
    gap = missing(reply, values)
    make = screens.get(
        gap or "", lambda: yv.preview(turn.t, client, reply, values, turn.policy.zone)
    )
    return make()


async def _fill(
    callback: CallbackQuery, turn: StaffTurn, client_id: int, name: str, value: str
) -> None:
    """One placeholder chosen by its button: keep it, show the next step."""
    client = await _client(callback, turn, client_id)
    reply, values, data = await _chosen(turn, client_id)
    if client is None or reply is None:
        await callback.answer(yv.nothing_to_send(turn.t), show_alert=True)
        return
    values[name] = value
    await turn.state.set_data({**data, "rr_values": values})
    await turn.show(callback, await _next_screen(turn, client, reply, values))


def staff_ready_router() -> Router:
    router = staff_only_router("staff-ready")

    @router.callback_query(ReadyCb.filter(F.action == ReadyAction.LIST))
    async def ready_list(callback: CallbackQuery, callback_data: ReadyCb, turn: StaffTurn) -> None:
        client = await _client(callback, turn, callback_data.id)
        if client is None:
            return
        await turn.state.set_state(StaffRelaySG.ready)
        await turn.state.set_data({"r_client": client.id})
        replies = await ready_service.offered(
            turn.uow_factory, site_id=turn.staff.site_id, locale=client.locale
        )
        await turn.show(callback, yv.ready_list(turn.t, client, replies, turn.policy.zone))

    @router.callback_query(ReadyCb.filter(F.action == ReadyAction.PICK))
    async def pick(callback: CallbackQuery, callback_data: ReadyCb, turn: StaffTurn) -> None:
        client = await _client(callback, turn, callback_data.id)
        reply = await ready_service.find(
            turn.uow_factory, site_id=turn.staff.site_id, key=callback_data.value
        )
        if client is None or reply is None or not reply.speaks(client.locale):
            await callback.answer(yv.nothing_to_send(turn.t), show_alert=True)
            return
        await turn.state.set_state(StaffRelaySG.ready)
        await turn.state.set_data({"r_client": client.id, "rr_key": reply.key, "rr_values": {}})
        await turn.show(callback, await _next_screen(turn, client, reply, {}))

    @router.callback_query(StaffRelaySG.ready, ReadyCb.filter(F.action == ReadyAction.DAY))
    async def day(callback: CallbackQuery, callback_data: ReadyCb, turn: StaffTurn) -> None:
        await _fill(callback, turn, callback_data.id, "day", callback_data.value)

    @router.callback_query(StaffRelaySG.ready, ReadyCb.filter(F.action == ReadyAction.TIME))
    async def clock_time(callback: CallbackQuery, callback_data: ReadyCb, turn: StaffTurn) -> None:
        value = callback_data.value
        await _fill(callback, turn, callback_data.id, "time", f"{value[:2]}:{value[2:]}")

    @router.callback_query(StaffRelaySG.ready, ReadyCb.filter(F.action == ReadyAction.PLACE))
    async def place(callback: CallbackQuery, callback_data: ReadyCb, turn: StaffTurn) -> None:
        addresses = await relay_service.addresses_of(turn.uow_factory, staff=turn.staff)
        index = int(callback_data.value) if callback_data.value.isdigit() else len(addresses)
        if index >= len(addresses):
            await callback.answer(yv.nothing_to_send(turn.t), show_alert=True)
            return
        await _fill(callback, turn, callback_data.id, "place", addresses[index])

    @router.callback_query(StaffRelaySG.ready, ReadyCb.filter(F.action == ReadyAction.SEND))
    async def send_now(callback: CallbackQuery, callback_data: ReadyCb, turn: StaffTurn) -> None:
        reply, values, _data = await _chosen(turn, callback_data.id)
        if reply is None or missing(reply, values) is not None:
            await callback.answer(yv.nothing_to_send(turn.t), show_alert=True)
            return
        try:
            client = await relay_service.fixed_outbound(
                turn.uow_factory, turn.clock, staff=turn.staff, client_id=callback_data.id
            )
        except relay_service.NotYourClientError:
            await callback.answer(sv.not_your_client(turn.t), show_alert=True)
            return
        if not reply.speaks(client.locale):  # the client changed language meanwhile
            await callback.answer(yv.nothing_to_send(turn.t), show_alert=True)
            return
        ct = turn.speaking(client.locale)
        text = rv.ready_answer(ct, rv.ready_text(ct, reply, values, turn.policy.zone))
        await callback.answer()
        try:
            sent = await turn.bot.send_message(
                client.chat_id, text, reply_markup=rv.answer_buttons(ct)
            )
        except Exception as exc:  # noqa: BLE001 - blocked or gone: say so, keep the flow
            log.warning("answer not delivered", extra={"error": type(exc).__name__})
            await send(turn.bot, callback.from_user.id, Screen(sv.not_delivered(turn.t)))
            return
        await turn.state.clear()
        await relay_service.record(
            turn.uow_factory,
            turn.clock,
            turn.settings.RELAY_RETENTION,
            client_id=client.id or 0,
            staff_id=turn.staff.id,
            direction="out",
            staff_chat_id=None,
            staff_message_ids=[],
            client_message_id=sent.message_id,
            text=rv.ready_text(turn.t, reply, values, turn.policy.zone),
        )
        await turn.show(callback, Screen(yv.ready_sent(turn.t, client)))

    @router.callback_query(StaffRelaySG.ready, ReadyCb.filter(F.action == ReadyAction.LATER))
    async def send_later(callback: CallbackQuery, callback_data: ReadyCb, turn: StaffTurn) -> None:
        reply, values, _data = await _chosen(turn, callback_data.id)
        if reply is None or missing(reply, values) is not None:
            await callback.answer(yv.nothing_to_send(turn.t), show_alert=True)
            return
        await turn.state.set_state(StaffRelaySG.later_when)
        found = await later_service.choices(
            turn.uow_factory, turn.clock, turn.policy, staff=turn.staff
        )
        await turn.show(callback, yv.when_later(turn.t, found, turn.policy.zone))

    return router
