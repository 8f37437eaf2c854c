"""What the booking steps (handlers/client/booking_steps.py, booking_typed.py) ask of
whoever books: the `Booker` protocol, the turn it holds, and where a step answers."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any, Protocol
from zoneinfo import ZoneInfo

from aiogram import Bot
from aiogram.fsm.context import FSMContext
from aiogram.fsm.state import State
from aiogram.types import CallbackQuery, Message

from bot.domain import Mode, Slot
from bot.i18n import Translator
from bot.ports import Clock
from handlers.common import answer, show
from handlers.views import Screen

#: A booking's choices so far, as kept in the FSM data.
Data = dict[str, Any]
#: The chosen time: (staff id, start).
Chosen = tuple[int, datetime]
#: Where a step answers: a button (its message is replaced) or a typed message (answered
#: below it).
Where = CallbackQuery | Message


async def put(where: Where, bot: Bot, screen: Screen) -> None:
    """The next screen: in place of the button's message, or below the typed one."""
    if isinstance(where, Message):
        await answer(where, screen)
    else:
        await show(where, bot, screen)


class Turn(Protocol):
    """What the steps use of the turn: a ClientTurn (Consented) or a StaffTurn (IsStaff)."""

    @property
    def bot(self) -> Bot: ...
    @property
    def state(self) -> FSMContext: ...
    @property
    def clock(self) -> Clock: ...


class Booker(Protocol):
    """Who books for whom, as the step handlers need it; it holds the turn (the bot and
    the conversation state of the person pressing)."""

    @property
    def turn(self) -> Turn: ...

    @property
    def t(self) -> Translator:
        """The translator of the person booking (the client, or the case manager)."""
        ...

    @property
    def time_state(self) -> State:
        """The state of the time step (BookingSG.time, or MoveSG.time for a move)."""
        ...

    @property
    def zone(self) -> ZoneInfo:
        """Where days begin and end (the site's time zone)."""
        ...

    async def slots(self, data: Mapping[str, Any]) -> list[Slot]:
        """The slots offered now for the choices in `data`."""
        ...

    def interpreter_language(self) -> str: ...
    async def refuse(self, callback: CallbackQuery) -> None:
        """An old or forged button of this flow."""
        ...

    async def show_modes(self, where: Where, modes: list[Mode]) -> None: ...
    async def asks_phone(self, callback: CallbackQuery, mode: Mode) -> bool: ...
    async def show_days(self, where: Where, intro: str | None = None) -> None: ...
    async def not_offered(self, callback: CallbackQuery) -> None:
        """The day or time pressed is not offered (any more)."""
        ...

    async def show_times(self, where: Where, slots: list[Slot]) -> None: ...
    async def ask_interpreter(self, where: Where) -> None: ...
    async def slot_gone(
        self, callback: CallbackQuery, offered: list[Slot], wanted: datetime
    ) -> None:
        """The time `wanted` was taken (or became too soon) while the interpreter question
        was open; `offered`: the free slots now, those nearest to it first."""
        ...

    async def show_summary(self, where: Where, data: Data, slot: Slot) -> None: ...
    async def offer_times(self, message: Message, head: str, nearest: list[Slot]) -> None:
        """A typed time that is not free: why (`head`), and the nearest free times."""
        ...

    async def hint(self, message: Message, text: str) -> None:
        """Typed text that does not fit the step: one line, and a way out (the step's
        buttons above still work)."""
        ...

    async def confirm(self, callback: CallbackQuery, data: Data, chosen: Chosen) -> None:
        """Book the chosen (staff id, start) and show the outcome."""
        ...


class StepCb(Protocol):
    """BookCb or ClientCb: the step's button carries its value."""

    value: str
