"""The client's booker: what the booking steps (handlers/client/booking_steps.py) ask of
the client who books for themself, and of one who moves an appointment."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from aiogram.filters import BaseFilter
from aiogram.fsm.state import State
from aiogram.types import CallbackQuery, Message, TelegramObject

from bot.domain import Client, LifeArea, Mode, Slot
from bot.i18n import Translator
from bot.services import booking as booking_service
from handlers import views
from handlers.client import booking_typed_views as btv
from handlers.client import booking_views as bv
from handlers.client.access import ClientTurn
from handlers.client.booker_protocol import Chosen, Data, Where, put
from handlers.client.booking_confirm import confirmed, new_booking
from handlers.client.booking_steps import BookingDesk, modes_or_none, show_days
from handlers.common import answer, refuse_button, show
from handlers.states import BookingSG, MoveSG


@dataclass(frozen=True)
class ClientBooker:
    """The client books for themself: the slots they are offered, their screens."""

    turn: ClientTurn
    desk: BookingDesk

    @property
    def client(self) -> Client:
        return self.turn.client

    @property
    def t(self) -> Translator:
        return self.turn.t

    @property
    def time_state(self) -> State:
        return BookingSG.time

    @property
    def zone(self) -> ZoneInfo:
        return self.turn.policy.zone

    async def slots(self, data: Mapping[str, Any]) -> list[Slot]:
        return await self.desk.slots(self.client, data)

    def interpreter_language(self) -> str:
        return self.client.locale

    async def refuse(self, callback: CallbackQuery) -> None:
        await refuse_button(callback, self.turn.bot, self.t, views.main_menu(self.t))

    async def show_modes(self, where: Where, modes: list[Mode]) -> None:
        await modes_or_none(where, self.turn, modes)

    async def asks_phone(self, callback: CallbackQuery, mode: Mode) -> bool:
        if mode is not Mode.PHONE or self.client.phone:
            return False
        # A phone appointment needs the number first (shared by button, or typed).
        await self.turn.state.set_state(BookingSG.phone)
        screen, keyboard = bv.phone_request(self.t)
        await self.turn.bot.send_message(callback.from_user.id, screen.text, reply_markup=keyboard)
        return True

    async def show_days(self, where: Where, intro: str | None = None) -> None:
        await show_days(where, self.turn, self.desk, intro=intro)

    async def not_offered(self, callback: CallbackQuery) -> None:
        await callback.answer(bv.not_bookable(self.t), show_alert=True)
        await self.show_days(callback)

    @property
    def offers_waitlist(self) -> bool:
        """Under the times: "None of these times suit me" (not when moving)."""
        return True

    async def show_times(self, where: Where, slots: list[Slot]) -> None:
        screen = bv.time_picker(self.t, slots, self.zone, wish=self.offers_waitlist)
        await put(where, self.turn.bot, screen)

    async def ask_interpreter(self, where: Where) -> None:
        await put(where, self.turn.bot, bv.interpreter_question(self.t))

    async def slot_gone(
        self, callback: CallbackQuery, offered: list[Slot], wanted: datetime
    ) -> None:
        turn = self.turn
        screen = (
            bv.slot_too_soon if turn.policy.too_soon(wanted, turn.clock.now()) else bv.slot_taken
        )
        await show(callback, turn.bot, screen(self.t, offered, self.zone))
        await turn.state.set_state(self.time_state)

    async def show_summary(self, where: Where, data: Data, slot: Slot) -> None:
        await put(where, self.turn.bot, self.desk.summary(self.t, data, slot))

    async def offer_times(self, message: Message, head: str, nearest: list[Slot]) -> None:
        await answer(message, bv.other_times(self.t, head, nearest, self.zone))

    async def hint(self, message: Message, text: str) -> None:
        await answer(message, btv.client_hint(self.t, text))

    async def confirm(self, callback: CallbackQuery, data: Data, chosen: Chosen) -> None:
        turn = self.turn
        attempt = new_booking(
            booking_service.book_appointment(
                turn.uow_factory,
                turn.clock,
                turn.policy,
                client_id=self.client.id or 0,
                staff_id=chosen[0],
                starts_at=chosen[1],
                topic=LifeArea(data["topic"]),
                interpreter=data.get("interpreter"),
                site_id=data.get("site_id"),
            )
        )
        await confirmed(callback, turn, attempt, data, moving=False)


class BooksForThemself(BaseFilter):
    """The client router's booker: the consented client, for themself."""

    async def __call__(
        self, event: TelegramObject, turn: ClientTurn, desk: BookingDesk
    ) -> dict[str, Any]:
        return {"booker": ClientBooker(turn, desk)}


@dataclass(frozen=True)
class MovingBooker(ClientBooker):
    """Moving an appointment: the same case manager's slots, the move's own states, and
    the move (not a new booking) at the end."""

    @property
    def time_state(self) -> State:
        return MoveSG.time

    @property
    def offers_waitlist(self) -> bool:
        return False

    async def show_days(self, where: Where, intro: str | None = None) -> None:
        await show_days(where, self.turn, self.desk, moving=True, intro=intro)

    async def confirm(self, callback: CallbackQuery, data: Data, chosen: Chosen) -> None:
        if not data.get("move_id"):
            await self.refuse(callback)
            return
        turn = self.turn
        attempt = booking_service.move_appointment(
            turn.uow_factory,
            turn.clock,
            turn.policy,
            appointment_id=int(data["move_id"]),
            staff_id=chosen[0],
            starts_at=chosen[1],
            client_id=self.client.id,
        )
        await confirmed(callback, turn, attempt, data, moving=True)


class MovesAnAppointment(BaseFilter):
    """The moving router's booker."""

    async def __call__(
        self, event: TelegramObject, turn: ClientTurn, desk: BookingDesk
    ) -> dict[str, Any]:
        return {"booker": MovingBooker(turn, desk)}
