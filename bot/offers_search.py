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


def search_terms(text: str) -> tuple[str, ...]:
    words = [w.lower() for w in _WORD.findall(text or "")]
    stems = []
    for word in words[:MAX_TERMS]:
        stem = _stemmer().stemWord(word)
        if len(stem) < MIN_TERM:
            stem = word  # short words: keep them whole (or drop them below)
        if len(stem) >= MIN_TERM and stem not in stems:
            stems.append(stem)
    return tuple(stems)
