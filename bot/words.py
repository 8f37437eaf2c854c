"""Names of domain values in the reader's language, for every adapter (the chat, the
console, the CLI's chart): a life area, a language, a note's phase. The chat's labels
(handlers/labels.py) add emoji around them."""

from __future__ import annotations

from babel import Locale, UnknownLocaleError

from bot.domain import LifeArea, NotePhase
from bot.i18n import NATIVE_NAMES, Translator, cldr_locale


def life_area_name(t: Translator, area: LifeArea) -> str:
    """The life area's name alone, without its emoji (as typed: "Housing")."""
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
    return labels[area]


def language_in(t: Translator, code: str | None) -> str:
    """A language's name in the reader's language: "Dari" for a German case manager,
    "دری" for a Dari reader; any code CLDR knows ("ti" -> "Tigrinya"; for a Serbian reader
    in Latin script, "nemački")."""
    if not code:
        return ""
    if code == "fa_AF":
        # TRANSLATORS: the language Dari (Afghan Persian), as named in your language.
        return t._("Dari")
    try:
        name = Locale.parse(code).get_display_name(cldr_locale(t.locale))
    except (ValueError, UnknownLocaleError):
        name = None
    return name[:1].upper() + name[1:] if name else NATIVE_NAMES.get(code, code)


def phase_label(t: Translator, phase: NotePhase) -> str:
    labels_ = {
        NotePhase.INTAKE: t.p_("phase", "Intake"),
        NotePhase.ASSESSMENT: t.p_("phase", "Assessment"),
        NotePhase.PLAN: t.p_("phase", "Planning"),
        NotePhase.MONITORING: t.p_("phase", "Follow-up"),
        NotePhase.CLOSURE: t.p_("phase", "Closing"),
        NotePhase.CRISIS: t.p_("phase", "Crisis"),
    }
    return labels_[phase]
