"""The last step of booking and of moving: the database decides; the client sees the
outcome, gets a calendar file, and their case manager is told. A time taken meanwhile,
or too soon by now, leads back to the time step with the free times nearest to it."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from aiogram.types import CallbackQuery

from bot.domain import Slot
from bot.i18n import Translator
from bot.services import booking as booking_service
from bot.services.booking import BookingOutcome
from handlers import views
from handlers.client import booking_views as bv
from handlers.client.access import ClientTurn
from handlers.common import refuse_button, show
from handlers.notify import outcome_details, send_calendar_file, tell_case_manager
from handlers.states import BookingSG, MoveSG
from handlers.views import Screen

#: What a confirmation attempt gives: the outcome, and the old start time of a move.
Attempt = Awaitable[tuple[BookingOutcome, datetime | None]]
#: Why the chosen time cannot be had, with other times to choose (booking_views).
OthersScreen = Callable[[Translator, list[Slot], ZoneInfo], Screen]


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
    """Run the booking (or move) and show its outcome; a time taken meanwhile, or now too
    soon, offers the free times nearest to it."""
    bot, state, t, policy = turn.bot, turn.state, turn.t, turn.policy
    try:
        outcome, old = await attempt
    except booking_service.SlotTakenError as exc:
        await _offer_others(callback, turn, data, bv.slot_taken, exc.alternatives, moving=moving)
        return
    except booking_service.SlotTooSoonError as exc:
        await _offer_others(callback, turn, data, bv.slot_too_soon, exc.alternatives, moving=moving)
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
    await send_calendar_file(turn, t, outcome)
    await tell_case_manager(
        bot, turn.catalogs, policy, outcome, "moved" if old else "booked", old_start=old
    )


async def _offer_others(
    callback: CallbackQuery,
    turn: ClientTurn,
    data: dict[str, Any],
    screen: OthersScreen,
    alternatives: list[Slot],
    *,
    moving: bool,
) -> None:
    """Back to the time step, with the free times (nearest to the chosen one first) that
    this booking or move could take: the same way to meet, and for a move the same case
    manager."""
    await callback.answer()
    await turn.state.set_state(MoveSG.time if moving else BookingSG.time)
    mover = data.get("move_staff_id")
    fitting = [
        s
        for s in alternatives
        if s.mode.value == data.get("mode") and (not mover or s.staff_id == mover)
    ]
    await show(callback, turn.bot, screen(turn.t, fitting, turn.policy.zone))
