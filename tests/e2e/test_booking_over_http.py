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
from tests.e2e import conftest as e2e
from tests.e2e.conftest import BotProcess, wait_for

pytestmark = pytest.mark.e2e

MANAGER, CLIENT = 610001, 610002


async def test_setup_by_cli_and_a_booking_in_dari(bot_process: BotProcess) -> None:
    emulator = bot_process.server.emulator
    dari, de = Catalogs().translator("fa_AF"), Catalogs().translator("de")
    zone = ZoneInfo("Europe/Berlin")

    await e2e.set_up_case_manager(
        bot_process, MANAGER, "--mode", "in_person", "--address", "Rathaus Essen"
    )

    await e2e.join_as_client(bot_process, CLIENT, dari, language_code="fa", language="دری")
    await e2e.start_booking(bot_process, CLIENT, dari, LifeArea.WORK, Mode.IN_PERSON)
    first_time = await e2e.pick_first_slot(bot_process, CLIENT)
    await e2e.confirm_booking(bot_process, CLIENT, dari, dari.p_("button", "Yes, please"))
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
