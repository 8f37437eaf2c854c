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

from aiogram import F, Router
from aiogram.filters import Command, StateFilter
from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery, Message

from bot.domain import Mode
from bot.services import staff as staff_service
from handlers.callbacks import AvailAction, AvailCb
from handlers.common import answer, send, show
from handlers.staff import availability_views as av
from handlers.staff.access import StaffTurn, staff_only_router
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


async def _overview(turn: StaffTurn) -> Screen:
    assert turn.staff.id is not None
    return av.overview(
        turn.t, await staff_service.hours_of(turn.uow_factory, staff_id=turn.staff.id)
    )


async def _chosen(callback: CallbackQuery, turn: StaffTurn, screen: Screen, **choice: Any) -> None:
    """A choice kept in the FSM data; the next question on the same message."""
    await turn.state.update_data(**choice)
    await turn.show(callback, screen)


async def _weekday(callback: CallbackQuery, callback_data: AvailCb, turn: StaffTurn) -> None:
    await _chosen(callback, turn, av.pick_start(turn.t), av_day=int(callback_data.value))


async def _start(callback: CallbackQuery, callback_data: AvailCb, turn: StaffTurn) -> None:
    start = _hhmm(callback_data.value)
    assert start is not None  # the filter START checked it
    await _chosen(callback, turn, av.pick_end(turn.t, start), av_from=callback_data.value)


async def _end(callback: CallbackQuery, callback_data: AvailCb, turn: StaffTurn) -> None:
    await _chosen(callback, turn, av.pick_slot(turn.t), av_to=callback_data.value)


async def _slot(callback: CallbackQuery, callback_data: AvailCb, turn: StaffTurn) -> None:
    await _chosen(callback, turn, av.pick_mode(turn.t), av_slot=int(callback_data.value))


def _today(turn: StaffTurn) -> date:
    return turn.clock.now().astimezone(turn.policy.zone).date()


async def _days_off(callback: CallbackQuery, turn: StaffTurn, today: date) -> None:
    assert turn.staff.id is not None
    off = await staff_service.days_off_of(
        turn.uow_factory,
        staff_id=turn.staff.id,
        start=today,
        end=today + timedelta(days=DAYS_OFF_AHEAD),
    )
    await turn.show(callback, av.days_off(turn.t, today, off))


def _day_off(value: str, today: date) -> date | None:
    """The day of a days-off button, if it is one of the days shown from today."""
    try:
        day = date.fromisoformat(value)
    except ValueError:
        return None
    return day if today <= day < today + timedelta(days=DAYS_OFF_AHEAD) else None


def availability_router() -> Router:
    router = staff_only_router("availability")

    @router.message(Command("availability"))
    async def availability_command(message: Message, turn: StaffTurn) -> None:
        await turn.state.clear()
        await answer(message, await _overview(turn))

    @router.callback_query(AvailCb.filter(F.action == AvailAction.ADD))
    async def add(callback: CallbackQuery, turn: StaffTurn) -> None:
        await turn.state.set_state(S.adding)
        await turn.state.set_data({})
        await turn.show(callback, av.pick_weekday(turn.t))

    @router.callback_query(KEEPS_STEP_ON_DAY, WEEKDAY)
    async def weekday_again(
        callback: CallbackQuery, callback_data: AvailCb, turn: StaffTurn
    ) -> None:
        await _weekday(callback, callback_data, turn)

    @router.callback_query(S.address, WEEKDAY)
    async def address_left(
        callback: CallbackQuery, callback_data: AvailCb, turn: StaffTurn
    ) -> None:
        """A weekday again while the address was asked: the choices stay, typed text is no
        longer taken for the address."""
        await turn.state.set_state(S.in_person)
        await _weekday(callback, callback_data, turn)

    @router.callback_query(WEEKDAY)
    async def weekday(callback: CallbackQuery, callback_data: AvailCb, turn: StaffTurn) -> None:
        await turn.state.set_state(S.start)
        await _weekday(callback, callback_data, turn)

    @router.callback_query(S.start, START)
    async def start(callback: CallbackQuery, callback_data: AvailCb, turn: StaffTurn) -> None:
        await turn.state.set_state(S.end)
        await _start(callback, callback_data, turn)

    @router.callback_query(START_CHOSEN, START)
    async def start_again(callback: CallbackQuery, callback_data: AvailCb, turn: StaffTurn) -> None:
        await _start(callback, callback_data, turn)

    @router.callback_query(S.end, END, _after_the_start)
    async def end(callback: CallbackQuery, callback_data: AvailCb, turn: StaffTurn) -> None:
        await turn.state.set_state(S.slot)
        await _end(callback, callback_data, turn)

    @router.callback_query(END_CHOSEN, END, _after_the_start)
    async def end_again(callback: CallbackQuery, callback_data: AvailCb, turn: StaffTurn) -> None:
        await _end(callback, callback_data, turn)

    @router.callback_query(S.slot, SLOT)
    async def slot(callback: CallbackQuery, callback_data: AvailCb, turn: StaffTurn) -> None:
        await turn.state.set_state(S.mode)
        await _slot(callback, callback_data, turn)

    @router.callback_query(SLOT_CHOSEN, SLOT)
    async def slot_again(callback: CallbackQuery, callback_data: AvailCb, turn: StaffTurn) -> None:
        await _slot(callback, callback_data, turn)

    @router.callback_query(SLOT_CHOSEN, IN_PERSON)
    async def in_person(callback: CallbackQuery, callback_data: AvailCb, turn: StaffTurn) -> None:
        assert turn.staff.id is not None
        await turn.state.update_data(av_mode=callback_data.value)
        await callback.answer()
        await turn.state.set_state(S.address)
        windows = await staff_service.hours_of(turn.uow_factory, staff_id=turn.staff.id)
        last = next((w.address for w in reversed(windows) if w.address), None)
        await turn.state.update_data(av_last_address=last)
        await show(callback, turn.bot, av.ask_address(turn.t, last))

    @router.callback_query(SLOT_CHOSEN, REMOTE)
    async def remote(callback: CallbackQuery, callback_data: AvailCb, turn: StaffTurn) -> None:
        await turn.state.update_data(av_mode=callback_data.value)
        await callback.answer()
        await _save(callback.from_user.id, turn, address=None)

    @router.callback_query(
        IN_PERSON_CHOSEN, AvailCb.filter(F.action == AvailAction.ADDRESS), _address_known
    )
    async def same_address(callback: CallbackQuery, turn: StaffTurn) -> None:
        address = (await turn.state.get_data())["av_last_address"]
        await callback.answer()
        await _save(callback.from_user.id, turn, address=address)

    @router.message(S.address, F.text, ~F.text.startswith("/"))
    async def address_typed(message: Message, turn: StaffTurn) -> None:
        address = " ".join((message.text or "").split())
        if not 5 <= len(address) <= 200:
            await message.answer(av.address_invalid(turn.t))
            return
        await _save(message.chat.id, turn, address=address)

    @router.callback_query(AvailCb.filter((F.action == AvailAction.REMOVE) & F.value.isdigit()))
    async def remove(callback: CallbackQuery, callback_data: AvailCb, turn: StaffTurn) -> None:
        assert turn.staff.id is not None
        removed = await staff_service.remove_hours(
            turn.uow_factory, staff_id=turn.staff.id, hours_id=int(callback_data.value)
        )
        await callback.answer(av.removed(turn.t) if removed else None)
        await show(callback, turn.bot, await _overview(turn))

    @router.callback_query(AvailCb.filter(F.action == AvailAction.DAYS_OFF))
    async def days_off(callback: CallbackQuery, turn: StaffTurn) -> None:
        await _days_off(callback, turn, _today(turn))

    @router.callback_query(AvailCb.filter(F.action == AvailAction.TOGGLE_DAY_OFF))
    async def toggle_day_off(
        callback: CallbackQuery, callback_data: AvailCb, turn: StaffTurn
    ) -> None:
        assert turn.staff.id is not None
        today = _today(turn)
        day = _day_off(callback_data.value, today)
        if day is None:  # not one of the days shown: nothing changes
            await callback.answer()
            return
        await staff_service.toggle_day_off(turn.uow_factory, staff_id=turn.staff.id, day=day)
        await _days_off(callback, turn, today)

    # Registered last: the overview, also for a button out of order (an old one from an
    # earlier round): the hours start again from the overview.
    @router.callback_query(AvailCb.filter())
    @router.callback_query(AvailCb.filter(F.action == AvailAction.LIST))
    async def overview(callback: CallbackQuery, turn: StaffTurn) -> None:
        await turn.state.clear()
        await turn.show(callback, await _overview(turn))

    return router


async def _save(chat_id: int, turn: StaffTurn, *, address: str | None) -> None:
    data = await turn.state.get_data()
    await turn.state.clear()
    start, end = _hhmm(str(data.get("av_from", ""))), _hhmm(str(data.get("av_to", "")))
    try:
        if start is None or end is None:
            raise KeyError("av_from")  # a round that lost its times: start again
        window = await staff_service.add_hours(
            turn.uow_factory,
            staff_id=turn.staff.id,
            weekday=int(data["av_day"]),
            start=start,
            end=end,
            slot_minutes=int(data["av_slot"]),
            mode=Mode(data["av_mode"]),
            address=address,
        )
    except (KeyError, staff_service.HoursError):
        await send(turn.bot, chat_id, await _overview(turn))
        return
    await turn.bot.send_message(chat_id, av.saved(turn.t, window))
    await send(turn.bot, chat_id, await _overview(turn))
