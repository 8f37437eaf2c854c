"""Over HTTP: a coordinator sets up a site and a case manager; a Dari speaker books.

Working hours are set around "now" (today and tomorrow, all day) and the lead time
is one minute, so the test passes at any hour of any day.
"""

from __future__ import annotations

from zoneinfo import ZoneInfo

import pytest
from icalendar import Calendar

from bot.domain import LifeArea, Mode
from bot.i18n import Catalogs
from emulator.state import visible_text
from handlers import labels
from tests.e2e.conftest import (
    BotProcess,
    inline_keyboard,
    set_up_case_manager,
    tap,
    wait_for,
    wait_for_message,
)

pytestmark = pytest.mark.e2e

MANAGER, CLIENT = 610001, 610002


async def test_setup_by_cli_and_a_booking_in_dari(bot_process: BotProcess) -> None:
    emulator = bot_process.server.emulator
    dari, de = Catalogs().translator("fa_AF"), Catalogs().translator("de")
    zone = ZoneInfo("Europe/Berlin")

    await set_up_case_manager(
        bot_process, MANAGER, "--mode", "in_person", "--address", "Rathaus Essen"
    )

    await emulator.user_message(CLIENT, text="/start site-essen", language_code="fa")
    await wait_for_message(bot_process.server, CLIENT, 0, what="the picker")
    await tap(bot_process, CLIENT, "دری")
    await tap(bot_process, CLIENT, dari.p_("button", "✅ I agree"))
    await tap(bot_process, CLIENT, dari.p_("button", "📅 Book an appointment"))
    await tap(bot_process, CLIENT, labels.life_area(dari, LifeArea.WORK))
    await tap(bot_process, CLIENT, labels.mode(dari, Mode.IN_PERSON))
    day_screen = emulator.chat(CLIENT)[-1]
    first_day = inline_keyboard(day_screen)[0][0]["text"]
    await tap(bot_process, CLIENT, first_day)
    first_time = inline_keyboard(emulator.chat(CLIENT)[-1])[0][0]["text"]
    await tap(bot_process, CLIENT, first_time)
    await tap(bot_process, CLIENT, dari.p_("button", "Yes, please"))
    await tap(bot_process, CLIENT, dari.p_("button", "✅ Book this appointment"))

    booked = visible_text(dari._("✅ Your appointment is booked."), "HTML")
    await wait_for(
        lambda: any((m.visible or "").startswith(booked) for m in emulator.chat(CLIENT)),
        what="the confirmation in Dari",
    )
    ics = await wait_for(
        lambda: next((m for m in emulator.chat(CLIENT) if m.kind == "document"), None),
        what="the calendar file",
    )
    event = next(iter(Calendar.from_ical(ics.data).walk("VEVENT")))
    start = event.decoded("dtstart").astimezone(zone)
    assert f"{start:%H:%M}" == first_time
    assert "Rathaus Essen" in str(event.get("location"))

    notice_start = visible_text(de._("📅 New appointment with {client}", client="X"), "HTML")[:8]
    await wait_for(
        lambda: any((m.visible or "").startswith(notice_start) for m in emulator.chat(MANAGER)),
        what="the case manager's notice",
    )
