"""Reminder times: offsets, DST, quiet hours (an injected 'now', no waiting)."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

from bot.reminder_schedule import QuietHours, due_time, may_send, offset_kind, plan

BERLIN = ZoneInfo("Europe/Berlin")
QUIET = QuietHours(time(21), time(8), BERLIN)
H24, H2 = timedelta(hours=24), timedelta(hours=2)


def local(year: int, month: int, day: int, hour: int, minute: int) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=BERLIN).astimezone(UTC)


def test_offset_names() -> None:
    assert [offset_kind(o) for o in (H24, H2, timedelta(minutes=90), timedelta(days=2))] == [
        "24h",
        "2h",
        "90m",
        "48h",
    ]


def test_plain_offsets() -> None:
    starts = local(2026, 11, 26, 10, 0)
    now = local(2026, 11, 20, 12, 0)
    assert plan(starts, H24, now=now, quiet=QUIET) == local(2026, 11, 25, 10, 0)
    assert plan(starts, H2, now=now, quiet=QUIET) == local(2026, 11, 26, 8, 0)


def test_the_monday_after_the_march_switch_keeps_the_wall_clock() -> None:
    # Clocks jump on Sunday 29 March 2026 at 02:00.
    monday = local(2026, 3, 30, 10, 0)
    assert due_time(monday, H24, BERLIN) == local(2026, 3, 29, 10, 0)
    sunday = local(2026, 3, 29, 10, 0)  # 24 real hours before would be Saturday 09:00
    assert due_time(sunday, H24, BERLIN) == local(2026, 3, 28, 10, 0)
    assert due_time(sunday, H2, BERLIN) == local(2026, 3, 29, 8, 0)


def test_the_october_switch_keeps_the_wall_clock() -> None:
    sunday = local(2026, 10, 25, 10, 0)  # clocks went back at 03:00 that morning
    assert due_time(sunday, H24, BERLIN) == local(2026, 10, 24, 10, 0)
    assert sunday - due_time(sunday, H24, BERLIN) == timedelta(hours=25)


def test_quiet_hours_move_to_the_evening_before_if_still_ahead() -> None:
    starts = local(2026, 11, 26, 8, 30)  # 2 h before = 06:30, inside quiet hours
    now = local(2026, 11, 24, 12, 0)
    assert plan(starts, H2, now=now, quiet=QUIET) == local(2026, 11, 25, 20, 55)


def test_a_booking_at_23_for_09_gets_its_reminder_at_08() -> None:
    now = local(2026, 11, 25, 23, 0)
    starts = local(2026, 11, 26, 9, 0)
    assert plan(starts, H24, now=now, quiet=QUIET) is None  # already past
    assert plan(starts, H2, now=now, quiet=QUIET) == local(2026, 11, 26, 8, 0)


def test_skipped_when_the_morning_is_too_late() -> None:
    now = local(2026, 11, 25, 23, 0)
    starts = local(2026, 11, 26, 8, 20)  # 08:00 leaves only 20 minutes
    assert plan(starts, H2, now=now, quiet=QUIET) is None


def test_quiet_hours_that_do_not_wrap_midnight() -> None:
    quiet = QuietHours(time(12), time(14), BERLIN)
    starts = local(2026, 11, 26, 15, 0)
    now = local(2026, 11, 20, 0, 0)
    assert plan(starts, H2, now=now, quiet=quiet) == local(2026, 11, 26, 11, 55)


def test_may_send_only_ahead_and_outside_quiet_hours() -> None:
    starts = local(2026, 11, 26, 10, 0)
    assert may_send(local(2026, 11, 26, 8, 5), starts, QUIET)
    assert not may_send(local(2026, 11, 26, 7, 59), starts, QUIET)
    assert not may_send(local(2026, 11, 26, 10, 0), starts, QUIET)


def test_a_retry_waits_out_quiet_hours_and_expires_near_the_appointment() -> None:
    from bot.reminder_schedule import retry_time

    quiet = QUIET
    starts = datetime(2026, 11, 27, 9, 0, tzinfo=UTC)  # Friday 10:00 Berlin
    noon = datetime(2026, 11, 26, 11, 0, tzinfo=UTC)
    assert retry_time(noon, starts, timedelta(minutes=5), quiet) == noon + timedelta(minutes=5)
    # Into the night (21:00-08:00 Berlin): at 08:00 the next morning.
    late = datetime(2026, 11, 26, 19, 58, tzinfo=UTC)  # 20:58 Berlin
    assert retry_time(late, starts, timedelta(minutes=5), quiet) == datetime(
        2026, 11, 27, 7, 0, tzinfo=UTC
    )
    # Closer than 30 minutes to the appointment: expired.
    assert retry_time(starts - timedelta(minutes=40), starts, timedelta(minutes=15), quiet) is None


def test_the_readmes_dst_examples_of_2027() -> None:
    # README, "Reminders": clocks go forward on Sunday 28 March 2027 and back on Sunday
    # 31 October 2027; a Sunday 10:00 appointment is reminded on Saturday at 10:00.
    spring = local(2027, 3, 28, 10, 0)
    reminder = plan(spring, H24, now=local(2027, 3, 20, 12, 0), quiet=QUIET)
    assert reminder == local(2027, 3, 27, 10, 0)
    assert spring - reminder == timedelta(hours=23)
    autumn = local(2027, 10, 31, 10, 0)
    reminder = plan(autumn, H24, now=local(2027, 10, 20, 12, 0), quiet=QUIET)
    assert reminder == local(2027, 10, 30, 10, 0)
    assert autumn - reminder == timedelta(hours=25)
