"""Shared by the console's hours tests: German words of the console, a client of a case
manager, and the slots the chat offers them (the booking service itself)."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import select

from bot.domain import Client, Mode, Staff, WeeklyHours
from bot.i18n import Catalogs
from bot.services.booking import offered_slots
from bot.slots import BookingPolicy
from storage.models import DayOffRow, WeeklyHoursRow
from tests.helpers import id_of
from tests.web.conftest import ConsoleWorld

BERLIN = ZoneInfo("Europe/Berlin")
POLICY = BookingPolicy(lead=timedelta(hours=2), horizon_days=14, max_open=3, zone=BERLIN)
#: The fake clock's today (Wednesday, 25 November 2026, 10:00 in Berlin) and tomorrow.
TODAY = date(2026, 11, 25)
THURSDAY = date(2026, 11, 26)
WINDOW = {
    "weekday": "3",
    "start": "09:00",
    "end": "12:00",
    "slot": "30",
    "mode": "in_person",
    "address": "Rathaus Essen, Raum 3",
}


def de(message: str, context: str = "console") -> str:
    return Catalogs().translator("de").raw_p(context, message)


async def client_of(console: ConsoleWorld, manager: Staff, telegram_id: int = 900) -> Client:
    async with console.uow_factory() as uow:
        client = Client(None, telegram_id, telegram_id, "fa_AF", nickname="Ahmad K.")
        client.consented_at, client.site_id = console.clock.now(), manager.site_id
        client.case_manager_id = manager.id
        client = await uow.clients.add(client)
        await uow.commit()
    return client


async def offered(console: ConsoleWorld, client: Client) -> list[datetime]:
    """Local start times of the slots the chat offers this client."""
    slots = await offered_slots(console.uow_factory, console.clock, POLICY, client_id=id_of(client))
    return [slot.starts_at.astimezone(BERLIN) for slot in slots]


async def windows_of(console: ConsoleWorld, staff: Staff) -> list[tuple[int, str, str, int, str]]:
    """(weekday, from, to, minutes, mode) of each stored window of `staff`."""
    async with console.engine.connect() as connection:
        rows = await connection.execute(
            select(
                WeeklyHoursRow.weekday,
                WeeklyHoursRow.start,
                WeeklyHoursRow.end,
                WeeklyHoursRow.slot_minutes,
                WeeklyHoursRow.mode,
            ).where(WeeklyHoursRow.staff_id == id_of(staff))
        )
        return [(r[0], f"{r[1]:%H:%M}", f"{r[2]:%H:%M}", r[3], r[4]) for r in rows]


async def days_off_of(console: ConsoleWorld, staff: Staff) -> list[date]:
    async with console.engine.connect() as connection:
        rows = await connection.execute(
            select(DayOffRow.day).where(DayOffRow.staff_id == id_of(staff)).order_by(DayOffRow.day)
        )
        return [row[0] for row in rows]


async def add_window(
    console: ConsoleWorld, staff: Staff, weekday: int = 3, start: int = 9, end: int = 12
) -> WeeklyHours:
    async with console.uow_factory() as uow:
        window = await uow.hours.add(
            WeeklyHours(None, id_of(staff), weekday, time(start), time(end), 30, Mode.PHONE)
        )
        await uow.commit()
    return window
