"""/availability: a case manager sets weekly hours and days off by buttons.

Only the pressing staff member's own hours are touched (checked in the service).
"""

from __future__ import annotations

from datetime import date, time, timedelta

from aiogram import Bot, F, Router
from aiogram.filters import Command
from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery, Message

from bot.domain import Mode, Staff
from bot.i18n import Translator
from bot.ports import Clock, UnitOfWorkFactory
from bot.services import staff as staff_service
from bot.slots import BookingPolicy
from handlers.callbacks import AvailCb
from handlers.common import send, show
from handlers.staff import availability_views as av
from handlers.staff.access import IsStaff
from handlers.states import AvailabilitySG


def _hhmm(value: str) -> time | None:
    if len(value) != 4 or not value.isdigit():
        return None
    hour, minute = int(value[:2]), int(value[2:])
    if hour > 23 or minute not in (0, 30):
        return None
    return time(hour, minute)


async def _overview(uow_factory: UnitOfWorkFactory, t: Translator, staff: Staff) -> av.Screen:
    assert staff.id is not None
    return av.overview(t, await staff_service.hours_of(uow_factory, staff_id=staff.id))


def availability_router() -> Router:
    router = Router(name="availability")
    router.message.filter(F.chat.type == "private", IsStaff())
    router.callback_query.filter(IsStaff())

    @router.message(Command("availability"))
    async def availability_command(
        message: Message,
        state: FSMContext,
        staff: Staff,
        t: Translator,
        uow_factory: UnitOfWorkFactory,
    ) -> None:
        await state.clear()
        screen = await _overview(uow_factory, t, staff)
        await message.answer(screen.text, reply_markup=screen.markup)

    @router.callback_query(AvailCb.filter())
    async def availability_step(
        callback: CallbackQuery,
        callback_data: AvailCb,
        bot: Bot,
        state: FSMContext,
        staff: Staff,
        t: Translator,
        uow_factory: UnitOfWorkFactory,
        clock: Clock,
        policy: BookingPolicy,
    ) -> None:
        assert staff.id is not None
        action, value = callback_data.action, callback_data.value
        data = await state.get_data()
        if action == "list":
            await state.clear()
            await callback.answer()
            await show(callback, bot, await _overview(uow_factory, t, staff))
        elif action == "add":
            await state.set_state(AvailabilitySG.adding)
            await state.set_data({})
            await callback.answer()
            await show(callback, bot, av.pick_weekday(t))
        elif action == "day" and value in {str(i) for i in range(7)}:
            await state.set_state(AvailabilitySG.adding)
            await state.update_data(av_day=int(value))
            await callback.answer()
            await show(callback, bot, av.pick_start(t))
        elif action == "from" and _hhmm(value) and "av_day" in data:
            await state.update_data(av_from=value)
            await callback.answer()
            await show(callback, bot, av.pick_end(t, _hhmm(value)))  # type: ignore[arg-type]
        elif action == "to" and _hhmm(value) and data.get("av_from") and value > data["av_from"]:
            await state.update_data(av_to=value)
            await callback.answer()
            await show(callback, bot, av.pick_slot(t))
        elif (
            action == "slot"
            and value.isdigit()
            and int(value) in av.SLOT_LENGTHS
            and data.get("av_to")
        ):
            await state.update_data(av_slot=int(value))
            await callback.answer()
            await show(callback, bot, av.pick_mode(t))
        elif action == "mode" and value in {m.value for m in Mode} and data.get("av_slot"):
            await state.update_data(av_mode=value)
            await callback.answer()
            if value == Mode.IN_PERSON.value:
                await state.set_state(AvailabilitySG.address)
                windows = await staff_service.hours_of(uow_factory, staff_id=staff.id)
                last = next((w.address for w in reversed(windows) if w.address), None)
                await state.update_data(av_last_address=last)
                await show(callback, bot, av.ask_address(t, last))
                return
            await _save(callback.from_user.id, bot, state, staff, t, uow_factory, address=None)
        elif action == "addr" and data.get("av_last_address") and data.get("av_mode"):
            await callback.answer()
            await _save(
                callback.from_user.id,
                bot,
                state,
                staff,
                t,
                uow_factory,
                address=data["av_last_address"],
            )
        elif action == "rm" and value.isdigit():
            removed = await staff_service.remove_hours(
                uow_factory, staff_id=staff.id, hours_id=int(value)
            )
            await callback.answer(av.removed(t) if removed else None)
            await show(callback, bot, await _overview(uow_factory, t, staff))
        elif action in ("off", "offday"):
            today = clock.now().astimezone(policy.zone).date()
            if action == "offday":
                try:
                    day = date.fromisoformat(value)
                except ValueError:
                    day = None
                if day is None or not today <= day < today + timedelta(days=28):
                    await callback.answer()
                    return
                await staff_service.toggle_day_off(uow_factory, staff_id=staff.id, day=day)
            off = await staff_service.days_off_of(
                uow_factory, staff_id=staff.id, start=today, end=today + timedelta(days=28)
            )
            await callback.answer()
            await show(callback, bot, av.days_off(t, today, off))
        else:
            # An old button from an earlier round: start the hours again from the overview.
            await state.clear()
            await callback.answer()
            await show(callback, bot, await _overview(uow_factory, t, staff))

    @router.message(AvailabilitySG.address, F.text, ~F.text.startswith("/"))
    async def address_typed(
        message: Message,
        bot: Bot,
        state: FSMContext,
        staff: Staff,
        t: Translator,
        uow_factory: UnitOfWorkFactory,
    ) -> None:
        address = " ".join((message.text or "").split())
        if not 5 <= len(address) <= 200:
            await message.answer(av.address_invalid(t))
            return
        await _save(message.chat.id, bot, state, staff, t, uow_factory, address=address)

    return router


async def _save(
    chat_id: int,
    bot: Bot,
    state: FSMContext,
    staff: Staff,
    t: Translator,
    uow_factory: UnitOfWorkFactory,
    *,
    address: str | None,
) -> None:
    data = await state.get_data()
    await state.clear()
    try:
        window = await staff_service.add_hours(
            uow_factory,
            staff_id=staff.id,
            weekday=int(data["av_day"]),
            start=_hhmm(data["av_from"]),
            end=_hhmm(data["av_to"]),  # type: ignore[arg-type]
            slot_minutes=int(data["av_slot"]),
            mode=Mode(data["av_mode"]),
            address=address,
        )
    except (KeyError, staff_service.HoursError):
        await send(bot, chat_id, await _overview(uow_factory, t, staff))
        return
    await bot.send_message(chat_id, av.saved(t, window))
    await send(bot, chat_id, await _overview(uow_factory, t, staff))
