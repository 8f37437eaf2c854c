"""A case manager books for a client: the client booking steps
(handlers/client/booking_steps.py, the same BookingSG states and data; typed instead of
tapped: handlers/client/booking_typed.py) with the StaffBooker — the case manager's own
free times, the staff screens (ClientCb buttons carry the client's id), and the client
told in their own language once it is booked."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from aiogram import F, Router
from aiogram.filters import BaseFilter, StateFilter
from aiogram.fsm.context import FSMContext
from aiogram.fsm.state import State
from aiogram.types import CallbackQuery, Message, TelegramObject

from bot.domain import Appointment, Client, LifeArea, Mode, Slot
from bot.i18n import Translator
from bot.referrals import Referral
from bot.services import booking as booking_service
from bot.services import referrals as referral_service
from handlers import labels
from handlers.callbacks import ClientAction, ClientCb
from handlers.client import booking_views as bv
from handlers.client.booker_protocol import Chosen, Data, Where, put
from handlers.client.booking_steps import register_steps
from handlers.client.booking_typed import register_typed_steps
from handlers.common import answer, answer_and_show, send, show, tell
from handlers.notify import outcome_details, send_calendar_file
from handlers.staff import client_views as scv
from handlers.staff import views as sv
from handlers.staff.access import ClientOfTheSite, IsStaff, StaffTurn
from handlers.states import BookingSG
from handlers.views import Screen


def client_entry(
    turn: StaffTurn,
    client: Client,
    upcoming: list[Appointment],
    referrals: Sequence[Referral] = (),
) -> Screen:
    """One client's entry with their next appointments (and the offers sent to them, with
    the answers), for the staff member."""
    return scv.client_entry(turn.t, client, upcoming, turn.policy.zone, referrals)


async def client_entry_now(turn: StaffTurn, client: Client) -> Screen:
    """The client's entry as it stands now (after a booking or a cancellation)."""
    _, upcoming = await booking_service.client_for_staff(
        turn.uow_factory, turn.clock, staff=turn.staff, client_id=client.id or 0
    )
    referrals = await referral_service.referrals_of_client(
        turn.uow_factory, client_id=client.id or 0
    )
    return client_entry(turn, client, upcoming, referrals)


@dataclass(frozen=True)
class StaffBooker:
    """What the booking steps ask of a case manager booking for one of their clients."""

    turn: StaffTurn
    client: Client
    upcoming: list[Appointment]

    @property
    def t(self) -> Translator:
        return self.turn.t

    @property
    def time_state(self) -> State:
        return BookingSG.time

    @property
    def zone(self) -> ZoneInfo:
        return self.turn.policy.zone

    @property
    def client_id(self) -> int:
        return self.client.id or 0

    async def slots(self, data: Mapping[str, Any]) -> list[Slot]:
        mode = Mode(data["mode"]) if data.get("mode") else None
        turn = self.turn
        return await booking_service.slots_of_staff(
            turn.uow_factory, turn.clock, turn.policy, staff=turn.staff, mode=mode
        )

    def interpreter_language(self) -> str:
        return self.client.locale

    async def refuse(self, callback: CallbackQuery) -> None:
        # A step out of order (old buttons): back to the client's entry.
        await self.turn.state.clear()
        await answer_and_show(
            callback, self.turn.bot, client_entry(self.turn, self.client, self.upcoming)
        )

    async def show_modes(self, where: Where, modes: list[Mode]) -> None:
        if not modes:
            await put(where, self.turn.bot, sv.no_own_slots(self.t))
            return
        await self.turn.state.set_state(BookingSG.mode)
        await put(where, self.turn.bot, scv.modes(self.t, self.client_id, modes))

    async def asks_phone(self, callback: CallbackQuery, mode: Mode) -> bool:
        return False  # the case manager calls the number they have

    async def show_days(self, where: Where, intro: str | None = None) -> None:
        slots = await self.slots(await self.turn.state.get_data())
        days = sorted({s.starts_at.astimezone(self.zone).date() for s in slots})
        await self.turn.state.set_state(BookingSG.day)
        screen = scv.days(self.t, self.client_id, days, self.zone)
        if intro:
            screen = Screen(f"{intro}\n\n{screen.text}", screen.markup)
        await put(where, self.turn.bot, screen)

    async def not_offered(self, callback: CallbackQuery) -> None:
        await callback.answer(bv.not_bookable(self.t), show_alert=True)

    async def show_times(self, where: Where, slots: list[Slot]) -> None:
        await put(where, self.turn.bot, scv.times(self.t, self.client_id, slots, self.zone))

    async def ask_interpreter(self, where: Where) -> None:
        await put(where, self.turn.bot, scv.interpreter(self.t, self.client))

    async def slot_gone(
        self, callback: CallbackQuery, offered: list[Slot], wanted: datetime
    ) -> None:
        await self.turn.state.set_state(BookingSG.topic)
        await show(callback, self.turn.bot, scv.topics(self.t, self.client_id))

    async def show_summary(self, where: Where, data: Data, slot: Slot) -> None:
        body = labels.planned_details(
            self.t, slot, topic=data["topic"], interpreter=data.get("interpreter"), zone=self.zone
        )
        await put(where, self.turn.bot, scv.confirm(self.t, self.client_id, body))

    async def offer_times(self, message: Message, head: str, nearest: list[Slot]) -> None:
        await answer(message, scv.other_times(self.t, self.client_id, head, nearest, self.zone))

    async def hint(self, message: Message, text: str) -> None:
        await answer(message, scv.hint(self.t, self.client_id, text))

    async def confirm(self, callback: CallbackQuery, data: Data, chosen: Chosen) -> None:
        turn, t = self.turn, self.t
        try:
            outcome = await booking_service.book_appointment(
                turn.uow_factory,
                turn.clock,
                turn.policy,
                client_id=self.client_id,
                staff_id=turn.staff.id or 0,
                starts_at=chosen[1],
                topic=LifeArea(data["topic"]),
                interpreter=data.get("interpreter"),
                booked_by="staff",
            )
        except booking_service.TooManyAppointmentsError:
            await callback.answer(bv.too_many(t, turn.policy.max_open).text[:200], show_alert=True)
            return
        except booking_service.BookingError:
            await callback.answer(bv.not_bookable(t), show_alert=True)
            return
        await self.turn.state.clear()
        await callback.answer()
        await self._tell_booked(outcome)
        who = labels.client_name(t, self.client.nickname, self.client_id)
        await self.turn.bot.send_message(callback.from_user.id, scv.booked_for_client(t, who))
        await send(self.turn.bot, callback.from_user.id, await client_entry_now(turn, self.client))

    async def _tell_booked(self, outcome: booking_service.BookingOutcome) -> None:
        """The client is told, in their language, with the calendar file."""
        ct = self.turn.speaking(self.client.locale)
        told = scv.client_told_booked(ct, outcome_details(ct, outcome, self.turn.policy))
        await tell(self.turn.bot, self.client.chat_id, told)
        await send_calendar_file(self.turn, ct, outcome)


class BooksForTheClient(ClientOfTheSite):
    """ClientOfTheSite for the staff booking router: with the client, their booker."""

    def also(self, turn: StaffTurn, client: Client, upcoming: list[Appointment]) -> dict[str, Any]:
        return {"booker": StaffBooker(turn, client, upcoming)}


class TypedForTheClient(BaseFilter):
    """A message typed while booking for a client: the booker for the client of the
    booking under way (`for_client` in the FSM data), if they are still of this site."""

    async def __call__(self, message: Message, turn: StaffTurn) -> bool | dict[str, Any]:
        client_id = (await turn.state.get_data()).get("for_client")
        if not isinstance(client_id, int):
            return False
        try:
            client, upcoming = await booking_service.client_for_staff(
                turn.uow_factory, turn.clock, staff=turn.staff, client_id=client_id
            )
        except booking_service.NotYoursError as refused:
            await turn.audit_refusal(refused)
            return False
        return {"booker": StaffBooker(turn, client, upcoming)}


class ForThisClient(BaseFilter):
    """The booking under way (in the FSM data) is for the client the button names."""

    async def __call__(
        self, event: TelegramObject, callback_data: ClientCb, state: FSMContext
    ) -> bool:
        return (await state.get_data()).get("for_client") == callback_data.id


async def book_for_client(callback: CallbackQuery, turn: StaffTurn, booker: StaffBooker) -> None:
    """'Book for this client': the booking steps begin, for them."""
    await turn.state.set_state(BookingSG.topic)
    await turn.state.set_data({"for_client": booker.client_id})
    await turn.show(callback, scv.topics(turn.t, booker.client_id))


async def out_of_order(callback: CallbackQuery, turn: StaffTurn, booker: StaffBooker) -> None:
    await booker.refuse(callback)


def staff_booking_router() -> Router:
    router = Router(name="staff-booking")
    router.callback_query.filter(IsStaff(), ClientCb.filter())
    router.callback_query.middleware(BooksForTheClient())
    booking = (StateFilter(BookingSG), ForThisClient())
    router.callback_query.register(book_for_client, ClientCb.filter(F.action == ClientAction.BOOK))
    register_steps(router, lambda step: ClientCb.filter(F.action == ClientAction(step)), *booking)
    # Typed instead of tapped (the staff router above checked the role).
    register_typed_steps(router, TypedForTheClient())
    # Anything else about this client (stop, an old step, a step for another client's
    # booking): the client's entry.
    router.callback_query.register(out_of_order)
    return router
