"""Localised labels for domain values: life areas, modes, weekdays, dates and times, an
appointment's details, a client's name, a cancellation's reason.

Weekday names come from our catalogs (the glossary wants everyday Afghan names,
not CLDR's); the day with its month from Babel (bot/formatting.py: CLDR's pattern and
month names, Afghan ones for fa_AF, Latin-script Serbian for sr), with Latin digits.
"""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from bot.domain import Appointment, CancelReason, LifeArea, Mode, Slot
from bot.formatting import format_clock, format_day_month
from bot.i18n import NATIVE_NAMES, Markup, Translator
from bot.words import language_in as language_in
from bot.words import life_area_name as life_area_name

LIFE_AREA_EMOJI = {
    LifeArea.EDUCATION: "🎓",
    LifeArea.TRAINING: "🛠",
    LifeArea.WORK: "💼",
    LifeArea.HOUSING: "🏠",
    LifeArea.FAMILY: "👪",
    LifeArea.MENTAL_HEALTH: "💚",
    LifeArea.HEALTH: "🩺",
    LifeArea.LEISURE: "⚽",
    LifeArea.LEGAL: "⚖️",
    LifeArea.LANGUAGE: "🗣",
    LifeArea.MONEY: "💶",
    LifeArea.OTHER: "💬",
}
MODE_EMOJI = {Mode.IN_PERSON: "🏢", Mode.PHONE: "📞", Mode.VIDEO: "💻"}


def life_area(t: Translator, area: LifeArea) -> str:
    return f"{LIFE_AREA_EMOJI[area]} {life_area_name(t, area)}"


def mode(t: Translator, value: Mode) -> str:
    labels = {
        Mode.IN_PERSON: t.p_("mode", "In person"),
        Mode.PHONE: t.p_("mode", "By phone"),
        Mode.VIDEO: t.p_("mode", "By video call"),
    }
    return f"{MODE_EMOJI[value]} {labels[value]}"


def weekday(t: Translator, index: int) -> str:
    names = (
        t.p_("weekday", "Monday"),
        t.p_("weekday", "Tuesday"),
        t.p_("weekday", "Wednesday"),
        t.p_("weekday", "Thursday"),
        t.p_("weekday", "Friday"),
        t.p_("weekday", "Saturday"),
        t.p_("weekday", "Sunday"),
    )
    return names[index]


def day_label(t: Translator, moment: datetime, zone: ZoneInfo) -> str:
    """'Thursday, 26 November' in the reader's language (weekday ours, month from CLDR)."""
    local = moment.astimezone(zone)
    day = format_day_month(local.date(), t.locale)
    # TRANSLATORS: a date on a button or in a sentence: weekday and day with month,
    # e.g. "Thursday, 26 November". Keep both placeholders.
    label = t._("{weekday}, {date}", weekday=weekday(t, local.weekday()), date=day)
    # Alone on a button the label has no strong character outside its isolates (the
    # Arabic comma is neutral), so it would be laid out left to right: a right-to-left
    # mark first sets its direction.
    return "\u200f" + label if t.is_rtl else label


def when(t: Translator, moment: datetime, zone: ZoneInfo) -> str:
    # TRANSLATORS: weekday, date and time, e.g. "Thursday, 26 November, at 10:30".
    return t._(
        "{day}, at {time}",
        day=day_label(t, moment, zone),
        time=format_clock(moment, t.locale, zone),
    )


def language_name(code: str | None) -> str:
    """A language's own name (the language picker: "دری", "Français")."""
    return NATIVE_NAMES.get(code or "", code or "")


# ----- appointments, clients, cancellations (the same words in every flow) -------------

_mode_label = mode


def _place(
    t: Translator, mode: Mode, address: str | None, *, for_staff: bool, phone: str | None
) -> Markup:
    if mode is Mode.IN_PERSON:
        return t._("📍 Place: {address}", address=address or "")
    if for_staff:
        return staff_how(t, mode, phone)
    if mode is Mode.PHONE:
        return t._("📞 Your advisor will call you.")
    return t._("💻 You will get a link for the video call.")


def staff_how(t: Translator, mode: Mode, phone: str | None) -> Markup:
    """What the case manager does for a phone or video appointment."""
    if mode is Mode.PHONE:
        # TRANSLATORS: to the case manager; {phone} is the number the client shared.
        return t._("📞 Please call the client: {phone}", phone=phone or "–")
    return t._("💻 Please send the client a link for the video call.")


def _interpreter(t: Translator, language: str | None) -> Markup:
    if language:
        return t._("🗣 Interpreter: {language}", language=language_in(t, language))
    return t._("🗣 No interpreter")


def details(
    t: Translator,
    *,
    topic: LifeArea,
    starts_at: datetime,
    mode: Mode,
    address: str | None,
    interpreter: str | None,
    zone: ZoneInfo,
    for_staff: bool = False,
    phone: str | None = None,
) -> str:
    """The appointment's details; for the case manager (`for_staff`) with what they do
    for a phone or video appointment, and the client's phone number."""
    return "\n".join(
        [
            life_area(t, topic),
            f"📅 {when(t, starts_at, zone)}",
            _mode_label(t, mode),
            _place(t, mode, address, for_staff=for_staff, phone=phone),
            _interpreter(t, interpreter),
        ]
    )


def appointment_details(
    t: Translator,
    appointment: Appointment,
    zone: ZoneInfo,
    *,
    for_staff: bool = False,
    phone: str | None = None,
) -> str:
    """A booked appointment's details (reminders, notices, 'My appointments')."""
    a = appointment
    return details(
        t,
        topic=a.topic,
        starts_at=a.starts_at,
        mode=a.mode,
        address=a.address,
        interpreter=a.interpreter,
        zone=zone,
        for_staff=for_staff,
        phone=phone,
    )


def planned_details(
    t: Translator, slot: Slot, *, topic: str, interpreter: str | None, zone: ZoneInfo
) -> str:
    """The details of a time about to be booked (the summary before 'Book this')."""
    return details(
        t,
        topic=LifeArea(topic),
        starts_at=slot.starts_at,
        mode=slot.mode,
        address=slot.address,
        interpreter=interpreter,
        zone=zone,
    )


def client_name(t: Translator, nickname: str | None, client_id: int) -> str:
    return nickname or t._("Client no. {number}", number=client_id)


def cancel_reason(t: Translator, code: str | None) -> str:
    reasons: dict[str, str] = {
        CancelReason.ILL: t._("Reason: ill"),
        CancelReason.TIME: t._("Reason: the time does not suit"),
        CancelReason.SOLVED: t._("Reason: the question is solved"),
        CancelReason.OTHER: t._("Reason: another reason"),
    }
    return reasons.get(code or CancelReason.OTHER, reasons[CancelReason.OTHER])
