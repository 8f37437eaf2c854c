"""What the booking steps share: the slots offered now, and the screens that open a step.

Booking and moving run through the same steps; a move is told apart by its states
(MoveSG), never by a branch in a handler. Every step re-reads the slots really offered
now, so an old or forged button cannot book anything that is not free.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

from aiogram import Bot
from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery, Message, ReplyKeyboardRemove

from bot.domain import Client, LifeArea, Mode, Slot
from bot.i18n import Translator
from bot.ports import Clock, UnitOfWorkFactory
from bot.services import booking as booking_service
from bot.services.arrival import sites_with_staff
from bot.services.onboarding import save_phone
from bot.slots import BookingPolicy
from handlers import views
from handlers.callbacks import BookCb
from handlers.client import booking_views as bv
from handlers.common import refuse_button, send, show
from handlers.states import BookingSG, MoveSG
from handlers.views import Screen


def parse_slot_value(value: str) -> tuple[int, datetime] | None:
    """(staff id, start) from a time button's value `staff.minutes-since-epoch`."""
    try:
        staff_text, minutes_text = value.split(".", 1)
        return int(staff_text), datetime.fromtimestamp(int(minutes_text) * 60, UTC)
    except (ValueError, OverflowError, OSError):
        return None


def typed_phone(text: str) -> str | None:
    """A phone number typed by hand ("0176 1234567", "+49 (176) 123-45-67"), or None."""
    compact = re.sub(r"[\s()./-]", "", text.strip())
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

    async def chosen(self, client: Client, data: Mapping[str, Any], value: str) -> Slot | None:
        """The slot a time button names, if it is still offered."""
        parsed = parse_slot_value(value)
        return next(
            (s for s in await self.slots(client, data) if (s.staff_id, s.starts_at) == parsed),
            None,
        )

    def summary(self, t: Translator, data: Mapping[str, Any], slot: Slot) -> Screen:
        body = bv.details(
            t,
            topic=LifeArea(data["topic"]),
            starts_at=slot.starts_at,
            mode=slot.mode,
            address=slot.address,
            interpreter=data.get("interpreter"),
            zone=self.policy.zone,
        )
        return bv.summary(t, body)


async def show_topics_or_site(
    callback: CallbackQuery,
    bot: Bot,
    state: FSMContext,
    client: Client,
    t: Translator,
    uow_factory: UnitOfWorkFactory,
) -> None:
    """The first step: the site (for a client who has none yet), else the topic."""
    await state.set_state(BookingSG.topic)
    await state.set_data({})
    sites = []
    if client.case_manager_id is None and client.site_id is None:
        sites = await sites_with_staff(uow_factory)
    if sites:
        await state.set_state(BookingSG.site)
        await show(callback, bot, bv.site_picker(t, sites))
        return
    await show(callback, bot, bv.topic_picker(t))


async def modes_or_none(
    callback: CallbackQuery,
    bot: Bot,
    state: FSMContext,
    modes: list[Mode],
    t: Translator,
    desk: BookingDesk,
) -> None:
    """How to meet, or 'no free times' (the flow ends) when nothing is offered."""
    if not modes:
        await state.clear()
        await show(callback, bot, bv.no_slots(t, desk.policy.horizon_days))
        return
    await state.set_state(BookingSG.mode)
    await show(callback, bot, bv.mode_picker(t, modes))


async def days_screen(
    state: FSMContext, client: Client, t: Translator, desk: BookingDesk, *, moving: bool = False
) -> Screen:
    """The day step's screen (the state set to match), or 'no free times' (flow ends)."""
    days = await desk.days(client, await state.get_data())
    if not days:
        await state.clear()
        return bv.no_slots(t, desk.policy.horizon_days)
    await state.set_state(MoveSG.day if moving else BookingSG.day)
    return bv.day_picker(t, days, desk.policy.zone)


async def show_days(
    callback: CallbackQuery,
    bot: Bot,
    state: FSMContext,
    client: Client,
    t: Translator,
    desk: BookingDesk,
    *,
    moving: bool = False,
) -> None:
    await show(callback, bot, await days_screen(state, client, t, desk, moving=moving))


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


async def pick_day(
    callback: CallbackQuery,
    callback_data: BookCb,
    bot: Bot,
    state: FSMContext,
    client: Client,
    t: Translator,
    desk: BookingDesk,
    *,
    moving: bool,
) -> None:
    """The day step of booking and of moving: its times, or the days again."""
    try:
        date.fromisoformat(callback_data.value)
    except ValueError:
        await refuse_button(callback, bot, t, views.main_menu(t))
        return
    data = await state.get_data()
    slots = await desk.on_day(client, data, callback_data.value)
    if not slots or not data.get("mode"):
        await callback.answer(bv.not_bookable(t), show_alert=True)
        await show_days(callback, bot, state, client, t, desk, moving=moving)
        return
    await state.update_data(day=callback_data.value)
    await state.set_state(MoveSG.time if moving else BookingSG.time)
    await callback.answer()
    await show(callback, bot, bv.time_picker(t, slots, desk.policy.zone))


async def chosen_time(
    callback: CallbackQuery,
    callback_data: BookCb,
    bot: Bot,
    state: FSMContext,
    client: Client,
    t: Translator,
    desk: BookingDesk,
    *,
    moving: bool,
) -> Slot | None:
    """The time step of booking and of moving: the chosen slot, kept in the data and the
    button answered; None (and the days again) when it is not offered any more."""
    data = await state.get_data()
    slot = await desk.chosen(client, data, callback_data.value)
    if slot is None or not data.get("mode"):
        await callback.answer(bv.not_bookable(t), show_alert=True)
        await show_days(callback, bot, state, client, t, desk, moving=moving)
        return None
    await state.update_data(slot=callback_data.value)
    await callback.answer()
    return slot
