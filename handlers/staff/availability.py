"""/availability: a case manager sets weekly hours and days off by buttons.

Only the pressing staff member's own hours are touched (checked in the service).

Adding hours goes weekday, start, end, slot length, mode (and for in-person hours the
address), one AvailabilitySG state per step. A choice can be made again from an older
message once its step was reached: that changes the choice and keeps the step reached.
Any other button out of order starts again from the overview (the handler registered last).
"""

from __future__ import annotations

from datetime import date, time, timedelta
from typing import Any

from aiogram import Bot, F, Router
from aiogram.filters import Command, StateFilter
from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery, Message

from bot.domain import Mode, Staff
from bot.i18n import Translator
from bot.ports import Clock, UnitOfWorkFactory
from bot.services import staff as staff_service
from bot.slots import BookingPolicy
from handlers.callbacks import AvailAction, AvailCb
from handlers.common import send, show
from handlers.staff import availability_views as av
from handlers.staff.access import IsStaff
from handlers.states import AvailabilitySG as S
from handlers.views import Screen

DAYS_OFF_AHEAD = 28

# The steps from which a choice can be made (again), by what the FSM data holds by then.
START_CHOSEN = StateFilter(S.end, S.slot, S.mode, S.address, S.in_person)  # av_from
END_CHOSEN = StateFilter(S.slot, S.mode, S.address, S.in_person)  # av_to
SLOT_CHOSEN = StateFilter(S.mode, S.address, S.in_person)  # av_slot
IN_PERSON_CHOSEN = StateFilter(S.address, S.in_person)  # av_mode, av_last_address
# The steps a weekday picked again keeps (av_day in the data; from address see address_left).
KEEPS_STEP_ON_DAY = StateFilter(S.start, S.end, S.slot, S.mode, S.in_person)


def _hhmm(value: str) -> time | None:
    if len(value) != 4 or not value.isdigit():
        return None
    hour, minute = int(value[:2]), int(value[2:])
    if hour > 23 or minute not in (0, 30):
        return None
    return time(hour, minute)


def _slot_length(value: str) -> bool:
    return value.isdigit() and int(value) in av.SLOT_LENGTHS


# The buttons with a well-formed value; others fall through to the last handler.
WEEKDAY = AvailCb.filter((F.action == AvailAction.DAY) & F.value.in_({str(i) for i in range(7)}))
START = AvailCb.filter((F.action == AvailAction.FROM) & F.value.func(_hhmm))
END = AvailCb.filter((F.action == AvailAction.TO) & F.value.func(_hhmm))
SLOT = AvailCb.filter((F.action == AvailAction.SLOT) & F.value.func(_slot_length))
IN_PERSON = AvailCb.filter((F.action == AvailAction.MODE) & (F.value == Mode.IN_PERSON.value))
REMOTE = AvailCb.filter(
    (F.action == AvailAction.MODE) & F.value.in_({m.value for m in Mode if m is not Mode.IN_PERSON})
)


async def _after_the_start(_: CallbackQuery, callback_data: AvailCb, state: FSMContext) -> bool:
    """An end time after the start time chosen."""
    start = (await state.get_data()).get("av_from")
    return isinstance(start, str) and callback_data.value > start


async def _address_known(_: CallbackQuery, state: FSMContext) -> bool:
    """An address of earlier hours to use again."""
    return bool((await state.get_data()).get("av_last_address"))


async def _overview(uow_factory: UnitOfWorkFactory, t: Translator, staff: Staff) -> Screen:
    assert staff.id is not None
    return av.overview(t, await staff_service.hours_of(uow_factory, staff_id=staff.id))


async def _chosen(
    callback: CallbackQuery, bot: Bot, state: FSMContext, screen: Screen, **choice: Any
) -> None:
    """A choice kept in the FSM data; the next question on the same message."""
    await state.update_data(**choice)
    await callback.answer()
    await show(callback, bot, screen)


async def _weekday(
    callback: CallbackQuery, callback_data: AvailCb, bot: Bot, state: FSMContext, t: Translator
) -> None:
    await _chosen(callback, bot, state, av.pick_start(t), av_day=int(callback_data.value))


async def _start(
    callback: CallbackQuery, callback_data: AvailCb, bot: Bot, state: FSMContext, t: Translator
) -> None:
    start = _hhmm(callback_data.value)
    assert start is not None  # the filter START checked it
    await _chosen(callback, bot, state, av.pick_end(t, start), av_from=callback_data.value)


async def _end(
    callback: CallbackQuery, callback_data: AvailCb, bot: Bot, state: FSMContext, t: Translator
) -> None:
    await _chosen(callback, bot, state, av.pick_slot(t), av_to=callback_data.value)


async def _slot(
    callback: CallbackQuery, callback_data: AvailCb, bot: Bot, state: FSMContext, t: Translator
) -> None:
    await _chosen(callback, bot, state, av.pick_mode(t), av_slot=int(callback_data.value))


async def _days_off(
    callback: CallbackQuery,
    bot: Bot,
    staff: Staff,
    t: Translator,
    uow_factory: UnitOfWorkFactory,
    today: date,
) -> None:
    assert staff.id is not None
    off = await staff_service.days_off_of(
        uow_factory, staff_id=staff.id, start=today, end=today + timedelta(days=DAYS_OFF_AHEAD)
    )
    await callback.answer()
    await show(callback, bot, av.days_off(t, today, off))


def _day_off(value: str, today: date) -> date | None:
    """The day of a days-off button, if it is one of the days shown from today."""
    try:
        day = date.fromisoformat(value)
    except ValueError:
        return None
    return day if today <= day < today + timedelta(days=DAYS_OFF_AHEAD) else None


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

    @router.callback_query(AvailCb.filter(F.action == AvailAction.ADD))
    async def add(callback: CallbackQuery, bot: Bot, state: FSMContext, t: Translator) -> None:
        await state.set_state(S.adding)
        await state.set_data({})
        await callback.answer()
        await show(callback, bot, av.pick_weekday(t))

    @router.callback_query(KEEPS_STEP_ON_DAY, WEEKDAY)
    async def weekday_again(
        callback: CallbackQuery, callback_data: AvailCb, bot: Bot, state: FSMContext, t: Translator
    ) -> None:
        await _weekday(callback, callback_data, bot, state, t)

    @router.callback_query(S.address, WEEKDAY)
    async def address_left(
        callback: CallbackQuery, callback_data: AvailCb, bot: Bot, state: FSMContext, t: Translator
    ) -> None:
        """A weekday again while the address was asked: the choices stay, typed text is no
        longer taken for the address."""
        await state.set_state(S.in_person)
        await _weekday(callback, callback_data, bot, state, t)

    @router.callback_query(WEEKDAY)
    async def weekday(
        callback: CallbackQuery, callback_data: AvailCb, bot: Bot, state: FSMContext, t: Translator
    ) -> None:
        await state.set_state(S.start)
        await _weekday(callback, callback_data, bot, state, t)

    @router.callback_query(S.start, START)
    async def start(
        callback: CallbackQuery, callback_data: AvailCb, bot: Bot, state: FSMContext, t: Translator
    ) -> None:
        await state.set_state(S.end)
        await _start(callback, callback_data, bot, state, t)

    @router.callback_query(START_CHOSEN, START)
    async def start_again(
        callback: CallbackQuery, callback_data: AvailCb, bot: Bot, state: FSMContext, t: Translator
    ) -> None:
        await _start(callback, callback_data, bot, state, t)

    @router.callback_query(S.end, END, _after_the_start)
    async def end(
        callback: CallbackQuery, callback_data: AvailCb, bot: Bot, state: FSMContext, t: Translator
    ) -> None:
        await state.set_state(S.slot)
        await _end(callback, callback_data, bot, state, t)

    @router.callback_query(END_CHOSEN, END, _after_the_start)
    async def end_again(
        callback: CallbackQuery, callback_data: AvailCb, bot: Bot, state: FSMContext, t: Translator
    ) -> None:
        await _end(callback, callback_data, bot, state, t)

    @router.callback_query(S.slot, SLOT)
    async def slot(
        callback: CallbackQuery, callback_data: AvailCb, bot: Bot, state: FSMContext, t: Translator
    ) -> None:
        await state.set_state(S.mode)
        await _slot(callback, callback_data, bot, state, t)

    @router.callback_query(SLOT_CHOSEN, SLOT)
    async def slot_again(
        callback: CallbackQuery, callback_data: AvailCb, bot: Bot, state: FSMContext, t: Translator
    ) -> None:
        await _slot(callback, callback_data, bot, state, t)

    @router.callback_query(SLOT_CHOSEN, IN_PERSON)
    async def in_person(
        callback: CallbackQuery,
        callback_data: AvailCb,
        bot: Bot,
        state: FSMContext,
        staff: Staff,
        t: Translator,
        uow_factory: UnitOfWorkFactory,
    ) -> None:
        assert staff.id is not None
        await state.update_data(av_mode=callback_data.value)
        await callback.answer()
        await state.set_state(S.address)
        windows = await staff_service.hours_of(uow_factory, staff_id=staff.id)
        last = next((w.address for w in reversed(windows) if w.address), None)
        await state.update_data(av_last_address=last)
        await show(callback, bot, av.ask_address(t, last))

    @router.callback_query(SLOT_CHOSEN, REMOTE)
    async def remote(
        callback: CallbackQuery,
        callback_data: AvailCb,
        bot: Bot,
        state: FSMContext,
        staff: Staff,
        t: Translator,
        uow_factory: UnitOfWorkFactory,
    ) -> None:
        await state.update_data(av_mode=callback_data.value)
        await callback.answer()
        await _save(callback.from_user.id, bot, state, staff, t, uow_factory, address=None)

    @router.callback_query(
        IN_PERSON_CHOSEN, AvailCb.filter(F.action == AvailAction.ADDRESS), _address_known
    )
    async def same_address(
        callback: CallbackQuery,
        bot: Bot,
        state: FSMContext,
        staff: Staff,
        t: Translator,
        uow_factory: UnitOfWorkFactory,
    ) -> None:
        address = (await state.get_data())["av_last_address"]
        await callback.answer()
        await _save(callback.from_user.id, bot, state, staff, t, uow_factory, address=address)

    @router.message(S.address, F.text, ~F.text.startswith("/"))
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

    @router.callback_query(AvailCb.filter((F.action == AvailAction.REMOVE) & F.value.isdigit()))
    async def remove(
        callback: CallbackQuery,
        callback_data: AvailCb,
        bot: Bot,
        staff: Staff,
        t: Translator,
        uow_factory: UnitOfWorkFactory,
    ) -> None:
        assert staff.id is not None
        removed = await staff_service.remove_hours(
            uow_factory, staff_id=staff.id, hours_id=int(callback_data.value)
        )
        await callback.answer(av.removed(t) if removed else None)
        await show(callback, bot, await _overview(uow_factory, t, staff))

    @router.callback_query(AvailCb.filter(F.action == AvailAction.DAYS_OFF))
    async def days_off(
        callback: CallbackQuery,
        bot: Bot,
        staff: Staff,
        t: Translator,
        uow_factory: UnitOfWorkFactory,
        clock: Clock,
        policy: BookingPolicy,
    ) -> None:
        today = clock.now().astimezone(policy.zone).date()
        await _days_off(callback, bot, staff, t, uow_factory, today)

    @router.callback_query(AvailCb.filter(F.action == AvailAction.TOGGLE_DAY_OFF))
    async def toggle_day_off(
        callback: CallbackQuery,
        callback_data: AvailCb,
        bot: Bot,
        staff: Staff,
        t: Translator,
        uow_factory: UnitOfWorkFactory,
        clock: Clock,
        policy: BookingPolicy,
    ) -> None:
        assert staff.id is not None
        today = clock.now().astimezone(policy.zone).date()
        day = _day_off(callback_data.value, today)
        if day is None:  # not one of the days shown: nothing changes
            await callback.answer()
            return
        await staff_service.toggle_day_off(uow_factory, staff_id=staff.id, day=day)
        await _days_off(callback, bot, staff, t, uow_factory, today)

    # Registered last: the overview, also for a button out of order (an old one from an
    # earlier round): the hours start again from the overview.
    @router.callback_query(AvailCb.filter())
    @router.callback_query(AvailCb.filter(F.action == AvailAction.LIST))
    async def overview(
        callback: CallbackQuery,
        bot: Bot,
        state: FSMContext,
        staff: Staff,
        t: Translator,
        uow_factory: UnitOfWorkFactory,
    ) -> None:
        await state.clear()
        await callback.answer()
        await show(callback, bot, await _overview(uow_factory, t, staff))

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
    start, end = _hhmm(str(data.get("av_from", ""))), _hhmm(str(data.get("av_to", "")))
    try:
        if start is None or end is None:
            raise KeyError("av_from")  # a round that lost its times: start again
        window = await staff_service.add_hours(
            uow_factory,
            staff_id=staff.id,
            weekday=int(data["av_day"]),
            start=start,
            end=end,
            slot_minutes=int(data["av_slot"]),
            mode=Mode(data["av_mode"]),
            address=address,
        )
    except (KeyError, staff_service.HoursError):
        await send(bot, chat_id, await _overview(uow_factory, t, staff))
        return
    await bot.send_message(chat_id, av.saved(t, window))
    await send(bot, chat_id, await _overview(uow_factory, t, staff))
