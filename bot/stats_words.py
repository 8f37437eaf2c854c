"""What the statistics say: figure and category names and the chart, in the reader's
language, for every adapter (the chat's /stats, the console's statistics page, the CLI's
`stats` command draw the same chart).

The chart's font has Latin letters only and matplotlib does not shape right-to-left
script, so Arabic, Dari and Pashto readers get the chart in English (`chart_locale`).
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from bot.domain import LifeArea, NotePhase
from bot.i18n import RTL_LOCALES, Catalogs, Translator
from bot.referral_words import outcome_label
from bot.referrals import OUTCOME_SEPARATOR
from bot.stats_chart import draw, render
from bot.words import language_in, life_area_name, phase_label

if TYPE_CHECKING:
    from matplotlib.figure import Figure


def figure_title(t: Translator, name: str) -> str:
    return {
        "clients_by_language": t._("Clients by language"),
        "appointments_by_life_area": t._("Appointments by life area"),
        "appointment_outcomes": t._("Appointments: kept, missed, cancelled"),
        "reminder_confirmations": t._("Reminders confirmed"),
        "offers_sent_by_life_area": t._("Offers sent by life area"),
        "notes_by_life_area": t._("Notes by life area"),
        "notes_by_phase": t._("Notes by phase"),
        "referrals_by_offer": t._("Offers sent, by offer"),
        "referral_outcomes": t._("Offers sent: what the clients answered"),
        "referrals_by_life_area": t._("Offers sent, by life area"),
        "referral_outcomes_by_life_area": t._("Answers about offers, by life area"),
        "referral_outcomes_by_offer": t._("Answers about offers, by offer"),
        # TRANSLATORS: statistics of the waiting list for earlier appointment times.
        "waitlist": t._("Waiting list"),
    }.get(name, name)


def category(t: Translator, figure: str, key: str) -> str:
    """A category in the reader's language: a life area, a language as CLDR names it in
    the reader's language ("Paschtu" for a German reader), a phase, an outcome."""
    areas = {a.value for a in LifeArea}
    if figure.startswith("referral_outcomes_by_"):
        what, _, outcome = key.rpartition(OUTCOME_SEPARATOR)
        # "Deutschkurs A1 | helped", "language | far": the offer (or life area), the answer
        subject = category(t, figure, what) if what in areas else what
        return f"{subject}: {category(t, 'referral_outcomes', outcome)}"
    if figure == "referral_outcomes":
        return outcome_label(t, key, emoji=False)
    if figure == "referrals_by_offer":
        return key
    if key in areas:
        return life_area_name(t, LifeArea(key))
    if figure == "clients_by_language":
        name = language_in(t, key)  # French writes "dari" in a sentence
        return name[:1].upper() + name[1:]
    if figure == "notes_by_phase":
        return phase_label(t, NotePhase(key)) if key in {p.value for p in NotePhase} else "–"
    return {
        "booked": t.p_("status", "booked"),
        "attended": t.p_("status", "attended"),
        "no_show": t.p_("status", "did not come"),
        "cancelled": t.p_("status", "cancelled"),
        "confirmed": t.p_("status", "confirmed"),
        "not_confirmed": t.p_("status", "not confirmed"),
        # TRANSLATORS: waiting-list statistics: wishes made, times offered, offers booked,
        # offers that expired, and days earlier than the appointment the client had.
        "wishes": t.p_("stats", "wishes"),
        "offers": t.p_("stats", "times offered"),
        "taken": t.p_("stats", "booked from the list"),
        "expired": t.p_("stats", "offers expired"),
        "days_saved": t.p_("stats", "days saved"),
    }.get(key, key)


def chart_locale(locale: str) -> str:
    """The chart's language for a reader of `locale` (English for right-to-left script)."""
    return "en" if locale in RTL_LOCALES else locale


def chart_translator(catalogs: Catalogs, locale: str) -> Translator:
    return catalogs.translator(chart_locale(locale))


def chart_title(t: Translator, start: date, end: date, site: str | None = None) -> str:
    if site is None:
        return t._("Lotse: {start} to {end}", start=start.isoformat(), end=end.isoformat())
    # TRANSLATORS: the title of the statistics chart; {site} is the site's name (Essen).
    return t._(
        "Lotse, {site}: {start} to {end}", site=site, start=start.isoformat(), end=end.isoformat()
    )


def chart(t: Translator, figures: dict[str, dict[str, int | str]], *, title: str) -> Figure:
    """The chart with every word in `t`'s language (take it from chart_translator)."""
    return draw(
        figures,
        title=title,
        no_data=t._("No data yet."),
        figure_title=lambda name: figure_title(t, name),
        category_label=lambda figure, key: category(t, figure, key),
        # TRANSLATORS: under the statistics chart; "<5" stays as it is.
        footnote=t._("Counts below 5 are shown as <5."),
    )


def chart_png(t: Translator, figures: dict[str, dict[str, int | str]], *, title: str) -> bytes:
    return render(chart(t, figures, title=title))
