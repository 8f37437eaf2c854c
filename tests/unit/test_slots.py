"""Slot computation: DST weekends, holidays, days off, bookings, lead and horizon."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from bot.domain import DayOff, Mode, Slot, WeeklyHours
from bot.slots import BookingPolicy, free_slots, is_public_holiday, nearest_first

BERLIN = ZoneInfo("Europe/Berlin")


def _policy(days: int = 14, lead: timedelta = timedelta(hours=2)) -> BookingPolicy:
    return BookingPolicy(lead=lead, horizon_days=days, max_open=3, zone=BERLIN)


def _hours(weekday: int, start: str, end: str, slot: int = 30, staff_id: int = 1) -> WeeklyHours:
    return WeeklyHours(
        None,
        staff_id,
        weekday,
        time.fromisoformat(start),
        time.fromisoformat(end),
        slot,
        Mode.IN_PERSON,
        "Rathaus, Raum 3",
    )


def _local(slot: Slot) -> str:
    return slot.starts_at.astimezone(BERLIN).strftime("%Y-%m-%d %H:%M")


def test_a_plain_week() -> None:
    now = datetime(2026, 11, 23, 6, 0, tzinfo=UTC)  # Monday 07:00 in Berlin
    slots = free_slots(
        hours=[_hours(0, "09:00", "11:00")], days_off=[], taken=[], now=now, policy=_policy(days=7)
    )
    assert [_local(s) for s in slots] == [
        "2026-11-23 09:00",
        "2026-11-23 09:30",
        "2026-11-23 10:00",
        "2026-11-23 10:30",
    ]
    assert all(s.ends_at - s.starts_at == timedelta(minutes=30) for s in slots)
    assert slots[0].starts_at == datetime(2026, 11, 23, 8, 0, tzinfo=UTC)  # CET = UTC+1


def test_lead_time_and_horizon() -> None:
    now = datetime(2026, 11, 23, 7, 45, tzinfo=UTC)  # Monday 08:45 local; lead 2 h -> 10:45
    slots = free_slots(
        hours=[_hours(0, "09:00", "12:00")], days_off=[], taken=[], now=now, policy=_policy(days=8)
    )
    assert [_local(s) for s in slots][:2] == ["2026-11-23 11:00", "2026-11-23 11:30"]
    assert _local(slots[-1]).startswith("2026-11-30")
    assert (
        len(
            free_slots(
                hours=[_hours(0, "09:00", "12:00")],
                days_off=[],
                taken=[],
                now=now,
                policy=_policy(days=7),
            )
        )
        == 2
    )


def test_spring_dst_sunday_night_and_the_week_around_it() -> None:
    # 29 March 2026: clocks jump from 02:00 to 03:00 in Berlin.
    now = datetime(2026, 3, 27, 12, 0, tzinfo=UTC)
    hours = [_hours(6, "01:00", "04:00", 30), _hours(0, "09:00", "10:00", 60)]
    slots = free_slots(hours=hours, days_off=[], taken=[], now=now, policy=_policy(days=4))
    assert [_local(s) for s in slots] == [
        "2026-03-29 01:00",
        "2026-03-29 01:30",
        "2026-03-29 03:00",
        "2026-03-29 03:30",
        "2026-03-30 09:00",
    ]
    monday = slots[-1]
    assert monday.starts_at == datetime(2026, 3, 30, 7, 0, tzinfo=UTC)  # CEST = UTC+2
    # The 01:30 slot ends at 03:00 local wall time: 30 real minutes.
    assert slots[1].ends_at - slots[1].starts_at == timedelta(minutes=30)


def test_autumn_dst_sunday_takes_the_ambiguous_hour_once() -> None:
    # 25 October 2026: clocks go back from 03:00 to 02:00 in Berlin.
    now = datetime(2026, 10, 23, 12, 0, tzinfo=UTC)
    hours = [_hours(6, "01:30", "03:30", 30), _hours(0, "09:00", "10:00", 60)]
    slots = free_slots(hours=hours, days_off=[], taken=[], now=now, policy=_policy(days=4))
    local = [_local(s) for s in slots]
    assert local == [
        "2026-10-25 01:30",
        "2026-10-25 02:00",
        "2026-10-25 02:30",
        "2026-10-25 03:00",
        "2026-10-26 09:00",
    ]
    assert slots[1].starts_at == datetime(2026, 10, 25, 0, 0, tzinfo=UTC)  # first 02:00 (CEST)
    assert slots[-1].starts_at == datetime(2026, 10, 26, 8, 0, tzinfo=UTC)  # CET again
    assert len({s.starts_at for s in slots}) == len(slots)


def test_nrw_holidays_are_closed() -> None:
    assert is_public_holiday(date(2026, 6, 4))  # Corpus Christi: a holiday in NRW
    assert is_public_holiday(date(2026, 11, 1))
    assert not is_public_holiday(date(2026, 10, 31))  # Reformation Day: not in NRW
    now = datetime(2026, 6, 1, 5, 0, tzinfo=UTC)
    slots = free_slots(
        hours=[_hours(3, "09:00", "10:00", 60)],
        days_off=[],
        taken=[],
        now=now,
        policy=_policy(days=14),
    )
    assert [_local(s) for s in slots] == ["2026-06-11 09:00"]  # 4 June skipped


def test_days_off_and_bookings_are_not_offered() -> None:
    now = datetime(2026, 11, 23, 5, 0, tzinfo=UTC)
    hours = [
        _hours(1, "09:00", "10:00", 30, staff_id=1),
        _hours(1, "09:00", "10:00", 30, staff_id=2),
    ]
    taken = [(2, datetime(2026, 11, 24, 8, 0, tzinfo=UTC))]
    slots = free_slots(
        hours=hours,
        days_off=[DayOff(1, date(2026, 11, 24))],
        taken=taken,
        now=now,
        policy=_policy(days=7),
    )
    assert [(s.staff_id, _local(s)) for s in slots] == [(2, "2026-11-24 09:30")]


def test_overlapping_windows_give_one_slot() -> None:
    now = datetime(2026, 11, 23, 5, 0, tzinfo=UTC)
    hours = [_hours(1, "09:00", "10:00", 30), _hours(1, "09:00", "09:30", 30)]
    slots = free_slots(hours=hours, days_off=[], taken=[], now=now, policy=_policy(days=7))
    assert len(slots) == 2


def test_preferred_staff_win_a_time_but_not_another_mode() -> None:
    from dataclasses import replace

    now = datetime(2026, 11, 23, 6, 0, tzinfo=UTC)  # Monday 07:00 in Berlin
    anna = _hours(0, "09:00", "10:00", staff_id=1)
    ben = replace(_hours(0, "09:00", "10:00", staff_id=2), mode=Mode.PHONE, address=None)
    berta = _hours(0, "09:00", "10:00", staff_id=3)  # in person too, but after Anna
    slots = free_slots(
        hours=[berta, ben, anna],
        days_off=[],
        taken=[(1, datetime(2026, 11, 23, 8, 30, tzinfo=UTC))],  # Anna's 09:30 is booked
        now=now,
        policy=_policy(days=1),
        prefer=[1, 2, 3],
    )
    got = [(_local(s), s.mode, s.staff_id) for s in slots]
    assert ("2026-11-23 09:00", Mode.IN_PERSON, 1) in got  # Anna before Berta
    assert ("2026-11-23 09:30", Mode.IN_PERSON, 3) in got  # Berta where Anna is booked
    assert ("2026-11-23 09:00", Mode.PHONE, 2) in got  # Ben's phone times stay
    assert ("2026-11-23 09:30", Mode.PHONE, 2) in got
    assert len(got) == 4


def test_the_mondays_after_the_2027_dst_switches_are_closed() -> None:
    # README: Easter Monday (29 March) and All Saints' Day (1 November) follow the 2027
    # switches; the Sundays themselves are open to staff with Sunday hours.
    hours = [_hours(0, "09:00", "10:00", 60), _hours(6, "01:00", "04:00", 60)]
    for now, expected in (
        (datetime(2027, 3, 26, 12, 0, tzinfo=UTC), ["2027-03-28 01:00", "2027-03-28 03:00"]),
        (
            datetime(2027, 10, 29, 12, 0, tzinfo=UTC),
            ["2027-10-31 01:00", "2027-10-31 02:00", "2027-10-31 03:00"],
        ),
    ):
        slots = free_slots(hours=hours, days_off=[], taken=[], now=now, policy=_policy(days=4))
        assert [_local(s) for s in slots] == expected


def test_nearest_first_puts_the_times_around_the_wanted_one_first() -> None:
    # Monday 07:00 (the earliest free time), 13:30 and 14:30, and Tuesday 14:00 are free;
    # Monday 14:00 was wanted and just taken (issue 18, item 6).
    now = datetime(2026, 11, 23, 4, 0, tzinfo=UTC)  # Monday 05:00 in Berlin (lead: 2 h)
    hours = [_hours(0, "07:00", "07:30"), _hours(0, "13:30", "15:00"), _hours(1, "14:00", "14:30")]
    wanted = datetime(2026, 11, 23, 13, 0, tzinfo=UTC)  # Monday 14:00 in Berlin
    slots = free_slots(
        hours=hours, days_off=[], taken=[(1, wanted)], now=now, policy=_policy(days=2)
    )
    assert [_local(s) for s in slots][0] == "2026-11-23 07:00"  # by time, the earliest first
    assert [_local(s) for s in nearest_first(slots, wanted)] == [
        "2026-11-23 13:30",  # as near as 14:30: the earlier one first
        "2026-11-23 14:30",
        "2026-11-23 07:00",
        "2026-11-24 14:00",
    ]
    assert nearest_first([], wanted) == []


def test_too_soon_is_the_lead_time() -> None:
    policy = _policy(lead=timedelta(hours=2))
    now = datetime(2026, 11, 23, 8, 0, tzinfo=UTC)
    assert policy.too_soon(now + timedelta(hours=1, minutes=59), now)
    assert not policy.too_soon(now + timedelta(hours=2), now)
