"""The booking state machine: its steps, shared by both entry points.

A client books for themself (handlers/client/booking.py, BookCb buttons) and a case
manager books for a client (handlers/staff/booking.py, ClientCb buttons): the same
states (BookingSG), the same data and the same step handlers below, registered on
both routers. What differs is the `booker` their router supplies: whose slots are
offered, which screens are drawn, and how a refusal looks. A move (MoveSG) is the
client's booker with other states. Every step re-reads the slots really offered now,
so an old or forged button cannot book anything that is not free.

A step takes the `booker`, which holds the turn its router's filter handed over (a
ClientTurn from Consented, a StaffTurn from IsStaff); the steps use only its bot, state
and clock (the Turn protocol). The phone step is answered by a message, which passes no
consent filter: its handlers take the update's plain Turn and check the client
themselves. A day, a time or a topic may be typed instead of tapped
(handlers/client/booking_typed.py): the booker's screens then come as a new message
below the typed one (`Where`).
"""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

from aiogram import Bot, Router
from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery, Message, ReplyKeyboardRemove

from bot.domain import Client, LifeArea, Mode, Slot
from bot.i18n import Translator
from bot.ports import Clock, UnitOfWorkFactory
from bot.services import booking as booking_service
from bot.services.arrival import sites_with_staff
from bot.services.onboarding import save_phone
from bot.slots import BookingPolicy, nearest_first
from handlers import labels
from handlers.client import booking_views as bv
from handlers.client.access import ClientTurn
from handlers.client.booker_protocol import Booker, StepCb, Where, put
from handlers.common import send, show
from handlers.states import BookingSG, MoveSG
from handlers.views import Screen


def parse_slot_value(value: str) -> tuple[int, datetime] | None:
    """(staff id, start) from a time button's value `staff.minutes-since-epoch`."""
    try:
        staff_text, minutes_text = value.split(".", 1)
        return int(staff_text), datetime.fromtimestamp(int(minutes_text) * 60, UTC)
    except (ValueError, OverflowError, OSError):
        return None


def typed_phone(text: str | None) -> str | None:
    """A phone number typed by hand ("0176 1234567", "+49 (176) 123-45-67"), or None (also
    for a message without text, such as a sticker)."""
    compact = re.sub(r"[\s()./-]", "", (text or "").strip())
    if re.fullmatch(r"\+?\d{6,15}", compact):
        return compact
    return None


@dataclass(frozen=True)
class BookingDesk:
    """The slots a client is offered now, as the booking steps need them (injected by the
    dispatcher as `desk`)."""

    uow_factory: UnitOfWorkFactory
    clock: Clock
    policy: BookingPolicy

    async def slots(self, client: Client, data: Mapping[str, Any]) -> list[Slot]:
        """Offered now for the chosen site and mode (a move: only its case manager's)."""
        mode = Mode(data["mode"]) if data.get("mode") else None
        slots = await booking_service.offered_slots(
            self.uow_factory,
            self.clock,
            self.policy,
            client_id=client.id or 0,
            site_id=data.get("site_id"),
            mode=mode,
            client=client,
        )
        mover = data.get("move_staff_id")
        return [s for s in slots if not mover or s.staff_id == mover]

    async def modes(self, client: Client, data: Mapping[str, Any]) -> list[Mode]:
        slots = await self.slots(client, {**data, "mode": None})
        return sorted({s.mode for s in slots}, key=list(Mode).index)

    async def days(self, client: Client, data: Mapping[str, Any]) -> list[date]:
        slots = await self.slots(client, data)
        return sorted({s.starts_at.astimezone(self.policy.zone).date() for s in slots})

    async def on_day(self, client: Client, data: Mapping[str, Any], day: str | None) -> list[Slot]:
        zone = self.policy.zone
        return [
            s
            for s in await self.slots(client, data)
            if s.starts_at.astimezone(zone).date().isoformat() == day
        ]

    def summary(self, t: Translator, data: Mapping[str, Any], slot: Slot) -> Screen:
        zone = self.policy.zone
        body = labels.planned_details(
            t, slot, topic=data["topic"], interpreter=data.get("interpreter"), zone=zone
        )
        return bv.summary(t, body)


async def show_topics_or_site(callback: CallbackQuery, turn: ClientTurn) -> None:
    """The first step: the site (for a client who has none yet), else the topic."""
    await show(callback, turn.bot, await first_booking_step(turn))


async def first_booking_step(turn: ClientTurn) -> Screen:
    """A booking begins (from the menu, or typed): the state set to its first step, the
    site (for a client who has none yet), else the topic."""
    state, client = turn.state, turn.client
    await state.set_state(BookingSG.topic)
    await state.set_data({})
    sites = []
    if client.case_manager_id is None and client.site_id is None:
        sites = await sites_with_staff(turn.uow_factory)
    if sites:
        await state.set_state(BookingSG.site)
        return bv.site_picker(turn.t, sites)
    return bv.topic_picker(turn.t)


async def modes_or_none(where: Where, turn: ClientTurn, modes: list[Mode]) -> None:
    """How to meet, or 'no free times' (the flow ends) when nothing is offered."""
    if not modes:
        topic = (await turn.state.get_data()).get("topic") or ""
        await turn.state.clear()
        # No time at all: the client may ask to be told when one frees up.
        screen = bv.no_slots(turn.t, turn.policy.horizon_days, wish_value=f"{topic}.")
        await put(where, turn.bot, screen)
        return
    await turn.state.set_state(BookingSG.mode)
    await put(where, turn.bot, bv.mode_picker(turn.t, modes))


async def days_screen(
    state: FSMContext,
    client: Client,
    t: Translator,
    desk: BookingDesk,
    *,
    moving: bool = False,
    intro: str | None = None,
) -> Screen:
    """The day step's screen (the state set to match; `intro`: a line above it), or 'no
    free times' (the flow ends)."""
    data = await state.get_data()
    days = await desk.days(client, data)
    if not days:
        await state.clear()
        wish = None if moving else f"{data.get('topic') or ''}.{data.get('mode') or ''}"
        return bv.no_slots(t, desk.policy.horizon_days, wish_value=wish)
    await state.set_state(MoveSG.day if moving else BookingSG.day)
    screen = bv.day_picker(t, days, desk.policy.zone, wish=not moving)
    return Screen(f"{intro}\n\n{screen.text}", screen.markup) if intro else screen


async def show_days(
    where: Where,
    turn: ClientTurn,
    desk: BookingDesk,
    *,
    moving: bool = False,
    intro: str | None = None,
) -> None:
    """The day step (`intro`: a line above it), or 'no free times'."""
    screen = await days_screen(turn.state, turn.client, turn.t, desk, moving=moving, intro=intro)
    await put(where, turn.bot, screen)


async def phone_given(
    message: Message,
    bot: Bot,
    state: FSMContext,
    client: Client,
    t: Translator,
    desk: BookingDesk,
    phone: str,
) -> None:
    """Store the number (shared or typed), then on to the day step."""
    assert message.from_user is not None
    await save_phone(desk.uow_factory, telegram_user_id=message.from_user.id, phone=phone)
    await message.answer(bv.phone_saved(t), reply_markup=ReplyKeyboardRemove())
    await send(bot, message.chat.id, await days_screen(state, client, t, desk))


def slot_named(slots: list[Slot], value: str | None) -> Slot | None:
    parsed = parse_slot_value(value or "")
    return next((s for s in slots if (s.staff_id, s.starts_at) == parsed), None)


def modes_of(slots: list[Slot]) -> list[Mode]:
    return sorted({s.mode for s in slots}, key=list(Mode).index)


async def topic_step(callback: CallbackQuery, callback_data: StepCb, booker: Booker) -> None:
    """A topic (life area) pressed: how to meet, from the slots offered for it."""
    state = booker.turn.state
    if callback_data.value not in {a.value for a in LifeArea}:
        await booker.refuse(callback)
        return
    await state.update_data(topic=callback_data.value, mode=None)
    modes = modes_of(await booker.slots(await state.get_data()))
    await callback.answer()
    await booker.show_modes(callback, modes)


async def mode_step(callback: CallbackQuery, callback_data: StepCb, booker: Booker) -> None:
    """How to meet pressed: the days (a phone appointment may ask for the number first)."""
    state = booker.turn.state
    value = callback_data.value
    if value not in {m.value for m in Mode} or not (await state.get_data()).get("topic"):
        await booker.refuse(callback)
        return
    await state.update_data(mode=value)
    await callback.answer()
    if await booker.asks_phone(callback, Mode(value)):
        return
    await booker.show_days(callback)


async def day_step(callback: CallbackQuery, callback_data: StepCb, booker: Booker) -> None:
    """A day pressed: its times, if it still has any."""
    state = booker.turn.state
    try:
        date.fromisoformat(callback_data.value)
    except ValueError:
        await booker.refuse(callback)
        return
    data = await state.get_data()
    slots = [
        s
        for s in await booker.slots(data)
        if s.starts_at.astimezone(booker.zone).date().isoformat() == callback_data.value
    ]
    if not slots or not data.get("mode"):
        await booker.not_offered(callback)
        return
    await state.update_data(day=callback_data.value)
    await state.set_state(booker.time_state)
    await callback.answer()
    await booker.show_times(callback, slots)


async def chosen_time(
    callback: CallbackQuery, callback_data: StepCb, booker: Booker
) -> Slot | None:
    """A time pressed: the slot, kept in the data and the button answered; None (and
    the booker's 'not offered') when it is not offered any more."""
    state = booker.turn.state
    data = await state.get_data()
    slot = slot_named(await booker.slots(data), callback_data.value)
    if slot is None or not data.get("mode"):
        await booker.not_offered(callback)
        return None
    await state.update_data(slot=callback_data.value)
    await callback.answer()
    return slot


async def time_step(callback: CallbackQuery, callback_data: StepCb, booker: Booker) -> None:
    """A time pressed while booking: the interpreter question."""
    if await chosen_time(callback, callback_data, booker) is None:
        return
    await booker.turn.state.set_state(BookingSG.interpreter)
    await booker.ask_interpreter(callback)


async def interpreter_step(callback: CallbackQuery, callback_data: StepCb, booker: Booker) -> None:
    """Interpreter yes or no: the summary, if the time is still free."""
    state = booker.turn.state
    data = await state.get_data()
    chosen = parse_slot_value(data.get("slot") or "")
    if callback_data.value not in ("yes", "no") or chosen is None:
        await booker.refuse(callback)
        return
    data["interpreter"] = booker.interpreter_language() if callback_data.value == "yes" else None
    await state.update_data(interpreter=data["interpreter"])
    offered = await booker.slots(data)
    slot = slot_named(offered, data["slot"])
    await callback.answer()
    if slot is None:
        wanted = chosen[1]
        await booker.slot_gone(callback, nearest_first(offered, wanted), wanted)
        return
    await state.set_state(BookingSG.summary)
    await booker.show_summary(callback, data, slot)


async def confirm_step(callback: CallbackQuery, booker: Booker) -> None:
    """'Book this appointment': the database decides."""
    data = await booker.turn.state.get_data()
    chosen = parse_slot_value(data.get("slot") or "")
    if chosen is None or not data.get("topic"):
        await booker.refuse(callback)
        return
    await booker.confirm(callback, data, chosen)


#: The steps' handlers by their buttons' action (the same in BookStep and ClientAction);
#: both entry points register these.
STEPS: tuple[tuple[str, Callable[..., Awaitable[Any]]], ...] = (
    ("topic", topic_step),
    ("mode", mode_step),
    ("day", day_step),
    ("time", time_step),
    ("interp", interpreter_step),
    ("confirm", confirm_step),
)


def register_steps(router: Router, button: Callable[[str], Any], *filters: Any) -> None:
    """Register the booking steps on an entry point's router: `button(action)` is that
    entry point's filter for a step's button (BookCb.step or ClientCb.action)."""
    for action, step in STEPS:
        router.callback_query.register(step, button(action), *filters)
