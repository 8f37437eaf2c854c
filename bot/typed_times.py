"""A time or a day typed at the booking's time or day step (issue 19, item 3).

`typed_clock("14:30" | "14.30" | "14h30" | "2:30 pm" | "۱۴:۳۰" | "um 9 Uhr", locale)` is the
wall-clock time meant (or None: it does not fit the time step); `slot_at` finds it among
the slots of the day shown. `typed_day("Montag" | "tomorrow" | "12.01." | "پنجشنبه", ...)`
is a date or a weekday; `TypedDay.pick` finds it among the days offered. The words are
the language's (bot/step_words.py), with German and English ones.

Nothing here logs, and nothing keeps the text.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from functools import lru_cache
from typing import Literal
from zoneinfo import ZoneInfo

from babel import Locale, UnknownLocaleError
from babel.dates import get_month_names

from bot.domain import Slot
from bot.i18n import cldr_locale, normalize_locale
from bot.intents import SHARED_LOCALES
from bot.step_words import Phrases, Word, step_words, tokens

__all__ = ["TypedClock", "TypedDay", "WEEKDAYS", "slot_at", "typed_clock", "typed_day"]

#: The keys of the [days] table for Monday ... Sunday (date.weekday()).
WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
#: The keys of the [days] table for days counted from today.
RELATIVE = {"today": 0, "tomorrow": 1, "after_tomorrow": 2}
Meridiem = Literal["am", "pm"]
#: What a word of a day or a time stands for: ("weekday", 0), ("in", 1), ("month", 12),
#: ("am", 0), ("pm", 0), and on the time step any day word, ("day", 0).
Tag = tuple[str, int]


# ----- the time step ---------------------------------------------------------------------


@dataclass(frozen=True)
class TypedClock:
    """A time of day as typed: "2:30 pm" is (2, 30, "pm"), "14:30" (14, 30, None)."""

    hour: int
    minute: int
    meridiem: Meridiem | None = None

    def candidates(self) -> tuple[time, ...]:
        """The wall-clock times meant, the likelier first. Without am/pm, 1 to 6 o'clock
        is the afternoon first (nobody's office hours start at 2 in the night), 7 to 11
        the morning first; either is taken if that one is offered."""
        hour, minute = self.hour, self.minute
        if self.meridiem == "pm":
            return (time(hour % 12 + 12, minute),)
        if self.meridiem == "am":
            return (time(hour % 12, minute),)
        if 1 <= hour <= 6:
            return (time(hour + 12, minute), time(hour, minute))
        if 7 <= hour <= 11:
            return (time(hour, minute), time(hour + 12, minute))
        return (time(hour, minute),)

    def instant(self, day: date, zone: ZoneInfo) -> datetime:
        """The likelier time on `day` in `zone`, as aware UTC (to find the nearest slots)."""
        wall = datetime.combine(day, self.candidates()[0], tzinfo=zone)
        return wall.astimezone(UTC)


@lru_cache(maxsize=16)
def _clock_phrases(locale: str) -> Phrases[Tag]:
    words = step_words(locale)
    entries: list[tuple[str, Tag]] = []
    for meridiem in ("am", "pm"):
        entries += [(entry, (meridiem, 0)) for entry in words.entries("times", meridiem)]
    # A day word makes the text a day, not a time of the day shown ("Montag 14 Uhr").
    for key in (*WEEKDAYS, *RELATIVE):
        entries += [(entry, ("day", 0)) for entry in words.entries("days", key)]
    return Phrases(entries, words.fillers("times"))


def _clock_of(numbers: list[str]) -> tuple[int, int] | None:
    """Hour and minute from the typed numbers: "14" "30", "1430", "930", "9"."""
    if len(numbers) == 2 and len(numbers[0]) <= 2 and len(numbers[1]) == 2:
        return int(numbers[0]), int(numbers[1])
    if len(numbers) == 1 and len(numbers[0]) <= 2:
        return int(numbers[0]), 0
    if len(numbers) == 1 and len(numbers[0]) in (3, 4):
        return int(numbers[0][:-2]), int(numbers[0][-2:])
    return None


def typed_clock(text: str, locale: str) -> TypedClock | None:
    """The time of day in a typed text, or None when the text is not only a time."""
    items = _clock_phrases(normalize_locale(locale) or "de").read(tokens(text))
    if not items:
        return None
    numbers: list[str] = []
    meridiems: set[str] = set()
    for index, item in enumerate(items):
        if isinstance(item, str):
            numbers.append(item)
            continue
        kinds = {kind for kind, _ in item.values}
        if "day" in kinds:
            return None
        # "am" and "صباح" are also everyday words ("I am", "good morning"): they say
        # a.m. only right after the number.
        if item.neutral and not (index and isinstance(items[index - 1], str)):
            continue
        meridiems |= kinds
    clock = _clock_of(numbers)
    if clock is None or len(meridiems) > 1:
        return None
    hour, minute = clock
    meridiem: Meridiem | None = "am" if "am" in meridiems else "pm" if meridiems else None
    if minute > 59 or hour > 23 or (meridiem and not 1 <= hour <= 12):
        return None
    return TypedClock(hour, minute, meridiem)


def slot_at(typed: TypedClock, slots: Iterable[Slot], zone: ZoneInfo) -> Slot | None:
    """The slot (of those offered on the day shown) that begins at the typed time."""
    by_wall: dict[time, Slot] = {}
    for slot in slots:
        by_wall.setdefault(slot.starts_at.astimezone(zone).time(), slot)
    return next((by_wall[w] for w in typed.candidates() if w in by_wall), None)


# ----- the day step ------------------------------------------------------------------------


@dataclass(frozen=True)
class TypedDay:
    """A day as typed: a date ("tomorrow", "12.01.") or a weekday ("Montag", 0)."""

    day: date | None = None
    weekday: int | None = None

    def pick(self, offered: Sequence[date]) -> date | None:
        """The day among those offered (a weekday: the first of its name), else None."""
        if self.day is not None:
            return self.day if self.day in offered else None
        return next((d for d in offered if d.weekday() == self.weekday), None)


def _month_names(locale: str) -> list[tuple[str, int]]:
    """CLDR's month names (wide and abbreviated, as the day buttons spell them) of the
    language, German and English; abbreviations of fewer than three letters left out.
    Serbian in both scripts: the buttons write Latin, people may type either."""
    names: list[tuple[str, int]] = []
    for name in dict.fromkeys((cldr_locale(locale), locale, *SHARED_LOCALES)):
        try:
            Locale.parse(name)
        except (ValueError, UnknownLocaleError):
            continue
        for width in ("wide", "abbreviated"):
            for month, word in get_month_names(width, locale=name).items():
                if len(word.strip(".")) >= 3:
                    names.append((str(word), int(month)))
    return names


@lru_cache(maxsize=32)
def _day_phrases(locale: str, weekday_names: tuple[str, ...]) -> Phrases[Tag]:
    words = step_words(locale)
    entries: list[tuple[str, Tag]] = []
    for index, key in enumerate(WEEKDAYS):
        entries += [(entry, ("weekday", index)) for entry in words.entries("days", key)]
    # The names the day buttons show (from the catalogs), whatever the word file lists.
    entries += [(name, ("weekday", index)) for index, name in enumerate(weekday_names)]
    for key, offset in RELATIVE.items():
        entries += [(entry, ("in", offset)) for entry in words.entries("days", key)]
    entries += [(name, ("month", month)) for name, month in _month_names(locale)]
    return Phrases(entries, words.fillers("days"))


def _date(numbers: list[int], month: int | None, today: date) -> date | None:
    """The date of "12.01.", "12 1 2027", "12" with a month word, or "12" (the next 12th);
    None when it is no date."""
    if month is not None:
        numbers = [numbers[0], month, *numbers[1:]]
    if not 1 <= len(numbers) <= 3:
        return None
    day = numbers[0]
    try:
        if len(numbers) == 3:
            year = numbers[2] + 2000 if numbers[2] < 100 else numbers[2]
            return date(year, numbers[1], day)
        if len(numbers) == 2:
            found = date(today.year, numbers[1], day)
            return found if found >= today else date(today.year + 1, numbers[1], day)
        this_month = today.replace(day=1) + timedelta(days=day - 1)
        if this_month.month == today.month and this_month >= today:
            return this_month
        next_month = (today.replace(day=28) + timedelta(days=4)).replace(day=1)
        return next_month.replace(day=day)
    except ValueError:
        return None


def _tagged(word: Word[Tag], kind: str) -> set[int]:
    return {n for k, n in word.values if k == kind}


def _months(items: list[str | Word[Tag]]) -> tuple[list[str | Word[Tag]], int | None] | None:
    """The items without month words, and the month named next to a number (None: no
    month). A month word away from a number is dropped when it is an everyday word
    (English "may"); otherwise the text does not fit."""
    kept: list[str | Word[Tag]] = []
    months: set[int] = set()
    numbers = {i for i, item in enumerate(items) if isinstance(item, str)}
    for index, item in enumerate(items):
        if isinstance(item, str) or not (month := _tagged(item, "month")):
            kept.append(item)
        elif numbers & {index - 1, index + 1}:
            months |= month
        elif len(month) < len(item.values):
            kept.append(item)  # also another day word: French "mar" is mardi, not March
        elif not item.neutral:
            return None
    if len(months) > 1:
        return None
    return kept, next(iter(months), None)


def typed_day(
    text: str, locale: str, *, today: date, weekday_names: Sequence[str] = ()
) -> TypedDay | None:
    """The day in a typed text, or None when the text is not only a day. `weekday_names`:
    Monday ... Sunday as the day buttons show them (the catalog's)."""
    phrases = _day_phrases(normalize_locale(locale) or "de", tuple(weekday_names))
    items = phrases.read(tokens(text))
    split = _months(items) if items else None
    if split is None:
        return None
    items, month = split
    numbers: list[int] = []
    weekdays: set[int] = set()
    offsets: set[int] = set()
    for item in items:
        if isinstance(item, str):
            numbers.append(int(item))
            continue
        weekdays |= _tagged(item, "weekday")
        offsets |= _tagged(item, "in")
    if len(weekdays) > 1 or len(offsets) > 1:
        return None
    named = [today + timedelta(days=n) for n in offsets]
    if numbers:
        found = _date(numbers, month, today)
        if found is None:
            return None
        named.append(found)
    elif month is not None:
        return None
    if len(set(named)) > 1:
        return None
    weekday = next(iter(weekdays), None)
    if named:
        # "Donnerstag, 26. November": the weekday must be the date's.
        return TypedDay(day=named[0]) if weekday in (None, named[0].weekday()) else None
    return TypedDay(weekday=weekday) if weekday is not None else None
