"""Names of the console's values. Life areas and modes reuse the chat's msgids (same
context, same words); the rest are the console's own (context "console")."""

from __future__ import annotations

from markupsafe import Markup

from bot.domain import AppointmentStatus, LifeArea, Mode, SiteKind, StaffRole
from bot.i18n import NATIVE_NAMES
from web.text import ConsoleText


def life_area(t: ConsoleText, area: LifeArea) -> Markup:
    labels: dict[LifeArea, Markup] = t.memo("life area", _life_areas)
    return labels[area]


def _life_areas(t: ConsoleText) -> dict[LifeArea, Markup]:
    return {
        LifeArea.EDUCATION: t.p_("life area", "School and education"),
        LifeArea.TRAINING: t.p_("life area", "Vocational training (Ausbildung)"),
        LifeArea.WORK: t.p_("life area", "Work"),
        LifeArea.HOUSING: t.p_("life area", "Housing"),
        LifeArea.FAMILY: t.p_("life area", "Family"),
        LifeArea.MENTAL_HEALTH: t.p_("life area", "Emotional support"),
        LifeArea.HEALTH: t.p_("life area", "Health"),
        LifeArea.LEISURE: t.p_("life area", "Free time"),
        LifeArea.LEGAL: t.p_("life area", "Residence and legal questions"),
        LifeArea.LANGUAGE: t.p_("life area", "Language and language courses"),
        LifeArea.MONEY: t.p_("life area", "Money and debts"),
        LifeArea.OTHER: t.p_("life area", "Something else"),
    }


def mode(t: ConsoleText, value: Mode) -> Markup:
    labels: dict[Mode, Markup] = t.memo("mode", _modes)
    return labels[value]


def _modes(t: ConsoleText) -> dict[Mode, Markup]:
    return {
        Mode.IN_PERSON: t.p_("mode", "In person"),
        Mode.PHONE: t.p_("mode", "By phone"),
        Mode.VIDEO: t.p_("mode", "By video call"),
    }


def role(t: ConsoleText, value: StaffRole) -> Markup:
    if value is StaffRole.COORDINATOR:
        return t.p_("console", "Coordinator")
    return t.p_("console", "Case manager")


def site_kind(t: ConsoleText, value: SiteKind) -> Markup:
    labels = {
        SiteKind.CITY: t.p_("console", "City"),
        SiteKind.DISTRICT: t.p_("console", "District"),
        # TRANSLATORS: a town that belongs to a district (kreisangehörige Stadt).
        SiteKind.TOWN: t.p_("console", "Town in a district"),
    }
    return labels[value]


def status(t: ConsoleText, value: AppointmentStatus) -> Markup | None:
    """None for a booked appointment (the usual case needs no word)."""
    labels: dict[AppointmentStatus, Markup] = t.memo("status", _statuses)
    return labels.get(value)


def _statuses(t: ConsoleText) -> dict[AppointmentStatus, Markup]:
    return {
        # TRANSLATORS: an appointment in a case manager's week: it was cancelled.
        AppointmentStatus.CANCELLED: t.p_("console", "cancelled"),
        # TRANSLATORS: an appointment in a case manager's week: the client came.
        AppointmentStatus.ATTENDED: t.p_("console", "came"),
        # TRANSLATORS: an appointment in a case manager's week: the client did not come.
        AppointmentStatus.NO_SHOW: t.p_("console", "did not come"),
    }


def languages(codes: str) -> str:
    """'de,fa_AF' -> 'Deutsch, دری' (each language named in itself)."""
    return ", ".join(NATIVE_NAMES.get(code, code) for code in codes.split(",") if code)


def weekday(t: ConsoleText, index: int) -> Markup:
    """The chat's weekday names (same context, same words)."""
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
