"""An .ics file for one appointment (the `icalendar` package).

Only logistics go in: the title, time and place the client already sees. No topic,
no names: calendar apps sync to clouds.
"""

from __future__ import annotations

from datetime import datetime

from icalendar import Calendar, Event

from bot.domain import Appointment


def appointment_ics(
    appointment: Appointment, *, title: str, location: str, now: datetime, sequence: int = 0
) -> bytes:
    calendar = Calendar()
    calendar.add("prodid", "-//Lotse//THM//DE")
    calendar.add("version", "2.0")
    calendar.add("method", "PUBLISH")
    event = Event()
    event.add("uid", f"appointment-{appointment.id}@lotse")
    event.add("dtstamp", now)
    event.add("dtstart", appointment.starts_at)
    event.add("dtend", appointment.ends_at)
    event.add("summary", title)
    if location:
        event.add("location", location)
    event.add("sequence", sequence)
    event.add("status", "CANCELLED" if appointment.status.value == "cancelled" else "CONFIRMED")
    calendar.add_component(event)
    ical: bytes = calendar.to_ical()
    return ical
