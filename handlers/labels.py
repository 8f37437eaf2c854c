"""Localised labels for domain values: life areas, modes, weekdays, dates and times.

Weekday names come from our catalogs (the glossary wants everyday Afghan names,
not CLDR's); month names and digits from Babel (Afghan month names for fa_AF).
"""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from babel import Locale, UnknownLocaleError
from babel.dates import format_date

from bot.domain import LifeArea, Mode
from bot.formatting import format_clock
from bot.i18n import NATIVE_NAMES, Translator

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
    labels = {
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
    return f"{LIFE_AREA_EMOJI[area]} {labels[area]}"


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
    pattern = "d. MMMM" if t.locale == "de" else "d MMMM"
    day = format_date(local.date(), pattern, locale=t.locale)
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


def language_in(t: Translator, code: str | None) -> str:
    """A language's name in the reader's language: "Dari" for a German case manager,
    "دری" for a Dari reader; any code CLDR knows ("ti" -> "Tigrinya")."""
    if not code:
        return ""
    if code == "fa_AF":
        # TRANSLATORS: the language Dari (Afghan Persian), as named in your language.
        return t._("Dari")
    try:
        name = Locale.parse(code).get_display_name(t.locale)
    except (ValueError, UnknownLocaleError):
        name = None
    return name[:1].upper() + name[1:] if name else NATIVE_NAMES.get(code, code)
