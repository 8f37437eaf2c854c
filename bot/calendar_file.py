"""An .ics file for one appointment (the `icalendar` package).

Only logistics go in: the title, time and place the client already sees. No topic,
no names: calendar apps sync to clouds.

Every file of one appointment has the same UID; its SEQUENCE is the appointment's
revision, so a calendar app takes a move (METHOD:PUBLISH, the new time) or a
cancellation (METHOD:CANCEL, STATUS:CANCELLED) over the event it already has.
"""

from __future__ import annotations

from datetime import datetime

from icalendar import Calendar, Event

from bot.domain import Appointment, AppointmentStatus


def appointment_ics(appointment: Appointment, *, title: str, location: str, now: datetime) -> bytes:
    """The appointment as it stands: booked (or moved), or cancelled."""
    cancelled = appointment.status is AppointmentStatus.CANCELLED
    calendar = Calendar()
    calendar.add("prodid", "-//Lotse//THM//DE")
    calendar.add("version", "2.0")
    calendar.add("method", "CANCEL" if cancelled else "PUBLISH")
    event = Event()
    event.add("uid", f"appointment-{appointment.id}@lotse")
    event.add("dtstamp", now)
    event.add("dtstart", appointment.starts_at)
    event.add("dtend", appointment.ends_at)
    event.add("summary", title)
    if location:
        event.add("location", location)
    event.add("sequence", appointment.revision)
    event.add("status", "CANCELLED" if cancelled else "CONFIRMED")
    calendar.add_component(event)
    ical: bytes = calendar.to_ical()
    return ical
