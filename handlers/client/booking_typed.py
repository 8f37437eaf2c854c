"""A topic, a day or a time typed instead of tapped, inside a booking or a move (issue 19,
item 3). One handler per step (chosen by the FSM state), registered on the client's
booking router, the moving router and the staff's booking router, each with its booker.

Text that fits the step is taken as the button would be, and the next screen comes below
it: "Wohnung" at the topic step, "Montag", "morgen" or "12.01." at the day step (a day
with free times; else it says so and shows the days that have some), "14:30", "2:30 pm"
or "۱۴:۳۰" at the time step (a time offered that day; else it says so, with the nearest
free times). Text that does not fit gets one line for that step and the way out (back to
the menu, or to the client's entry for a case manager); the step's buttons above keep
working. A step with buttons only says so in one line. The phone step has its own
handlers (handlers/client/booking.py). Nothing of the text is logged or kept.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from aiogram import F, Router
from aiogram.filters import StateFilter
from aiogram.types import Message

from bot.domain import LifeArea, Slot
from bot.formatting import format_clock
from bot.i18n import Translator
from bot.slots import nearest_first
from bot.typed_times import TypedDay, slot_at, typed_clock, typed_day
from bot.typed_topics import typed_area
from handlers import labels
from handlers.client import booking_typed_views as btv
from handlers.client import booking_views as bv
from handlers.client.booker_protocol import Booker
from handlers.client.booking_steps import modes_of
from handlers.states import BookingSG

#: A typed text, not a command (commands go on to their own handlers).
TYPED = (F.text, ~F.text.startswith("/"))
#: The steps with buttons only.
BUTTONS_ONLY = StateFilter(BookingSG.site, BookingSG.mode, BookingSG.interpreter, BookingSG.summary)


def _weekday_names(t: Translator) -> list[str]:
    return [labels.weekday(t, index) for index in range(7)]


def _on_day(slots: list[Slot], day: date, booker: Booker) -> list[Slot]:
    return [s for s in slots if s.starts_at.astimezone(booker.zone).date() == day]


async def topic_typed(message: Message, booker: Booker) -> None:
    """A life area typed: how to meet, as if its button was tapped."""
    t, state = booker.t, booker.turn.state
    names = {area: labels.life_area(t, area) for area in LifeArea}
    area = typed_area(message.text or "", t.locale, names)
    if area is None:
        example = labels.life_area_name(t, LifeArea.HOUSING)
        await booker.hint(message, btv.topic_hint(t, example))
        return
    await state.update_data(topic=area.value, mode=None)
    await booker.show_modes(message, modes_of(await booker.slots(await state.get_data())))


def _day_named(t: Translator, typed: TypedDay, booker: Booker) -> str:
    if typed.day is None:
        return labels.weekday(t, typed.weekday or 0)
    noon = datetime(typed.day.year, typed.day.month, typed.day.day, 12, tzinfo=booker.zone)
    return labels.day_label(t, noon, booker.zone)


async def day_typed(message: Message, booker: Booker) -> None:
    """A day typed: its times, if it has free ones; else the days that have."""
    t, state, zone = booker.t, booker.turn.state, booker.zone
    data = await state.get_data()
    slots = await booker.slots(data)
    days = sorted({s.starts_at.astimezone(zone).date() for s in slots})
    today = booker.turn.clock.now().astimezone(zone).date()
    typed = typed_day(message.text or "", t.locale, today=today, weekday_names=_weekday_names(t))
    if typed is None or not data.get("mode"):
        example = labels.weekday(t, days[0].weekday() if days else 0)
        await booker.hint(message, btv.day_hint(t, example))
        return
    day = typed.pick(days)
    if day is None:
        await booker.show_days(message, intro=btv.no_free_day(t, _day_named(t, typed, booker)))
        return
    await state.update_data(day=day.isoformat())
    await state.set_state(booker.time_state)
    await booker.show_times(message, _on_day(slots, day, booker))


async def typed_slot(message: Message, booker: Booker) -> Slot | None:
    """A time typed at the time step: the slot of the day shown that begins then (kept in
    the data, as a tap keeps it); None when it is answered otherwise (not a time: the
    hint; not free: the nearest free times)."""
    t, state, zone = booker.t, booker.turn.state, booker.zone
    data = await state.get_data()
    offered = await booker.slots(data)
    try:
        day = date.fromisoformat(data.get("day") or "")
    except ValueError:
        day = None
    on_day = _on_day(offered, day, booker) if day else []
    typed = typed_clock(message.text or "", t.locale)
    if typed is None or day is None or not data.get("mode"):
        example = format_clock(on_day[0].starts_at, t.locale, zone) if on_day else "14:30"
        await booker.hint(message, btv.time_hint(t, example))
        return None
    slot = slot_at(typed, on_day, zone)
    if slot is None:
        wanted = typed.instant(day, zone)
        when = format_clock(wanted, t.locale, zone)
        head = btv.time_not_free(t, when, labels.day_label(t, wanted, zone))
        await booker.offer_times(message, head, nearest_first(offered, wanted))
        return None
    await state.update_data(slot=bv.slot_value(slot))
    return slot


async def time_typed(message: Message, booker: Booker) -> None:
    """A time typed while booking: the interpreter question, as after a tap."""
    if await typed_slot(message, booker) is None:
        return
    await booker.turn.state.set_state(BookingSG.interpreter)
    await booker.ask_interpreter(message)


async def buttons_only(message: Message, booker: Booker) -> None:
    """Typed at a step that has buttons only: one line saying so, and the way out."""
    await booker.hint(message, btv.buttons_hint(booker.t))


def register_typed_steps(router: Router, *filters: Any) -> None:
    """The booking steps, typed (BookingSG); `filters` hand the handlers their booker."""
    router.message.register(topic_typed, BookingSG.topic, *TYPED, *filters)
    router.message.register(day_typed, BookingSG.day, *TYPED, *filters)
    router.message.register(time_typed, BookingSG.time, *TYPED, *filters)
    router.message.register(buttons_only, BUTTONS_ONLY, *TYPED, *filters)
