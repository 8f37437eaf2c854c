"""The .ics of an appointment: one UID for all its files, SEQUENCE its revision,
METHOD:CANCEL and STATUS:CANCELLED once cancelled (issue 18, item 8)."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

from icalendar import Calendar, Event

from bot.calendar_file import appointment_ics
from bot.domain import Appointment, AppointmentStatus, LifeArea, Mode

START = datetime(2026, 11, 26, 8, 0, tzinfo=UTC)
BOOKED = Appointment(
    id=7,
    client_id=1,
    staff_id=2,
    starts_at=START,
    ends_at=START + timedelta(minutes=30),
    mode=Mode.IN_PERSON,
    topic=LifeArea.HEALTH,
    address="Rathaus Essen, Raum 3",
)


def _read(appointment: Appointment) -> tuple[Calendar, Event]:
    data = appointment_ics(appointment, title="Termin", location="Rathaus Essen, Raum 3", now=START)
    calendar = Calendar.from_ical(data)
    (event,) = calendar.events
    return calendar, event


def test_a_booking_is_published_with_sequence_zero() -> None:
    calendar, event = _read(BOOKED)
    assert calendar["method"] == "PUBLISH"
    assert event["uid"] == "appointment-7@lotse" and event["sequence"] == 0
    assert event["status"] == "CONFIRMED"
    assert event.decoded("dtstart") == START and event.decoded("dtend") == START + timedelta(
        minutes=30
    )
    assert "health" not in calendar.to_ical().decode().lower()  # no topic in the file


def test_a_move_and_a_cancellation_update_the_same_event() -> None:
    moved = replace(BOOKED, starts_at=START + timedelta(hours=1), revision=1)
    calendar, event = _read(moved)
    assert calendar["method"] == "PUBLISH" and event["sequence"] == 1
    assert event["uid"] == "appointment-7@lotse"
    cancelled = replace(moved, status=AppointmentStatus.CANCELLED, revision=2)
    calendar, event = _read(cancelled)
    assert calendar["method"] == "CANCEL"
    assert event["status"] == "CANCELLED"
    assert event["uid"] == "appointment-7@lotse" and event["sequence"] == 2
    assert event.decoded("dtstart") == START + timedelta(hours=1)
