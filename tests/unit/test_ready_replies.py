"""Ready-made replies (issue 23, item 2) in the catalogs, and the times of "send later"
(item 3): pure logic, no database."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, time
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from babel.messages.pofile import read_po

from bot.domain import Mode, WeeklyHours
from bot.i18n import SUPPORTED_LOCALES, Catalogs
from bot.later import next_hours_start, out_of_quiet, tomorrow_morning, typed_moment
from bot.ready_replies import CONTEXT, PLACEHOLDERS, READY_REPLIES, missing, ready_reply
from bot.reminder_schedule import QuietHours
from handlers import relay_views as rv

ROOT = Path(__file__).resolve().parents[2]
BERLIN = ZoneInfo("Europe/Berlin")
#: Wednesday 25 November 2026, 10:00 in Berlin.
NOW = datetime(2026, 11, 25, 9, 0, tzinfo=UTC)
PLACEHOLDER = re.compile(r"\{(\w*)[^{}]*\}")


def test_there_are_at_least_fifteen_everyday_replies_with_their_own_keys() -> None:
    assert len(READY_REPLIES) >= 15
    keys = [reply.key for reply in READY_REPLIES]
    assert len(set(keys)) == len(keys) and all(len(key) <= 8 for key in keys)
    assert len({reply.msgid for reply in READY_REPLIES}) == len(READY_REPLIES)
    # Some take a day, a time or a place, each only from buttons.
    used = {name for reply in READY_REPLIES for name in reply.placeholders}
    assert used == set(PLACEHOLDERS)
    for reply in READY_REPLIES:
        assert set(PLACEHOLDER.findall(reply.msgid)) <= set(PLACEHOLDERS), reply.msgid


@pytest.mark.parametrize("locale", SUPPORTED_LOCALES)
def test_every_ready_reply_is_translated_by_people_with_the_same_placeholders(
    locale: str,
) -> None:
    with (ROOT / "locales" / locale / "LC_MESSAGES" / "messages.po").open("rb") as handle:
        catalog = read_po(handle, locale=locale)
    for reply in READY_REPLIES:
        message = catalog.get(reply.msgid, context=CONTEXT)
        assert message is not None, f"{locale}: {reply.msgid!r} missing"
        translated = message.string
        assert isinstance(translated, str) and translated, f"{locale}: {reply.msgid!r} untranslated"
        assert not message.fuzzy, f"{locale}: {reply.msgid!r} fuzzy"
        if locale not in ("en",):
            assert translated != reply.msgid, f"{locale}: {reply.msgid!r} left in English"
        assert sorted(PLACEHOLDER.findall(translated)) == sorted(
            PLACEHOLDER.findall(reply.msgid)
        ), f"{locale}: placeholders of {reply.msgid!r}"


def test_a_filled_reply_reads_in_the_clients_language() -> None:
    catalogs = Catalogs()
    reply = ready_reply("apt")
    assert reply is not None and reply.placeholders == ("day", "time")
    values = {"day": "2026-11-26", "time": "10:30"}
    assert missing(reply, {"day": "2026-11-26"}) == "time" and missing(reply, values) is None
    german = rv.ready_text(catalogs.translator("de"), reply, values, BERLIN)
    assert "Unser Termin ist am" in german and "26. November" in german and "10:30" in german
    pashto = rv.ready_text(catalogs.translator("ps"), reply, values, BERLIN)
    assert pashto.startswith("زموږ ملاقات") and "10:30" in pashto
    shown = rv.ready_answer(catalogs.translator("ps"), pashto)
    assert "✍️" in shown and pashto in shown


def test_later_moments_tomorrow_next_hours_typed_and_never_in_quiet_hours() -> None:
    assert tomorrow_morning(NOW, BERLIN) == datetime(2026, 11, 26, 8, 0, tzinfo=UTC)
    friday = WeeklyHours(
        None, 1, weekday=4, start=time(13), end=time(17), slot_minutes=30, mode=Mode.PHONE
    )
    wednesday = WeeklyHours(
        None, 1, weekday=2, start=time(9), end=time(17), slot_minutes=30, mode=Mode.PHONE
    )
    # Working now (Wednesday 9-17) does not count: the next window is Friday's.
    assert next_hours_start([wednesday, friday], set(), NOW, BERLIN) == datetime(
        2026, 11, 27, 12, 0, tzinfo=UTC
    )
    assert next_hours_start([friday], {date(2026, 11, 27)}, NOW, BERLIN) == datetime(
        2026, 12, 4, 12, 0, tzinfo=UTC
    )
    assert next_hours_start([], set(), NOW, BERLIN) is None
    assert typed_moment("24.12. 10:30", NOW, BERLIN) == datetime(2026, 12, 24, 9, 30, tzinfo=UTC)
    assert typed_moment("2026-12-24 10:30", NOW, BERLIN) == datetime(
        2026, 12, 24, 9, 30, tzinfo=UTC
    )
    assert typed_moment("1.1. 9:00", NOW, BERLIN) == datetime(2027, 1, 1, 8, 0, tzinfo=UTC)
    for wrong in ("25.11. 09:00", "31.02. 10:00", "morgen", "", "24.12."):
        assert typed_moment(wrong, NOW, BERLIN) is None, wrong
    quiet = QuietHours(time(21), time(8), BERLIN)
    late = datetime(2026, 11, 25, 22, 30, tzinfo=UTC)  # 23:30 in Berlin
    assert out_of_quiet(late, quiet) == datetime(2026, 11, 26, 7, 0, tzinfo=UTC)  # 08:00
    assert out_of_quiet(NOW, quiet) == NOW
