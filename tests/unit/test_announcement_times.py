"""Typed dates and times of announcements (bot/announcements.py), and quiet hours."""

from __future__ import annotations

from datetime import UTC, datetime, time
from zoneinfo import ZoneInfo

import pytest

from bot.announcements import out_of_quiet, tomorrow_morning, typed_moment
from bot.reminder_schedule import QuietHours

BERLIN = ZoneInfo("Europe/Berlin")
NOW = datetime(2026, 12, 7, 17, 0, tzinfo=UTC)  # Monday 18:00 in Berlin


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("24.12. 10:00", datetime(2026, 12, 24, 9, 0, tzinfo=UTC)),
        ("24.12.2026 10.30", datetime(2026, 12, 24, 9, 30, tzinfo=UTC)),
        ("24/12 um 9:05", datetime(2026, 12, 24, 8, 5, tzinfo=UTC)),
        ("۲۴.۱۲. ۱۰:۰۰", datetime(2026, 12, 24, 9, 0, tzinfo=UTC)),  # Dari digits
        ("3.1. 08:00", datetime(2027, 1, 3, 7, 0, tzinfo=UTC)),  # no year: the next one
    ],
)
def test_typed_moments(typed: str, expected: datetime) -> None:
    assert typed_moment(typed, NOW, BERLIN) == expected


@pytest.mark.parametrize("typed", ["morgen", "31.02. 10:00", "24.12.", "10:00", "24.12. 25:00"])
def test_what_is_no_moment(typed: str) -> None:
    assert typed_moment(typed, NOW, BERLIN) is None


def test_quiet_hours_move_it_to_their_end() -> None:
    quiet = QuietHours(time(21), time(8), BERLIN)
    late = datetime(2026, 12, 7, 22, 0, tzinfo=UTC)  # 23:00 in Berlin
    assert out_of_quiet(late, quiet) == datetime(2026, 12, 8, 7, 0, tzinfo=UTC)
    assert out_of_quiet(NOW, quiet) == NOW
    assert tomorrow_morning(NOW, BERLIN) == datetime(2026, 12, 8, 8, 0, tzinfo=UTC)
