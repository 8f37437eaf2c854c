"""Search terms: German word forms through the Snowball stemmer.

"Deutschkurse" and "Deutschkurs" stem to a common prefix ("deutschkurs" /
"deutschkur"), and the databases match stems as substrings (SQLite FTS5 trigram)
or prefixes (PostgreSQL), so either form finds the other.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from typing import Protocol

import snowballstemmer

_WORD = re.compile(r"\w+", re.UNICODE)
MIN_TERM = 3
MAX_TERMS = 8


class _Stemmer(Protocol):
    """What is used of snowballstemmer's stemmer (the package has no type hints)."""

    def stemWord(self, word: str) -> str: ...


@lru_cache(maxsize=1)
def _stemmer() -> _Stemmer:
    stemmer: _Stemmer = snowballstemmer.stemmer("german")
    return stemmer


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


# ----- what the databases index -------------------------------------------------------
#
# Both databases index words *and their suffixes* (from the 2nd letter on, down to
# MIN_TERM letters), so a prefix query for a stem finds it anywhere inside a
# compound: "beratung*" meets "rechtsberatung" through its suffix "beratung". The
# index is token based (SQLite FTS5 unicode61, PostgreSQL tsvector): counting and
# filtering stay inside the index, which is what keeps a search in a few
# milliseconds on 20,000 offers. Filters are indexed as facet tokens in their own
# column, so "open to Duldung" and a place cost an index lookup, not a row read.

_FACET_KINDS = {
    "area": "zza",
    "place": "zzm",
    "language": "zzl",
    "status": "zzs",
    "site": "zzq",
}
HAS_END = "zzend"


def fold(text: str) -> str:
    """Lower case without accents or umlauts ("Köln" -> "koln"), the same for index and query."""
    lowered = text.lower().replace("ß", "ss")
    decomposed = unicodedata.normalize("NFKD", lowered)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def _words(text: str) -> list[str]:
    return [w for w in re.findall(r"[^\W_]+", fold(text)) if w]


def suffix_terms(*texts: str) -> str:
    tokens: dict[str, None] = {}
    for text in texts:
        for word in _words(text or ""):
            tokens[word] = None
            for start in range(1, len(word) - MIN_TERM + 1):
                tokens[word[start:]] = None
    return " ".join(tokens)


def facet(kind: str, value: str) -> str:
    return _FACET_KINDS[kind] + "".join(_words(value))


def facet_terms(
    *,
    life_areas: list[str],
    municipality: str,
    languages: list[str],
    statuses: list[str],
    has_end: bool,
    site_id: int | None = None,
) -> str:
    tokens = [facet("area", a) for a in life_areas]
    tokens.append(facet("place", municipality))
    tokens += [facet("language", lang) for lang in languages]
    tokens += [facet("status", s) for s in statuses]
    if has_end:
        tokens.append(HAS_END)
    if site_id is not None:  # the shared catalog (no site) has no token: its rows
        tokens.append(facet("site", str(site_id)))  # kept their terms of migration 0007
    return " ".join(dict.fromkeys(tokens))


def query_tokens(terms: tuple[str, ...]) -> list[str]:
    """Stems as index tokens: folded letters and digits only (safe inside a query string)."""
    out: list[str] = []
    for term in terms:
        token = "".join(_words(term))
        if len(token) >= MIN_TERM and token not in out:
            out.append(token)
    return out


def index_texts(
    *,
    title: str,
    municipality: str,
    provider: str,
    description: str,
    life_areas: list[str],
    languages: list[str],
    statuses: list[str],
    has_end: bool,
    site_id: int | None = None,
) -> tuple[str, str, str]:
    """(title, body, facets) as the index stores them. Changing this changes what a stored
    row's terms are: a migration must then rebuild the index (SQLite deletes by value)."""
    return (
        suffix_terms(title),
        suffix_terms(municipality, provider, description),
        facet_terms(
            life_areas=life_areas,
            municipality=municipality,
            languages=languages,
            statuses=statuses,
            has_end=has_end,
            site_id=site_id,
        ),
    )
