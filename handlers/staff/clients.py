"""A case manager's clients: the list, one client's entry, booking and cancelling for them.

Every action re-reads the staff role (router filter) and checks that the client
belongs to the staff member's site (service); the client is told in their language.
"""

from __future__ import annotations

import logging
from datetime import date

from aiogram import Bot, F, Router
from aiogram.filters import Command
from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery, Message

from bot.domain import Client, LifeArea, Mode, Staff
from bot.i18n import Catalogs, Translator
from bot.ports import Clock, UnitOfWorkFactory
from bot.services import booking as booking_service
from bot.services import notes as notes_service
from bot.slots import BookingPolicy
from handlers import labels
from handlers.callbacks import ClientCb
from handlers.client import booking_views as bv
from handlers.client.booking_steps import parse_slot_value
from handlers.common import send, show, tell
from handlers.notify import outcome_details, send_calendar_file
from handlers.staff import caseload_views as cv
from handlers.staff import client_views as scv
from handlers.staff import views as sv
from handlers.staff.access import IsStaff
from handlers.states import ClientsSG, StaffBookSG

log = logging.getLogger("lotse.staff")


def staff_clients_router() -> Router:
    router = Router(name="staff-clients")
    router.message.filter(F.chat.type == "private", IsStaff())
    router.callback_query.filter(IsStaff())

    @router.message(Command("clients"))
    async def clients_command(
        message: Message,
        state: FSMContext,
        staff: Staff,
        t: Translator,
        uow_factory: UnitOfWorkFactory,
        clock: Clock,
        policy: BookingPolicy,
    ) -> None:
        await state.clear()
        query = (message.text or "").partition(" ")[2].strip()[:40]
        summaries = await notes_service.list_clients(
            uow_factory, clock, staff=staff, everyone=bool(query), search=query
        )
        screen = cv.clients(t, summaries, policy.zone, everyone=False, search=query)
        await message.answer(screen.text, reply_markup=screen.markup)

    @router.message(ClientsSG.search, F.text, ~F.text.startswith("/"))
    async def clients_search(
        message: Message,
        state: FSMContext,
        staff: Staff,
        t: Translator,
        uow_factory: UnitOfWorkFactory,
        clock: Clock,
        policy: BookingPolicy,
    ) -> None:
        await state.clear()
        query = (message.text or "").strip()[:40]
        summaries = await notes_service.list_clients(
            uow_factory, clock, staff=staff, everyone=True, search=query
        )
        screen = cv.clients(t, summaries, policy.zone, everyone=True, search=query)
        await message.answer(screen.text, reply_markup=screen.markup)

    @router.callback_query(ClientCb.filter())
    async def client_action(
        callback: CallbackQuery,
        callback_data: ClientCb,
        bot: Bot,
        state: FSMContext,
        staff: Staff,
        t: Translator,
        catalogs: Catalogs,
        uow_factory: UnitOfWorkFactory,
        clock: Clock,
        policy: BookingPolicy,
    ) -> None:
        action, value = callback_data.action, callback_data.value
        if action == "list":
            await state.clear()
            summaries = await notes_service.list_clients(
                uow_factory, clock, staff=staff, everyone=value == "all"
            )
            await callback.answer()
            await show(
                callback,
                bot,
                cv.clients(t, summaries, policy.zone, everyone=value == "all", search=""),
            )
            return
        if action == "find":
            await state.set_state(ClientsSG.search)
            await callback.answer()
            await show(callback, bot, cv.search_ask(t))
            return
        try:
            client, upcoming = await booking_service.client_for_staff(
                uow_factory, clock, staff=staff, client_id=callback_data.id
            )
        except booking_service.NotYoursError:
            await callback.answer(sv.not_your_client(t), show_alert=True)
            return
        assert client.id is not None
        data = await state.get_data()
        if data.get("sb_client") != client.id:
            data = {}
        if action == "view":
            await state.clear()
            await callback.answer()
            await show(callback, bot, scv.client_entry(t, client, upcoming, policy.zone))
        elif action == "book":
            await state.set_state(StaffBookSG.booking)
            await state.set_data({"sb_client": client.id})
            await callback.answer()
            await show(callback, bot, scv.topics(t, client.id))
        elif action == "topic" and value in {a.value for a in LifeArea}:
            await state.set_state(StaffBookSG.booking)
            await state.set_data({"sb_client": client.id, "sb_topic": value})
            slots = await booking_service.slots_of_staff(uow_factory, clock, policy, staff=staff)
            offered = sorted({s.mode for s in slots}, key=list(Mode).index)
            await callback.answer()
            if not offered:
                await show(callback, bot, sv.no_own_slots(t))
                return
            await show(callback, bot, scv.modes(t, client.id, offered))
        elif action == "mode" and value in {m.value for m in Mode} and data.get("sb_topic"):
            await state.update_data(sb_mode=value)
            slots = await booking_service.slots_of_staff(
                uow_factory, clock, policy, staff=staff, mode=Mode(value)
            )
            days = sorted({s.starts_at.astimezone(policy.zone).date() for s in slots})
            await callback.answer()
            await show(callback, bot, scv.days(t, client.id, days, policy.zone))
        elif action == "day" and data.get("sb_mode"):
            slots = await booking_service.slots_of_staff(
                uow_factory, clock, policy, staff=staff, mode=Mode(data["sb_mode"])
            )
            try:
                chosen = date.fromisoformat(value)
            except ValueError:
                chosen = None
            today = [s for s in slots if s.starts_at.astimezone(policy.zone).date() == chosen]
            if not today:
                await callback.answer(bv.not_bookable(t), show_alert=True)
                return
            await callback.answer()
            await show(callback, bot, scv.times(t, client.id, today, policy.zone))
        elif action == "time" and data.get("sb_mode"):
            parsed = parse_slot_value(value)
            slots = await booking_service.slots_of_staff(
                uow_factory, clock, policy, staff=staff, mode=Mode(data["sb_mode"])
            )
            if parsed is None or parsed not in {(s.staff_id, s.starts_at) for s in slots}:
                await callback.answer(bv.not_bookable(t), show_alert=True)
                return
            await state.update_data(sb_slot=value)
            await callback.answer()
            await show(callback, bot, scv.interpreter(t, client))
        elif action == "interp" and value in ("yes", "no") and data.get("sb_slot"):
            interpreter = client.locale if value == "yes" else None
            await state.update_data(sb_interp=interpreter)
            parsed = parse_slot_value(data["sb_slot"])
            assert parsed is not None
            slot = next(
                (
                    s
                    for s in await booking_service.slots_of_staff(
                        uow_factory, clock, policy, staff=staff
                    )
                    if (s.staff_id, s.starts_at) == parsed
                ),
                None,
            )
            await callback.answer()
            if slot is None:
                await show(callback, bot, scv.topics(t, client.id))
                return
            body = bv.details(
                t,
                topic=LifeArea(data["sb_topic"]),
                starts_at=slot.starts_at,
                mode=slot.mode,
                address=slot.address,
                interpreter=interpreter,
                zone=policy.zone,
            )
            await show(callback, bot, scv.confirm(t, client.id, body))
        elif action == "confirm" and data.get("sb_slot") and data.get("sb_topic"):
            await _book(
                callback, bot, state, staff, client, t, catalogs, uow_factory, clock, policy, data
            )
        elif action == "cancel" and value.isdigit():
            try:
                outcome = await booking_service.cancel_appointment(
                    uow_factory, clock, appointment_id=int(value), staff=staff, reason="other"
                )
            except (booking_service.NotYoursError, booking_service.NotBookedError):
                await callback.answer(bv.not_bookable(t), show_alert=True)
                return
            ct = catalogs.translator(client.locale)
            await tell(
                bot,
                client.chat_id,
                scv.client_told_cancelled(
                    ct, labels.when(ct, outcome.appointment.starts_at, policy.zone)
                ),
            )
            await callback.answer(
                scv.cancelled_for_client(t, bv.client_name(t, client.nickname, client.id))[:200],
                show_alert=False,
            )
            _, upcoming = await booking_service.client_for_staff(
                uow_factory, clock, staff=staff, client_id=client.id
            )
            await show(callback, bot, scv.client_entry(t, client, upcoming, policy.zone))
        else:  # a step out of order (old buttons): back to the client's entry
            await state.clear()
            await callback.answer()
            await show(callback, bot, scv.client_entry(t, client, upcoming, policy.zone))

    return router


async def _book(
    callback: CallbackQuery,
    bot: Bot,
    state: FSMContext,
    staff: Staff,
    client: Client,
    t: Translator,
    catalogs: Catalogs,
    uow_factory: UnitOfWorkFactory,
    clock: Clock,
    policy: BookingPolicy,
    data: dict,
) -> None:  # type: ignore[type-arg]
    parsed = parse_slot_value(data["sb_slot"])
    assert parsed is not None and staff.id is not None and client.id is not None
    try:
        outcome = await booking_service.book_appointment(
            uow_factory,
            clock,
            policy,
            client_id=client.id,
            staff_id=staff.id,
            starts_at=parsed[1],
            topic=LifeArea(data["sb_topic"]),
            interpreter=data.get("sb_interp"),
            booked_by="staff",
        )
    except booking_service.TooManyAppointmentsError:
        await callback.answer(bv.too_many(t, policy.max_open).text[:200], show_alert=True)
        return
    except booking_service.BookingError:
        await callback.answer(bv.not_bookable(t), show_alert=True)
        return
    await state.clear()
    await callback.answer()
    who = bv.client_name(t, client.nickname, client.id)
    ct = catalogs.translator(client.locale)
    await tell(
        bot, client.chat_id, scv.client_told_booked(ct, outcome_details(ct, outcome, policy))
    )
    await send_calendar_file(bot, ct, outcome, clock)
    await bot.send_message(callback.from_user.id, scv.booked_for_client(t, who))
    _, upcoming = await booking_service.client_for_staff(
        uow_factory, clock, staff=staff, client_id=client.id
    )
    await send(bot, callback.from_user.id, scv.client_entry(t, client, upcoming, policy.zone))
