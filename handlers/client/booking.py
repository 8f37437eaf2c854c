"""The client's booking flow: topic -> how -> (phone) -> day -> time -> interpreter -> confirm.

Moving an appointment reuses the day and time steps (`move_id` in the FSM data).
Every step re-checks against the slots really offered now, so old or forged
buttons cannot book anything that is not free.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from aiogram import Bot, F, Router
from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery, Message, ReplyKeyboardRemove

from bot.domain import Client, LifeArea, Mode, Slot
from bot.i18n import Catalogs, Translator
from bot.ports import Clock, UnitOfWorkFactory
from bot.services import booking as booking_service
from bot.services.arrival import choose_site, sites_with_staff
from bot.slots import BookingPolicy
from handlers import views
from handlers.callbacks import BookCb, MenuCb
from handlers.client import booking_views as bv
from handlers.client.access import Consented
from handlers.client.booking_steps import (
    Deps,
    parse_slot_value,
    phone_given,
    show_days,
    show_topics_or_site,
    slots_now,
    typed_phone,
)
from handlers.common import refuse_button, send, show
from handlers.notify import outcome_details, send_calendar_file, tell_case_manager
from handlers.states import BookingSG


def booking_router() -> Router:
    router = Router(name="booking")
    router.callback_query.filter(Consented())

    @router.callback_query(MenuCb.filter(F.item == "book"))
    async def start(
        callback: CallbackQuery,
        bot: Bot,
        state: FSMContext,
        client: Client,
        t: Translator,
        uow_factory: UnitOfWorkFactory,
    ) -> None:
        await callback.answer()
        await show_topics_or_site(callback, bot, state, client, t, uow_factory)

    @router.callback_query(BookCb.filter())
    async def step(
        callback: CallbackQuery,
        callback_data: BookCb,
        bot: Bot,
        state: FSMContext,
        client: Client,
        t: Translator,
        uow_factory: UnitOfWorkFactory,
        clock: Clock,
        policy: BookingPolicy,
        catalogs: Catalogs,
    ) -> None:
        deps: Deps = {"uow_factory": uow_factory, "clock": clock, "policy": policy}
        data = await state.get_data()
        current = await state.get_state()
        value = callback_data.value
        action = callback_data.step

        if action == "cancel":
            await state.clear()
            await callback.answer()
            await show(callback, bot, views.main_menu(t, intro=bv.stopped(t)))
            return
        if action == "back":
            await callback.answer()
            await _back(callback, bot, state, client, t, deps, current, data)
            return
        if current is None or not current.startswith(BookingSG.__name__):
            await refuse_button(callback, bot, t, views.main_menu(t))
            return

        if action == "site":
            sites = {str(s.id): s for s in await sites_with_staff(uow_factory)}
            if value not in sites:
                await refuse_button(callback, bot, t, views.main_menu(t))
                return
            await choose_site(
                uow_factory, telegram_user_id=callback.from_user.id, site_id=int(value)
            )
            await state.update_data(site_id=int(value))
            await state.set_state(BookingSG.topic)
            await callback.answer()
            await show(callback, bot, bv.topic_picker(t))
        elif action == "topic":
            if value not in {a.value for a in LifeArea}:
                await refuse_button(callback, bot, t, views.main_menu(t))
                return
            await state.update_data(topic=value, mode=None)
            data = await state.get_data()
            modes = sorted(
                {s.mode for s in await slots_now(deps, client, data)}, key=list(Mode).index
            )
            await callback.answer()
            if not modes:
                await state.clear()
                await show(callback, bot, bv.no_slots(t, policy.horizon_days))
                return
            await state.set_state(BookingSG.mode)
            await show(callback, bot, bv.mode_picker(t, modes))
        elif action == "mode":
            if value not in {m.value for m in Mode} or not data.get("topic"):
                await refuse_button(callback, bot, t, views.main_menu(t))
                return
            await state.update_data(mode=value)
            await callback.answer()
            if value == Mode.PHONE.value and not client.phone:
                await state.set_state(BookingSG.phone)
                screen, keyboard = bv.phone_request(t)
                await bot.send_message(callback.from_user.id, screen.text, reply_markup=keyboard)
                return
            await show_days(callback, bot, state, client, t, deps)
        elif action == "day":
            try:
                chosen = date.fromisoformat(value)
            except ValueError:
                await refuse_button(callback, bot, t, views.main_menu(t))
                return
            slots = [
                s
                for s in await slots_now(deps, client, data)
                if s.starts_at.astimezone(policy.zone).date() == chosen
            ]
            if not slots or not data.get("mode"):
                await callback.answer(bv.not_bookable(t), show_alert=True)
                await show_days(callback, bot, state, client, t, deps)
                return
            await state.update_data(day=value)
            await state.set_state(BookingSG.time)
            await callback.answer()
            await show(callback, bot, bv.time_picker(t, slots, policy.zone))
        elif action == "time":
            parsed = parse_slot_value(value)
            offered = {(s.staff_id, s.starts_at): s for s in await slots_now(deps, client, data)}
            if parsed is None or parsed not in offered or not data.get("mode"):
                await callback.answer(bv.not_bookable(t), show_alert=True)
                await show_days(callback, bot, state, client, t, deps)
                return
            await state.update_data(slot=value)
            await callback.answer()
            if data.get("move_id"):
                await state.set_state(BookingSG.summary)
                await show(
                    callback, bot, _summary(t, data | {"slot": value}, offered[parsed], policy)
                )
                return
            await state.set_state(BookingSG.interpreter)
            await show(callback, bot, bv.interpreter_question(t))
        elif action == "interp":
            if value not in ("yes", "no") or not data.get("slot"):
                await refuse_button(callback, bot, t, views.main_menu(t))
                return
            interpreter = client.locale if value == "yes" else None
            await state.update_data(interpreter=interpreter)
            parsed = parse_slot_value(data["slot"])
            offered = {(s.staff_id, s.starts_at): s for s in await slots_now(deps, client, data)}
            await callback.answer()
            if parsed is None or parsed not in offered:
                await show(callback, bot, bv.slot_taken(t, list(offered.values()), policy.zone))
                await state.set_state(BookingSG.time)
                return
            await state.set_state(BookingSG.summary)
            await show(
                callback,
                bot,
                _summary(t, data | {"interpreter": interpreter}, offered[parsed], policy),
            )
        elif action == "confirm":
            await _confirm(callback, bot, state, client, t, deps, catalogs, data)
        else:  # "write" and anything new: not a booking step yet
            await refuse_button(callback, bot, t, views.main_menu(t))

    @router.message(BookingSG.phone, F.contact)
    async def phone_shared(
        message: Message,
        bot: Bot,
        state: FSMContext,
        client: Client | None,
        t: Translator,
        uow_factory: UnitOfWorkFactory,
        clock: Clock,
        policy: BookingPolicy,
    ) -> None:
        contact = message.contact
        assert contact is not None
        if client is None or message.from_user is None or contact.user_id != message.from_user.id:
            await message.answer(bv.phone_not_own(t))
            return
        deps: Deps = {"uow_factory": uow_factory, "clock": clock, "policy": policy}
        await phone_given(message, bot, state, client, t, deps, contact.phone_number)

    @router.message(BookingSG.phone, ~F.text.startswith("/"))
    async def phone_other(
        message: Message,
        bot: Bot,
        state: FSMContext,
        client: Client | None,
        t: Translator,
        uow_factory: UnitOfWorkFactory,
        clock: Clock,
        policy: BookingPolicy,
    ) -> None:
        # Commands pass on to their own routers. A typed number is taken as given.
        typed = typed_phone(message.text or "")
        if typed is not None and client is not None:
            deps: Deps = {"uow_factory": uow_factory, "clock": clock, "policy": policy}
            await phone_given(message, bot, state, client, t, deps, typed)
            return
        if message.text != bv.stop_label(t):
            # Anything else (a word, a sticker): ask again, the flow stays where it is.
            screen, keyboard = bv.phone_request(t)
            await message.answer(screen.text, reply_markup=keyboard)
            return
        await state.clear()
        await message.answer(bv.stopped(t), reply_markup=ReplyKeyboardRemove())
        await send(bot, message.chat.id, views.main_menu(t))

    return router


def _summary(
    t: Translator, data: dict[str, Any], slot: Slot, policy: BookingPolicy
) -> views.Screen:
    body = bv.details(
        t,
        topic=LifeArea(data["topic"]),
        starts_at=slot.starts_at,
        mode=slot.mode,
        address=slot.address,
        interpreter=data.get("interpreter"),
        zone=policy.zone,
    )
    return bv.summary(t, body)


async def _back(
    callback: CallbackQuery,
    bot: Bot,
    state: FSMContext,
    client: Client,
    t: Translator,
    deps: Deps,
    current: str | None,
    data: dict[str, Any],
) -> None:
    if current in (BookingSG.day.state, BookingSG.phone.state) and not data.get("move_id"):
        modes = sorted(
            {s.mode for s in await slots_now(deps, client, data | {"mode": None})},
            key=list(Mode).index,
        )
        await state.set_state(BookingSG.mode)
        await show(callback, bot, bv.mode_picker(t, modes))
    elif current in (BookingSG.time.state,) or (
        current == BookingSG.summary.state and data.get("move_id")
    ):
        await show_days(callback, bot, state, client, t, deps)
    elif current in (BookingSG.interpreter.state, BookingSG.summary.state):
        day = data.get("day")
        slots = [
            s
            for s in await slots_now(deps, client, data)
            if s.starts_at.astimezone(deps["policy"].zone).date().isoformat() == day
        ]
        if not slots:
            await show_days(callback, bot, state, client, t, deps)
            return
        await state.set_state(BookingSG.time)
        await show(callback, bot, bv.time_picker(t, slots, deps["policy"].zone))
    elif current == BookingSG.mode.state:
        await state.set_state(BookingSG.topic)
        await show(callback, bot, bv.topic_picker(t))
    else:
        await state.clear()
        await show(callback, bot, views.main_menu(t))


async def _confirm(
    callback: CallbackQuery,
    bot: Bot,
    state: FSMContext,
    client: Client,
    t: Translator,
    deps: Deps,
    catalogs: Catalogs,
    data: dict[str, Any],
) -> None:
    policy: BookingPolicy = deps["policy"]
    parsed = parse_slot_value(data.get("slot") or "")
    if parsed is None or not data.get("topic"):
        await refuse_button(callback, bot, t, views.main_menu(t))
        return
    staff_id, starts_at = parsed
    try:
        if data.get("move_id"):
            outcome, old = await booking_service.move_appointment(
                deps["uow_factory"],
                deps["clock"],
                policy,
                appointment_id=int(data["move_id"]),
                staff_id=staff_id,
                starts_at=starts_at,
                client_id=client.id,
            )
        else:
            outcome = await booking_service.book_appointment(
                deps["uow_factory"],
                deps["clock"],
                policy,
                client_id=client.id or 0,
                staff_id=staff_id,
                starts_at=starts_at,
                topic=LifeArea(data["topic"]),
                interpreter=data.get("interpreter"),
                site_id=data.get("site_id"),
            )
            old = None
    except booking_service.SlotTakenError as exc:
        await callback.answer()
        await state.set_state(BookingSG.time)
        alternatives = [s for s in exc.alternatives if s.mode.value == data.get("mode")]
        await show(callback, bot, bv.slot_taken(t, alternatives, policy.zone))
        return
    except booking_service.TooManyAppointmentsError:
        await callback.answer()
        await state.clear()
        await show(callback, bot, bv.too_many(t, policy.max_open))
        return
    except (
        booking_service.SlotUnavailableError,
        booking_service.NotBookedError,
        booking_service.NotYoursError,
    ):
        await state.clear()
        await refuse_button(callback, bot, t, views.main_menu(t))
        return
    await state.clear()
    await callback.answer()
    body = outcome_details(t, outcome, policy)
    await show(callback, bot, bv.moved(t, body) if old else bv.booked(t, body))
    await send_calendar_file(bot, t, outcome, deps["clock"], sequence=1 if old else 0)
    await tell_case_manager(
        bot,
        catalogs,
        deps["uow_factory"],
        deps["clock"],
        policy,
        outcome,
        "moved" if old else "booked",
        old_start=old,
    )
