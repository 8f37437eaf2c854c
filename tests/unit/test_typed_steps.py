"""A day, a time or a topic typed at a booking step (issue 19, item 3): what each of the
thirteen languages' clients type is read as the day, time or life area meant; anything else is
None (and the step explains itself)."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from bot.domain import LifeArea, Mode, Slot
from bot.i18n import SUPPORTED_LOCALES, Catalogs
from bot.step_words import load_tables
from bot.typed_times import RELATIVE, WEEKDAYS, TypedClock, TypedDay, slot_at, typed_clock
from bot.typed_times import typed_day as read_day
from bot.typed_topics import typed_area
from handlers import labels
from tests.unit import typed_steps_new as new

ZONE = ZoneInfo("Europe/Berlin")
#: Wednesday 25 November 2026.
TODAY = date(2026, 11, 25)
CATALOGS = Catalogs()


def typed_day(text: str, locale: str) -> TypedDay | None:
    """As the day step reads it: with the weekday names its buttons show."""
    t = CATALOGS.translator(locale)
    names = [labels.weekday(t, i) for i in range(7)]
    return read_day(text, locale, today=TODAY, weekday_names=names)


def area(text: str, locale: str) -> LifeArea | None:
    t = CATALOGS.translator(locale)
    return typed_area(text, locale, {a: labels.life_area(t, a) for a in LifeArea})


# ----- times -------------------------------------------------------------------------------

#: What people type for a time, and the wall-clock time meant first.
TIMES: dict[str, list[tuple[str, time]]] = {
    "de": [
        ("14:30", time(14, 30)),
        ("14.30", time(14, 30)),
        ("14h30", time(14, 30)),
        ("um 14:30 Uhr", time(14, 30)),
        ("14 Uhr", time(14, 0)),
        ("9", time(9, 0)),
        ("1430", time(14, 30)),
        ("2:30", time(14, 30)),  # office hours: the afternoon
        ("9 Uhr vormittags", time(9, 0)),
        ("bitte 10:00", time(10, 0)),
    ],
    "en": [
        ("2:30 pm", time(14, 30)),
        ("2.30pm", time(14, 30)),
        ("at 9 am", time(9, 0)),
        ("9 a.m.", time(9, 0)),
        ("12 pm", time(12, 0)),
        ("10 o'clock please", time(10, 0)),
    ],
    "fr": [
        ("14h30", time(14, 30)),
        ("14 h", time(14, 0)),
        ("à 10h", time(10, 0)),
        ("2 heures de l'après-midi", time(14, 0)),
        ("9h du matin", time(9, 0)),
    ],
    "ar": [
        ("١٤:٣٠", time(14, 30)),
        ("الساعة ٢:٣٠ مساءً", time(14, 30)),
        ("10 ص", time(10, 0)),
        ("الساعه ٩", time(9, 0)),
        ("مساء الخير، الساعة 3", time(15, 0)),  # a greeting, not "p.m."
    ],
    "fa_AF": [
        ("۱۴:۳۰", time(14, 30)),
        ("ساعت ۲:۳۰ بعد از ظهر", time(14, 30)),
        ("۹ صبح", time(9, 0)),
        ("saat 10", time(10, 0)),
        ("ساعت ۱۰:۰۰ لطفاً", time(10, 0)),
    ],
    "ps": [
        ("۱۰ بجې", time(10, 0)),
        ("د ماسپښین ۲ بجې", time(14, 0)),
        ("۱۴:۳۰", time(14, 30)),
        ("د سهار ۹ بجې", time(9, 0)),
        ("ساعت ۱۱:۳۰", time(11, 30)),
    ],
}

NOT_TIMES: dict[str, list[str]] = {
    "de": ["Montag 14 Uhr", "halb drei", "ich kann nicht", "25:00", "14:75", "Wohnung", "1 2 3"],
    "en": ["I am free at 2", "tomorrow at 10", "13 pm", "what time?"],
    "fr": ["demain à 10h", "je ne sais pas", "14h30 et 15h"],
    "ar": ["غدا الساعة ١٠", "لا أعرف", "سلام"],
    "fa_AF": ["فردا ساعت ۱۰", "نمیدانم", "یک نامه دارم"],
    "ps": ["سبا ۱۰ بجې", "نه پوهېږم", "زما لیک"],
}
TIMES.update(new.TIMES)  # the seven languages of issue 24
NOT_TIMES.update(new.NOT_TIMES)


@pytest.mark.parametrize(
    ("locale", "text", "meant"),
    [(loc, text, meant) for loc, cases in TIMES.items() for text, meant in cases],
)
def test_a_typed_time_is_read_as_the_time_meant(locale: str, text: str, meant: time) -> None:
    typed = typed_clock(text, locale)
    assert typed is not None
    assert typed.candidates()[0] == meant


@pytest.mark.parametrize(
    ("locale", "text"), [(loc, text) for loc, texts in NOT_TIMES.items() for text in texts]
)
def test_text_that_is_not_only_a_time_is_none(locale: str, text: str) -> None:
    assert typed_clock(text, locale) is None


def test_every_language_is_covered() -> None:
    for table in (TIMES, NOT_TIMES, DAYS, NOT_DAYS, AREAS, NOT_AREAS):
        assert set(table) == set(SUPPORTED_LOCALES)


def test_a_time_without_am_or_pm_is_taken_as_offered() -> None:
    assert TypedClock(2, 30).candidates() == (time(14, 30), time(2, 30))
    assert TypedClock(9, 0).candidates() == (time(9, 0), time(21, 0))
    assert TypedClock(12, 0, "am").candidates() == (time(0, 0),)
    # The slot of the day shown that begins at the typed time, whichever reading it is.
    day = datetime(2026, 11, 26, tzinfo=ZONE)
    slots = [
        Slot(1, (day + timedelta(hours=h)).astimezone(UTC), day, Mode.IN_PERSON, None)
        for h in (9, 9.5, 14.5)
    ]
    assert slot_at(TypedClock(2, 30), slots, ZONE) == slots[2]
    assert slot_at(TypedClock(9, 30), slots, ZONE) == slots[1]
    assert slot_at(TypedClock(9, 30, "pm"), slots, ZONE) is None
    assert TypedClock(14, 30).instant(date(2026, 11, 26), ZONE) == datetime(
        2026, 11, 26, 13, 30, tzinfo=UTC
    )


# ----- days --------------------------------------------------------------------------------

MONDAY, THURSDAY = TypedDay(weekday=0), TypedDay(weekday=3)
TOMORROW, AFTER = TypedDay(day=date(2026, 11, 26)), TypedDay(day=date(2026, 11, 27))
JANUARY_12 = TypedDay(day=date(2027, 1, 12))

DAYS: dict[str, list[tuple[str, TypedDay]]] = {
    "de": [
        ("Montag", MONDAY),
        ("montags", MONDAY),
        ("am Donnerstag", THURSDAY),
        ("Donerstag", THURSDAY),  # a typo
        ("morgen", TOMORROW),
        ("übermorgen", AFTER),
        ("12.01.", JANUARY_12),
        ("12/01", JANUARY_12),
        ("12.1.2027", JANUARY_12),
        ("Donnerstag, 26. November", TOMORROW),
        ("26. November", TOMORROW),
        ("26", TOMORROW),  # the next 26th
    ],
    "en": [
        ("Monday", MONDAY),
        ("thurs", THURSDAY),
        ("Thrusday", THURSDAY),
        ("tomorrow", TOMORROW),
        ("day after tomorrow", AFTER),
        ("26 Nov", TOMORROW),
        ("November 26th", TOMORROW),
        ("May I have Monday please", MONDAY),  # "may" the word, not the month
    ],
    "fr": [
        ("lundi", MONDAY),
        ("jeudi", THURSDAY),
        ("demain", TOMORROW),
        ("après-demain", AFTER),
        ("jeudi 26 novembre", TOMORROW),
        ("12/01", JANUARY_12),
    ],
    "ar": [
        ("الاثنين", MONDAY),
        ("الإثنين", MONDAY),
        ("يوم الخميس", THURSDAY),
        ("غدا", TOMORROW),
        ("بكرة", TOMORROW),
        ("بعد غد", AFTER),
        ("الخميس ٢٦ نوفمبر", TOMORROW),
        ("١٢/٠١", JANUARY_12),
    ],
    "fa_AF": [
        ("دوشنبه", MONDAY),
        ("سه‌شنبه", TypedDay(weekday=1)),
        ("سه شنبه", TypedDay(weekday=1)),  # with a space for the ZWNJ
        ("پنجشنبه", THURSDAY),
        ("panjshanbe", THURSDAY),
        ("فردا", TOMORROW),
        ("پس فردا", AFTER),
        ("پنجشنبه ۲۶ نومبر", TOMORROW),
        ("می خواهم پنجشنبه", THURSDAY),
    ],
    "ps": [
        ("دوشنبه", MONDAY),
        ("پنجشنبه", THURSDAY),
        ("اتوار", TypedDay(weekday=6)),
        ("سبا", TOMORROW),
        ("بل سبا", AFTER),
        ("۱۲.۰۱", JANUARY_12),
    ],
}

NOT_DAYS: dict[str, list[str]] = {
    "de": ["nächste Woche", "Mittwoch 26. November", "Montag oder Dienstag", "Mai", "14:30"],
    "en": ["next week", "whenever", "31.02.", "monday tuesday"],
    "fr": ["la semaine prochaine", "je ne sais pas", "30/02"],
    "ar": ["الأسبوع القادم", "لا أعرف", "السبت أو الأحد"],
    "fa_AF": ["هفته آینده", "نمیدانم", "یک نامه دارم"],
    "ps": ["راتلونکې اونۍ", "نه پوهېږم", "زما لیک"],
}
DAYS.update(new.DAYS)
NOT_DAYS.update(new.NOT_DAYS)


@pytest.mark.parametrize(
    ("locale", "text", "meant"),
    [(loc, text, meant) for loc, cases in DAYS.items() for text, meant in cases],
)
def test_a_typed_day_is_read_as_the_day_meant(locale: str, text: str, meant: TypedDay) -> None:
    assert typed_day(text, locale) == meant


@pytest.mark.parametrize(
    ("locale", "text"), [(loc, text) for loc, texts in NOT_DAYS.items() for text in texts]
)
def test_text_that_is_not_only_a_day_is_none(locale: str, text: str) -> None:
    assert typed_day(text, locale) is None


@pytest.mark.parametrize("locale", SUPPORTED_LOCALES)
def test_what_a_day_button_shows_is_understood_typed(locale: str) -> None:
    t = CATALOGS.translator(locale)
    for offset in range(7):
        day = TODAY + timedelta(days=offset + 1)
        noon = datetime(day.year, day.month, day.day, 12, tzinfo=ZONE)
        assert typed_day(labels.day_label(t, noon, ZONE), locale) == TypedDay(day=day)
        assert typed_day(labels.weekday(t, day.weekday()), locale) == TypedDay(
            weekday=day.weekday()
        )


def test_a_typed_day_is_picked_among_the_days_offered() -> None:
    offered = [date(2026, 11, 26), date(2026, 12, 3), date(2026, 12, 7)]
    assert THURSDAY.pick(offered) == date(2026, 11, 26)  # the first Thursday
    assert MONDAY.pick(offered) == date(2026, 12, 7)
    assert TypedDay(weekday=4).pick(offered) is None
    assert TOMORROW.pick(offered) == date(2026, 11, 26)
    assert AFTER.pick(offered) is None


# ----- topics ------------------------------------------------------------------------------

AREAS: dict[str, list[tuple[str, LifeArea]]] = {
    "de": [
        ("Wohnung", LifeArea.HOUSING),
        ("ich brauche eine Wohnung", LifeArea.HOUSING),
        ("Arbeit", LifeArea.WORK),
        ("Ausbildung", LifeArea.TRAINING),
        ("Seelische Gesundheit", LifeArea.MENTAL_HEALTH),
        ("Gesundheit", LifeArea.HEALTH),
        ("Schulden", LifeArea.MONEY),
        ("Anderes", LifeArea.OTHER),
    ],
    "en": [
        ("housing", LifeArea.HOUSING),
        ("I need a flat", LifeArea.HOUSING),
        ("mental health", LifeArea.MENTAL_HEALTH),
        ("health", LifeArea.HEALTH),
        ("free time", LifeArea.LEISURE),
    ],
    "fr": [
        ("logement", LifeArea.HOUSING),
        ("santé", LifeArea.HEALTH),
        ("santé mentale", LifeArea.MENTAL_HEALTH),
        ("titre de séjour", LifeArea.LEGAL),
        ("autre chose", LifeArea.OTHER),
    ],
    "ar": [
        ("السكن", LifeArea.HOUSING),
        ("الصحة النفسية", LifeArea.MENTAL_HEALTH),
        ("الصحة", LifeArea.HEALTH),
        ("العمل", LifeArea.WORK),
        ("غير ذلك", LifeArea.OTHER),
    ],
    "fa_AF": [
        ("مسکن", LifeArea.HOUSING),
        ("صحت روانی", LifeArea.MENTAL_HEALTH),
        ("صحت", LifeArea.HEALTH),
        ("کار", LifeArea.WORK),
        ("دیگر", LifeArea.OTHER),  # an everyday word, and alone the area
    ],
    "ps": [
        ("کور", LifeArea.HOUSING),
        ("کورنۍ", LifeArea.FAMILY),
        ("رواني روغتیا", LifeArea.MENTAL_HEALTH),
        ("مسلکي زده کړې", LifeArea.TRAINING),
        ("زده کړې", LifeArea.EDUCATION),
    ],
}

NOT_AREAS: dict[str, list[str]] = {
    "de": ["Brief vom Jobcenter", "Wohnung und Arbeit", "14:30", "Montag"],
    "en": ["I got a letter", "health and money", "help"],
    "fr": ["autre", "une lettre", "logement et travail"],
    "ar": ["رسالة من الجوب سنتر", "السكن والعمل", "مرحبا"],
    "fa_AF": ["یک نامه از جاب سنتر گرفتم", "کار و پول", "سلام"],
    "ps": ["زما لیک", "کار او پیسې", "سلام"],
}
AREAS.update(new.AREAS)
NOT_AREAS.update(new.NOT_AREAS)


@pytest.mark.parametrize(
    ("locale", "text", "meant"),
    [(loc, text, meant) for loc, cases in AREAS.items() for text, meant in cases],
)
def test_a_typed_topic_is_read_as_its_life_area(locale: str, text: str, meant: LifeArea) -> None:
    assert area(text, locale) == meant


@pytest.mark.parametrize(
    ("locale", "text"), [(loc, text) for loc, texts in NOT_AREAS.items() for text in texts]
)
def test_text_that_is_not_clearly_one_area_is_none(locale: str, text: str) -> None:
    assert area(text, locale) is None


@pytest.mark.parametrize("locale", SUPPORTED_LOCALES)
def test_every_topic_button_typed_out_is_its_area(locale: str) -> None:
    t = CATALOGS.translator(locale)
    for each in LifeArea:
        assert area(labels.life_area(t, each), locale) == each
        assert area(labels.life_area_name(t, each), locale) == each


# ----- the word files ----------------------------------------------------------------------


@pytest.mark.parametrize("locale", SUPPORTED_LOCALES)
def test_every_word_file_has_the_step_words(locale: str) -> None:
    tables = load_tables(locale)
    for key in (*WEEKDAYS, *RELATIVE):
        assert tables["days"].get(key), (locale, key)
    assert tables["times"].get("am") and tables["times"].get("pm"), locale
    assert set(tables["areas"]) == {a.value for a in LifeArea}, locale
