"""Typed requests: which of Lotse's actions a client's own words ask for.

`recognise(text, locale)` answers `[]` (a question or statement: it goes to a person), one
intent (go straight there) or several (ask with buttons). It never raises, prints nothing
and logs only intent names, never the text.

The words live with the catalogs, one file per shipped language:
`locales/<locale>/intents.toml` (adding a language means adding its words; a test checks
that every shipped locale has a file naming every intent). German and English words count
in every language, since people type them whatever their language.

How a message is read
1. `normalise` (bot/typed_text.py): one spelling per letter, whichever keyboard typed it;
   no diacritics, tatweel or ZWNJ; ASCII digits; punctuation and emoji -> spaces.
2. Each word is looked up among the language's words: as listed; as a listed prefix
   (`termin*` also takes "termine": at most three letters more); with a listed clitic
   taken off (`و`, `ال`); failing those, with a small typo towards an intent or stop word
   (rapidfuzz, optimal string alignment: one edit from 4 letters on, two from 8, the first
   letter right). A word that matches nothing may be listed words typed without a space.
3. Entries score for their intents: `strong` 2, `weak` 1. An entry of several words (a
   phrase) matches them in any order; each typed word counts for one entry only (longest,
   strongest, most exact entries first). The intents with the highest score are the
   answer: one, or several when they tie ("löschen": cancel or privacy?).

The precision rule: a question must reach a person
- Every word must be known: an intent's word, or a `neutral` one (greetings, pronouns,
  "please", "I want", days, "when"). One unknown word ("letter", "Jobcenter", "landlord",
  a name) sends the message to a person. So "I need help" is HELP (help alone is a
  request), "I got a letter from the Jobcenter, I need help" is `[]`. Typos are never
  forgiven towards neutral words, so an unknown word cannot pass for one.
- A `stop` word sends it to a person whatever else it holds: negations ("nicht", "not",
  "pas", "نه", "نمیخواهم": "I don't want an appointment" is not a booking) and thanks
  ("thank you for your help" answers a person).
- More than `MAX_WORDS` words: only with a strong entry. More than `HARD_MAX_WORDS` words
  or `MAX_CHARS` characters: always a person.
"""

from __future__ import annotations

import logging
import tomllib
from collections import Counter
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from enum import StrEnum
from functools import cache, lru_cache
from pathlib import Path

from rapidfuzz import process
from rapidfuzz.distance import OSA

from bot.i18n import DEFAULT_LOCALES_DIR, normalize_locale
from bot.typed_text import normalise

__all__ = ["Intent", "Lexicon", "WordFile", "lexicon", "load_words", "normalise", "recognise"]

log = logging.getLogger("lotse.intents")


class Intent(StrEnum):
    BOOK = "book"
    APPOINTMENTS = "appointments"
    MOVE = "move"
    CANCEL = "cancel"
    MESSAGE = "message"  # message my advisor / case manager
    LANGUAGE = "language"
    HELP = "help"
    PRIVACY = "privacy"  # privacy / delete my data


WORDS_FILE = "intents.toml"
#: Tables of the same file read by bot/step_words.py (a day, a time, a topic typed at a
#: booking step), not by the recognition here.
STEP_TABLES = frozenset({"days", "times", "areas"})
#: Their words count in every language.
SHARED_LOCALES: tuple[str, ...] = ("de", "en")
MAX_CHARS = 400
MAX_WORDS = 8
HARD_MAX_WORDS = 16
STRONG = 2
WEAK = 1
#: A prefix entry (`termin*`) takes at most this many letters more.
MAX_SUFFIX = 3
#: Words typed together are split into pieces of at least this many letters.
MIN_PIECE = 2
#: A word with a clitic taken off keeps at least this many letters.
MIN_STEM = 3
MAX_PIECES = 3
MAX_JOINED = 24

# ----- word files ----------------------------------------------------------------------


@dataclass(frozen=True)
class WordFile:
    """One language's words as written in its file (not yet normalised)."""

    strong: Mapping[Intent, tuple[str, ...]]
    weak: Mapping[Intent, tuple[str, ...]]
    neutral: tuple[str, ...]
    stop: tuple[str, ...]
    clitics: tuple[str, ...]


def _strings(table: object, key: str, where: str) -> tuple[str, ...]:
    if not isinstance(table, dict):
        raise ValueError(f"{where}: expected a table")
    values = table.get(key, [])
    if not isinstance(values, list) or not all(isinstance(v, str) for v in values):
        raise ValueError(f"{where}.{key}: expected a list of strings")
    return tuple(values)


def load_words(locale: str, locales_dir: Path = DEFAULT_LOCALES_DIR) -> WordFile:
    """Read `locales/<locale>/intents.toml`; a table or key not known here is an error."""
    path = locales_dir / locale / WORDS_FILE
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    known = {intent.value for intent in Intent} | {"neutral", "stop", "clitics"} | STEP_TABLES
    if unknown := set(data) - known:
        raise ValueError(f"{path}: unknown tables {sorted(unknown)}")
    return WordFile(
        strong={i: _strings(data.get(i.value, {}), "strong", i.value) for i in Intent},
        weak={i: _strings(data.get(i.value, {}), "weak", i.value) for i in Intent},
        neutral=_strings(data.get("neutral", {}), "words", "neutral"),
        stop=_strings(data.get("stop", {}), "words", "stop"),
        clitics=_strings(data.get("clitics", {}), "prefixes", "clitics"),
    )


def _keys(entry: str) -> tuple[str, ...]:
    """An entry's words as match keys: `termin*` is a prefix key, others exact."""
    keys: list[str] = []
    for raw in entry.split():
        words = normalise(raw).split()
        if words and raw.endswith("*"):
            words[-1] += "*"
        keys.extend(words)
    return tuple(keys)


# ----- the lexicon of one language -----------------------------------------------------


@dataclass(frozen=True)
class _Entry:
    """Words that score together, for one intent or for several ("löschen": cancel and
    privacy, so that it is asked)."""

    keys: tuple[str, ...]
    weights: tuple[tuple[Intent, int], ...]

    def order(self) -> tuple[int, int, int, int]:
        """Longest first, then strong before weak, exact before prefix, Intent's order."""
        prefixes = sum(key.endswith("*") for key in self.keys)
        first = min(list(Intent).index(intent) for intent, _ in self.weights)
        return (-len(self.keys), -max(w for _, w in self.weights), prefixes, first)


def _by_length(prefixes: Iterable[str]) -> dict[int, frozenset[str]]:
    grouped: dict[int, set[str]] = {}
    for prefix in prefixes:
        grouped.setdefault(len(prefix), set()).add(prefix)
    return {length: frozenset(group) for length, group in grouped.items()}


def _allowed(length: int) -> int:
    """Typos tolerated in a word of this length."""
    return 0 if length < 4 else 1 if length < 8 else 2


class Lexicon:
    """A language's words (with German and English) ready for matching."""

    def __init__(self, files: Iterable[WordFile]):
        entries: dict[tuple[str, ...], dict[Intent, int]] = {}
        neutral: set[str] = set()
        stop: set[str] = set()
        clitics: set[str] = set()
        for words in files:
            for weight, table in ((STRONG, words.strong), (WEAK, words.weak)):
                for intent, listed in table.items():
                    for text in listed:
                        if keys := _keys(text):
                            weights = entries.setdefault(keys, {})
                            weights[intent] = max(weights.get(intent, 0), weight)
            neutral.update(k for text in words.neutral for k in _keys(text))
            stop.update(k for text in words.stop for k in _keys(text))
            clitics.update(c for c in (normalise(c) for c in words.clitics) if c)
        self.entries = sorted(
            (_Entry(keys, tuple(sorted(w.items()))) for keys, w in entries.items()),
            key=_Entry.order,
        )
        #: The entries each key is part of.
        self.entries_of: dict[str, list[_Entry]] = {}
        for entry in self.entries:
            for key in entry.keys:
                self.entries_of.setdefault(key, []).append(entry)
        self.neutral = frozenset(neutral)
        self.stop = frozenset(stop)
        self.intent_keys = frozenset(self.entries_of)
        every = self.neutral | self.stop | self.intent_keys
        self._exact = frozenset(k for k in every if not k.endswith("*"))
        self._prefixes = _by_length(k[:-1] for k in every if k.endswith("*"))
        # Typos are forgiven towards intent and stop words only: an unknown word taken
        # for a neutral one ("form" for "from") would turn a question into a request.
        fuzzy = (self.stop | self.intent_keys) - self.neutral
        self._fuzzy = sorted(k for k in fuzzy if not k.endswith("*"))
        self._fuzzy_prefixes = _by_length(k[:-1] for k in fuzzy if k.endswith("*"))
        self.clitics = tuple(sorted(clitics, key=len, reverse=True))
        self.match: Callable[[str], tuple[int, frozenset[str]]] = lru_cache(maxsize=4096)(
            self._match
        )

    def _listed(self, token: str) -> frozenset[str]:
        """Keys the token is without a typo: as listed, or a listed prefix plus a little."""
        found = {token} if token in self._exact else set()
        for length, keys in self._prefixes.items():
            if length <= len(token) <= length + MAX_SUFFIX and token[:length] in keys:
                found.add(token[:length] + "*")
        return frozenset(found)

    def _match(self, token: str) -> tuple[int, frozenset[str]]:
        """The keys nearest to a word and their distance; no keys: unknown."""
        found = self._listed(token)
        for clitic in self.clitics:
            if token.startswith(clitic) and len(token) - len(clitic) >= MIN_STEM:
                found |= self._listed(token[len(clitic) :])
        if found:
            return 0, found
        best, nearest = _allowed(len(token)) + 1, set[str]()
        for choice, distance, _ in process.extract(
            token, self._fuzzy, scorer=OSA.distance, score_cutoff=_allowed(len(token)), limit=None
        ):
            if choice[0] == token[0] and distance <= best:
                nearest = {choice} if distance < best else nearest | {choice}
                best = int(distance)
        for length, keys in self._fuzzy_prefixes.items():
            if not length - 1 <= len(token) <= length + MAX_SUFFIX:
                continue
            head = token[:length]
            for choice, distance, _ in process.extract(
                head, keys, scorer=OSA.distance, score_cutoff=_allowed(length), limit=None
            ):
                if choice[0] == token[0] and distance <= best:
                    nearest = {choice + "*"} if distance < best else nearest | {choice + "*"}
                    best = int(distance)
        return (best, frozenset(nearest)) if nearest else (0, frozenset())

    def split(self, token: str) -> list[frozenset[str]]:
        """Two or three known words typed without a space ("terminabsagen"), at most one
        typo in all, one of them an intent's word; else []."""
        if not 2 * MIN_PIECE <= len(token) <= MAX_JOINED:
            return []
        # best[i]: (pieces, typos, keys of each piece) for the first i letters
        best: dict[int, tuple[int, int, list[frozenset[str]]]] = {0: (0, 0, [])}
        for start in range(len(token)):
            if start not in best:
                continue
            pieces, typos, keys = best[start]
            if pieces == MAX_PIECES:
                continue
            for end in range(start + MIN_PIECE, len(token) + 1):
                distance, found = self.match(token[start:end])
                if not found or typos + distance > 1:
                    continue
                candidate = (pieces + 1, typos + distance, [*keys, found])
                if end not in best or candidate[:2] < best[end][:2]:
                    best[end] = candidate
        if len(token) not in best:
            return []
        parts = best[len(token)][2]
        if len(parts) < 2 or not any(part & self.intent_keys for part in parts):
            return []
        return parts

    def words(self, tokens: Iterable[str]) -> list[frozenset[str]] | None:
        """Each token's keys (a joined token as several); None when one is unknown."""
        found: list[frozenset[str]] = []
        for token in tokens:
            _, keys = self.match(token)
            if keys:
                found.append(keys)
            elif parts := self.split(token):
                found.extend(parts)
            else:
                return None
        return found

    def _overlapped(self, words: list[frozenset[str]], index: int) -> bool:
        """Is the word left over from a phrase that is all there, whose other words went
        to another entry ("voir mes rendez-vous": "mes rendez-vous" took "rendez-vous")?"""
        for key in words[index]:
            for entry in self.entries_of.get(key, []):
                others = list(entry.keys)
                others.remove(key)
                if all(any(o in w for j, w in enumerate(words) if j != index) for o in others):
                    return True
        return False

    def score(self, words: list[frozenset[str]]) -> Counter[Intent] | None:
        """Each intent's score; None when a word is a stop word or is left unexplained."""
        if any(keys & self.stop for keys in words):
            return None
        used = [False] * len(words)
        scores: Counter[Intent] = Counter()
        for entry in self.entries:
            while True:
                picks: list[int] = []
                for key in entry.keys:
                    pick = next(
                        (i for i, keys in enumerate(words)
                         if not used[i] and i not in picks and key in keys),
                        None,
                    )  # fmt: skip
                    if pick is None:
                        break
                    picks.append(pick)
                else:
                    for i in picks:
                        used[i] = True
                    for intent, weight in entry.weights:
                        scores[intent] += weight
                    continue
                break
        for i, keys in enumerate(words):
            if not used[i] and not keys & self.neutral and not self._overlapped(words, i):
                return None
        return scores


@cache
def lexicon(locale: str, locales_dir: Path = DEFAULT_LOCALES_DIR) -> Lexicon:
    """The words of a locale and of German and English, read once per locale."""
    shipped = normalize_locale(locale)
    names = dict.fromkeys(((shipped,) if shipped else ()) + SHARED_LOCALES)
    return Lexicon(load_words(name, locales_dir) for name in names)


# ----- recognising ---------------------------------------------------------------------


def _tokens(text: str) -> list[str]:
    """The words that matter: one letter alone and numbers (dates, times) carry nothing."""
    return [t for t in normalise(text).split() if len(t) > 1 and not any(c.isdigit() for c in t)]


def _recognise(text: str, locale: str) -> list[Intent]:
    if not text or len(text) > MAX_CHARS:
        return []
    tokens = _tokens(text)
    if not tokens or len(tokens) > HARD_MAX_WORDS:
        return []
    words = lexicon(locale).words(tokens)
    scores = lexicon(locale).score(words) if words is not None else None
    if not scores:
        return []
    top = max(scores.values())
    if len(tokens) > MAX_WORDS and top < STRONG:
        return []
    return [intent for intent in Intent if scores[intent] == top]


def recognise(text: str, locale: str) -> list[Intent]:
    """[] : no intent (a question for a person); [one]: go there; several: ask with buttons.
    Never raises; for any text (empty, emoji, 10,000 chars)."""
    try:
        found = _recognise(text if isinstance(text, str) else "", locale)
    except Exception as exc:  # noqa: BLE001 - a broken word file must not stop a client
        log.warning("intent recognition failed", extra={"error": type(exc).__name__})
        return []
    if found:
        log.debug("intent recognised", extra={"intents": [i.value for i in found]})
    return found
