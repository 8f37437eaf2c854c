"""Shared steps of booking and moving: slots offered now, days, the first screens, the
phone number."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime
from typing import Any

from aiogram import Bot
from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery, Message, ReplyKeyboardRemove

from bot.domain import Client, Mode, Slot
from bot.i18n import Translator
from bot.ports import UnitOfWorkFactory
from bot.services import booking as booking_service
from bot.services.arrival import sites_with_staff
from bot.services.onboarding import save_phone
from bot.slots import BookingPolicy
from handlers.client import booking_views as bv
from handlers.common import send, show
from handlers.states import BookingSG

Deps = dict[str, Any]


def parse_slot_value(value: str) -> tuple[int, datetime] | None:
    try:
        staff_text, minutes_text = value.split(".", 1)
        return int(staff_text), datetime.fromtimestamp(int(minutes_text) * 60, UTC)
    except (ValueError, OverflowError, OSError):
        return None


async def slots_now(deps: Deps, client: Client, data: dict[str, Any]) -> list[Slot]:
    mode = Mode(data["mode"]) if data.get("mode") else None
    slots = await booking_service.offered_slots(
        deps["uow_factory"],
        deps["clock"],
        deps["policy"],
        client_id=client.id or 0,
        site_id=data.get("site_id"),
        mode=mode,
        client=client,
    )
    if data.get("move_staff_id"):
        slots = [s for s in slots if s.staff_id == data["move_staff_id"]]
    return slots


def days_of(slots: list[Slot], policy: BookingPolicy) -> list[date]:
    return sorted({s.starts_at.astimezone(policy.zone).date() for s in slots})


async def show_topics_or_site(
    callback: CallbackQuery,
    bot: Bot,
    state: FSMContext,
    client: Client,
    t: Translator,
    uow_factory: UnitOfWorkFactory,
) -> None:
    await state.set_state(BookingSG.topic)
    await state.set_data({})
    if client.case_manager_id is None and client.site_id is None:
        sites = await sites_with_staff(uow_factory)
        if sites:
            await state.set_state(BookingSG.site)
            await show(callback, bot, bv.site_picker(t, sites))
            return
    await show(callback, bot, bv.topic_picker(t))


async def show_days(
    callback: CallbackQuery, bot: Bot, state: FSMContext, client: Client, t: Translator, deps: Deps
) -> None:
    data = await state.get_data()
    days = days_of(await slots_now(deps, client, data), deps["policy"])
    if not days:
        await state.clear()
        await show(callback, bot, bv.no_slots(t, deps["policy"].horizon_days))
        return
    await state.set_state(BookingSG.day)
    await show(callback, bot, bv.day_picker(t, days, deps["policy"].zone))


def typed_phone(text: str) -> str | None:
    """A phone number typed by hand ("0176 1234567", "+49 (176) 123-45-67"), or None."""
    compact = re.sub(r"[\s()./-]", "", text.strip())
    if re.fullmatch(r"\+?\d{6,15}", compact):
        return compact
    return None


async def phone_given(
    message: Message,
    bot: Bot,
    state: FSMContext,
    client: Client,
    t: Translator,
    deps: Deps,
    phone: str,
) -> None:
    assert message.from_user is not None
    await save_phone(deps["uow_factory"], telegram_user_id=message.from_user.id, phone=phone)
    await message.answer(bv.phone_saved(t), reply_markup=ReplyKeyboardRemove())
    data = await state.get_data()
    policy: BookingPolicy = deps["policy"]
    days = days_of(await slots_now(deps, client, data), policy)
    if not days:
        await state.clear()
        screen = bv.no_slots(t, policy.horizon_days)
    else:
        await state.set_state(BookingSG.day)
        screen = bv.day_picker(t, days, policy.zone)
    await send(bot, message.chat.id, screen)
