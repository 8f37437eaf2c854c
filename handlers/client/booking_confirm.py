"""The last step of booking and of moving: the database decides; the client sees the
outcome, gets a calendar file, and their case manager is told."""

from __future__ import annotations

from collections.abc import Awaitable
from datetime import datetime
from typing import Any

from aiogram.types import CallbackQuery

from bot.services import booking as booking_service
from bot.services.booking import BookingOutcome
from handlers import views
from handlers.client import booking_views as bv
from handlers.client.access import ClientTurn
from handlers.common import refuse_button, show
from handlers.notify import outcome_details, send_calendar_file, tell_case_manager
from handlers.states import BookingSG, MoveSG

#: What a confirmation attempt gives: the outcome, and the old start time of a move.
Attempt = Awaitable[tuple[BookingOutcome, datetime | None]]


async def new_booking(booking: Awaitable[BookingOutcome]) -> tuple[BookingOutcome, None]:
    return await booking, None


async def confirmed(
    callback: CallbackQuery,
    turn: ClientTurn,
    attempt: Attempt,
    data: dict[str, Any],
    *,
    moving: bool,
) -> None:
    """Run the booking (or move) and show its outcome; a lost race offers other times."""
    bot, state, t, policy = turn.bot, turn.state, turn.t, turn.policy
    try:
        outcome, old = await attempt
    except booking_service.SlotTakenError as exc:
        await callback.answer()
        await state.set_state(MoveSG.time if moving else BookingSG.time)
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
    await send_calendar_file(bot, t, outcome, turn.clock, sequence=1 if old else 0)
    await tell_case_manager(
        bot, turn.catalogs, policy, outcome, "moved" if old else "booked", old_start=old
    )
