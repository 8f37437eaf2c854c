"""The waiting list, for the client: asking to be told when an earlier time frees up
(from "no free times" or "None of these times suit me" on the day and time steps), then
weekdays and part of day, then until when; leaving it from "My appointments"; and "Book
it" on an offered time. One handler per (state, action)."""

from __future__ import annotations

from typing import Any

from aiogram import F, Router
from aiogram.types import CallbackQuery

from bot.domain import DayPart, LifeArea, Mode
from bot.services import booking as booking_service
from bot.services import waitlist as waitlist_service
from handlers import views
from handlers.callbacks import WaitAction, WaitCb
from handlers.client import booking_views as bv
from handlers.client import waitlist_views as wv
from handlers.client.access import ClientTurn, Consented
from handlers.client.appointments import appointments_screen
from handlers.common import refuse_button, show
from handlers.notify import outcome_details, send_calendar_file, tell_case_manager
from handlers.states import WaitlistSG


def _action(action: WaitAction) -> Any:
    return WaitCb.filter(F.action == action)


def _topic_and_mode(value: str, data: dict[str, object]) -> tuple[str | None, str | None]:
    """From the button ("topic.mode") or, without one, from the booking under way."""
    topic, _, mode = value.partition(".")
    if not value:
        topic, mode = str(data.get("topic") or ""), str(data.get("mode") or "")
    topic_ok = topic if topic in {a.value for a in LifeArea} else None
    mode_ok = mode if mode in {m.value for m in Mode} else None
    return topic_ok, mode_ok


async def _show_when(callback: CallbackQuery, turn: ClientTurn) -> None:
    data = await turn.state.get_data()
    days = {int(d) for d in data.get("w_days", [])}
    part = DayPart(data.get("w_part", DayPart.ANY.value))
    await turn.state.set_state(WaitlistSG.when)
    await turn.show(callback, wv.when_picker(turn.t, days, part))


def waitlist_router() -> Router:
    router = Router(name="waitlist")
    router.callback_query.filter(Consented())

    @router.callback_query(_action(WaitAction.START))
    async def start(callback: CallbackQuery, callback_data: WaitCb, turn: ClientTurn) -> None:
        data = await turn.state.get_data()
        topic, mode = _topic_and_mode(callback_data.value, data)
        if topic is None:
            await refuse_button(callback, turn.bot, turn.t, views.main_menu(turn.t))
            return
        await turn.state.set_data(
            {"w_topic": topic, "w_mode": mode, "w_days": [], "w_site": data.get("site_id")}
        )
        if mode is None:
            await turn.state.set_state(WaitlistSG.mode)
            await turn.show(callback, wv.mode_picker(turn.t))
            return
        await _show_when(callback, turn)

    @router.callback_query(_action(WaitAction.MODE), WaitlistSG.mode)
    async def mode_chosen(callback: CallbackQuery, callback_data: WaitCb, turn: ClientTurn) -> None:
        if callback_data.value not in {m.value for m in Mode}:
            await refuse_button(callback, turn.bot, turn.t, views.main_menu(turn.t))
            return
        await turn.state.update_data(w_mode=callback_data.value)
        await _show_when(callback, turn)

    @router.callback_query(_action(WaitAction.DAY), WaitlistSG.when)
    async def day_toggled(callback: CallbackQuery, callback_data: WaitCb, turn: ClientTurn) -> None:
        days = set((await turn.state.get_data()).get("w_days", []))
        if callback_data.value not in {str(d) for d in range(7)}:
            await refuse_button(callback, turn.bot, turn.t, views.main_menu(turn.t))
            return
        days ^= {int(callback_data.value)}
        await turn.state.update_data(w_days=sorted(days))
        await _show_when(callback, turn)

    @router.callback_query(_action(WaitAction.PART), WaitlistSG.when)
    async def part_chosen(callback: CallbackQuery, callback_data: WaitCb, turn: ClientTurn) -> None:
        if callback_data.value not in {p.value for p in DayPart}:
            await refuse_button(callback, turn.bot, turn.t, views.main_menu(turn.t))
            return
        await turn.state.update_data(w_part=callback_data.value)
        await _show_when(callback, turn)

    @router.callback_query(_action(WaitAction.NEXT), WaitlistSG.when)
    async def when_done(callback: CallbackQuery, turn: ClientTurn) -> None:
        await turn.state.set_state(WaitlistSG.until)
        await turn.show(callback, wv.until_picker(turn.t))

    @router.callback_query(_action(WaitAction.UNTIL), WaitlistSG.until)
    async def until_chosen(
        callback: CallbackQuery, callback_data: WaitCb, turn: ClientTurn
    ) -> None:
        data = await turn.state.get_data()
        weeks = {str(w): w for w in waitlist_service.UNTIL_WEEKS}.get(callback_data.value)
        if weeks is None or not data.get("w_topic") or not data.get("w_mode"):
            await refuse_button(callback, turn.bot, turn.t, views.main_menu(turn.t))
            return
        try:
            wish = await waitlist_service.make_wish(
                turn.uow_factory,
                turn.clock,
                turn.policy,
                client_id=turn.client.id or 0,
                topic=LifeArea(data["w_topic"]),
                mode=Mode(data["w_mode"]),
                weeks=weeks,
                weekdays=[int(d) for d in data.get("w_days", [])],
                day_part=DayPart(data.get("w_part", DayPart.ANY.value)),
                site_id=data.get("w_site"),
            )
        except (booking_service.NoSiteError, booking_service.NotYoursError):
            await turn.state.clear()
            await refuse_button(callback, turn.bot, turn.t, views.main_menu(turn.t))
            return
        await turn.state.clear()
        await turn.show(callback, wv.wish_saved(turn.t, wish))

    @router.callback_query(_action(WaitAction.BACK), WaitlistSG.until)
    async def back_to_when(callback: CallbackQuery, turn: ClientTurn) -> None:
        await _show_when(callback, turn)

    @router.callback_query(_action(WaitAction.BACK), WaitlistSG.when)
    async def back_to_mode(callback: CallbackQuery, turn: ClientTurn) -> None:
        await turn.state.set_state(WaitlistSG.mode)
        await turn.show(callback, wv.mode_picker(turn.t))

    @router.callback_query(_action(WaitAction.BACK))
    async def back_to_menu(callback: CallbackQuery, turn: ClientTurn) -> None:
        # From the first step (or from no flow at all): the menu.
        await turn.state.clear()
        await turn.show(callback, views.main_menu(turn.t))

    @router.callback_query(_action(WaitAction.STOP))
    async def stop(callback: CallbackQuery, turn: ClientTurn) -> None:
        await turn.state.clear()
        await turn.show(callback, views.main_menu(turn.t, intro=bv.stopped(turn.t)))

    @router.callback_query(_action(WaitAction.LEAVE))
    async def leave(callback: CallbackQuery, callback_data: WaitCb, turn: ClientTurn) -> None:
        done = await waitlist_service.cancel_wish(
            turn.uow_factory, turn.clock, wish_id=callback_data.id, client_id=turn.client.id or 0
        )
        if not done:
            await refuse_button(callback, turn.bot, turn.t, views.main_menu(turn.t))
            return
        await callback.answer(wv.left(turn.t))
        await show(callback, turn.bot, await appointments_screen(turn))

    @router.callback_query(_action(WaitAction.TAKE))
    async def take(callback: CallbackQuery, callback_data: WaitCb, turn: ClientTurn) -> None:
        t, policy = turn.t, turn.policy
        try:
            outcome = await waitlist_service.take_offer(
                turn.uow_factory,
                turn.clock,
                policy,
                offer_id=callback_data.id,
                client_id=turn.client.id or 0,
            )
        except booking_service.SlotTakenError:
            await waitlist_service.offer_lost(turn.uow_factory, offer_id=callback_data.id)
            await turn.show(callback, wv.taken_by_other(t))
            return
        except booking_service.TooManyAppointmentsError:
            await turn.show(callback, bv.too_many(t, policy.max_open))
            return
        except (waitlist_service.OfferGoneError, booking_service.SlotUnavailableError):
            await turn.show(callback, wv.too_late(t))
            return
        except booking_service.NotYoursError:
            await refuse_button(callback, turn.bot, t, views.main_menu(t))
            return
        await turn.show(callback, bv.booked(t, outcome_details(t, outcome, policy)))
        await send_calendar_file(turn, t, outcome)
        await tell_case_manager(turn.bot, turn.catalogs, policy, outcome, "booked")

    return router
