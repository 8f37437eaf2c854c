"""Search terms: German word forms through the Snowball stemmer.

"Deutschkurse" and "Deutschkurs" stem to a common prefix ("deutschkurs" /
"deutschkur"), and the databases match stems as substrings (SQLite FTS5 trigram)
or prefixes (PostgreSQL), so either form finds the other.
"""

from __future__ import annotations

import re
from functools import lru_cache

import snowballstemmer

_WORD = re.compile(r"\w+", re.UNICODE)
MIN_TERM = 3
MAX_TERMS = 8


@lru_cache(maxsize=1)
def _stemmer():  # type: ignore[no-untyped-def]
    return snowballstemmer.stemmer("german")


_FOLD = str.maketrans("äöü", "aou")


def _stem(word: str) -> str:
    """The stem as a prefix of the word as written. Snowball also folds umlauts
    ("köln" -> "koln"), which would no longer match the text, so the word's own
    letters are kept; a stem that is not a prefix falls back to the whole word."""
    stem = _stemmer().stemWord(word)
    prefix = word[: len(stem)]
    if prefix.translate(_FOLD) == stem:
        return prefix
    return word


def search_terms(text: str) -> tuple[str, ...]:
    words = [w.lower() for w in _WORD.findall(text or "")]
    stems: list[str] = []
    for word in words[:MAX_TERMS]:
        stem = _stem(word)
        if len(stem) < MIN_TERM:
            stem = word  # short words: keep them whole (or drop them below)
        if len(stem) >= MIN_TERM and stem not in stems:
            stems.append(stem)
    return tuple(stems)
