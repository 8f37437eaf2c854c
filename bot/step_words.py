"""Words typed at a booking step instead of a tap: a day, a time, a topic (issue 19, item 3).

Where the words live: `locales/<locale>/intents.toml`, in the tables `[days]`, `[times]`
and `[areas]`, beside the words of typed requests (bot/intents.py); German and English
words count in every language, as there. Not in the gettext catalogs: these are lists of
what people type (abbreviations, "سه شنبه" with a space, Dari and Pashto in Latin letters,
"übermorgen"), not sentences; in messages.po each would be a msgid whose msgstr is a list
to be split again, with nothing in English to translate from, and adding a variant would
mean a catalog update in every catalog. A language's word file is one place per language for
"what people type", read by one loader. What the buttons show (the weekday names of the
catalogs, CLDR's month names, the life areas' labels) the callers add, so a copy of a
button is always understood, whatever a translator changes.

How a text is read (`read`): `normalise` (bot/typed_text.py: one spelling per letter,
ASCII digits, no punctuation), digits parted from letters ("14h30" -> 14 h 30), then from
left to right, each position: the longest listed phrase of up to four words (typed with
or without the spaces), a listed prefix (`wohn*`), a number, a neutral word (the step's
`words` and the neutral words of typed requests), a small typo of a listed word
(rapidfuzz, as bot/intents.py: one edit from five letters on, two from eight, the first
letter right). Any other word: the text does not fit the step (None).
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Hashable, Iterable
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Generic, TypeVar

from rapidfuzz import process
from rapidfuzz.distance import OSA

from bot.i18n import DEFAULT_LOCALES_DIR, normalize_locale
from bot.intents import SHARED_LOCALES, WORDS_FILE, lexicon
from bot.typed_text import normalise

V = TypeVar("V", bound=Hashable)

#: A phrase matches up to this many typed words.
MAX_PHRASE = 4
#: A prefix entry (`wohn*`) takes at most this many letters more.
MAX_SUFFIX = 4
_DIGIT_EDGE = re.compile(r"(?<=\d)(?=[^\d\s])|(?<=[^\d\s])(?=\d)")


def tokens(text: str) -> list[str]:
    """The typed words as compared, digits parted from letters: "14h30" -> 14, h, 30."""
    return _DIGIT_EDGE.sub(" ", normalise(text)).split()


def _key(entry: str) -> tuple[str, bool]:
    """An entry as matched: its words joined without spaces, and whether it is a prefix."""
    prefix = entry.strip().endswith("*")
    return "".join(normalise(entry.replace("*", " ")).split()), prefix


def _allowed(length: int) -> int:
    return 0 if length < 5 else 1 if length < 8 else 2


@dataclass(frozen=True)
class Word(Generic[V]):
    """A listed word (or phrase) found in the text: what it stands for, and whether it is
    also a neutral word (English "may", the month, is also "may I")."""

    values: frozenset[V]
    neutral: bool


class Phrases(Generic[V]):
    """Entries (phrases, `word*` prefixes) for values, and the words that change nothing."""

    def __init__(self, entries: Iterable[tuple[str, V]], neutral: Iterable[str]):
        exact: dict[str, set[V]] = {}
        prefixes: dict[str, set[V]] = {}
        for entry, value in entries:
            key, prefix = _key(entry)
            if key:
                (prefixes if prefix else exact).setdefault(key, set()).add(value)
        self.exact = {k: frozenset(v) for k, v in exact.items()}
        self.prefixes = {k: frozenset(v) for k, v in prefixes.items()}
        self.neutral = frozenset(neutral)
        self._fuzzy = sorted(k for k in self.exact if len(k) >= 4 and not k.isdigit())

    def _prefix(self, token: str) -> frozenset[V]:
        found: set[V] = set()
        for length in range(max(1, len(token) - MAX_SUFFIX), len(token) + 1):
            found |= self.prefixes.get(token[:length], frozenset())
        return frozenset(found)

    def _typo(self, token: str) -> frozenset[V]:
        allowed = _allowed(len(token))
        if not allowed:
            return frozenset()
        found: set[V] = set()
        best = allowed + 1
        for choice, distance, _ in process.extract(
            token, self._fuzzy, scorer=OSA.distance, score_cutoff=allowed, limit=None
        ):
            if choice[0] != token[0] or distance > best:
                continue
            if distance < best:
                found, best = set(), int(distance)
            found |= self.exact[choice]
        return frozenset(found)

    def _is_neutral(self, token: str) -> bool:
        return token in self.neutral or any(
            token[:n] + "*" in self.neutral for n in range(max(1, len(token) - 3), len(token) + 1)
        )

    def read(self, words: list[str]) -> list[str | Word[V]] | None:
        """The numbers (as typed, "05") and listed words of a text's `tokens`, neutral
        words left out; None when a word is none of these."""
        found: list[str | Word[V]] = []
        i = 0
        while i < len(words):
            step, item = self._at(words, i)
            if step == 0:
                return None
            if item is not None:
                found.append(item)
            i += step
        return found

    def _at(self, words: list[str], i: int) -> tuple[int, str | Word[V] | None]:
        """How many words from `i` on are read as one, and as what (None: neutral)."""
        for n in range(min(MAX_PHRASE, len(words) - i), 0, -1):
            values = self.exact.get("".join(words[i : i + n]))
            if values:
                joined = " ".join(words[i : i + n])
                return n, Word(values, n == 1 and self._is_neutral(joined))
        for n in range(min(MAX_PHRASE, len(words) - i), 1, -1):
            if "".join(words[i : i + n]) in self.neutral:
                return n, None  # "می خواهم" typed with a space is "میخواهم"
        token = words[i]
        if token.isdigit():
            return 1, token
        if values := self._prefix(token):
            return 1, Word(values, self._is_neutral(token))
        if self._is_neutral(token):
            return 1, None
        if values := self._typo(token):
            return 1, Word(values, False)
        return 0, None


@dataclass(frozen=True)
class StepWords:
    """One language's tables (with German and English): each table's lists by key."""

    days: dict[str, tuple[str, ...]]
    times: dict[str, tuple[str, ...]]
    areas: dict[str, tuple[str, ...]]
    #: The neutral words of typed requests (greetings, "please", "I want"), normalised.
    neutral: frozenset[str]

    def entries(self, table: str, key: str) -> tuple[str, ...]:
        lists: dict[str, tuple[str, ...]] = getattr(self, table)
        return lists.get(key, ())

    def fillers(self, table: str) -> frozenset[str]:
        """The table's `words` and the neutral words, as matched."""
        own = {word for entry in self.entries(table, "words") for word in normalise(entry).split()}
        return self.neutral | own


def _table(data: dict[str, object], name: str, path: Path) -> dict[str, tuple[str, ...]]:
    table = data.get(name, {})
    if not isinstance(table, dict):
        raise ValueError(f"{path}: [{name}] is not a table")
    result: dict[str, tuple[str, ...]] = {}
    for key, values in table.items():
        if not isinstance(values, list) or not all(isinstance(v, str) for v in values):
            raise ValueError(f"{path}: [{name}].{key}: expected a list of strings")
        result[str(key)] = tuple(values)
    return result


def load_tables(
    locale: str, locales_dir: Path = DEFAULT_LOCALES_DIR
) -> dict[str, dict[str, tuple[str, ...]]]:
    """The step tables of one word file as written (not normalised)."""
    path = locales_dir / locale / WORDS_FILE
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    return {name: _table(data, name, path) for name in ("days", "times", "areas")}


@cache
def step_words(locale: str, locales_dir: Path = DEFAULT_LOCALES_DIR) -> StepWords:
    """A language's step words with German and English ones, read once per language."""
    shipped = normalize_locale(locale)
    names = dict.fromkeys(((shipped,) if shipped else ()) + SHARED_LOCALES)
    merged: dict[str, dict[str, list[str]]] = {"days": {}, "times": {}, "areas": {}}
    for name in names:
        for table, lists in load_tables(name, locales_dir).items():
            for key, values in lists.items():
                merged[table].setdefault(key, []).extend(values)
    frozen = {t: {k: tuple(v) for k, v in lists.items()} for t, lists in merged.items()}
    return StepWords(
        days=frozen["days"],
        times=frozen["times"],
        areas=frozen["areas"],
        neutral=lexicon(shipped or "de", locales_dir).neutral,
    )
