"""A life area typed at the booking's topic step (issue 19, item 3): "Wohnung", "مسکن",
"santé", or a button's label typed out.

Clearly one area or none: the words of the language's `[areas]` table (bot/step_words.py)
and those of the buttons' labels (the caller gives them, from the catalogs) that belong to
one area only. Every other word must be neutral ("bitte", "I need"); words of two areas,
a number or an unknown word: None, and the step explains itself.
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import lru_cache

from bot.domain import LifeArea
from bot.i18n import normalize_locale
from bot.step_words import Phrases, Word, step_words, tokens
from bot.typed_text import normalise

__all__ = ["typed_area"]

#: A label's word shorter than this says nothing alone ("et", "و").
MIN_LABEL_WORD = 3


@lru_cache(maxsize=32)
def _area_phrases(locale: str, labels: tuple[tuple[LifeArea, str], ...]) -> Phrases[LifeArea]:
    words = step_words(locale)
    fillers = words.fillers("areas")
    entries: list[tuple[str, LifeArea]] = []
    for area in LifeArea:
        entries += [(entry, area) for entry in words.entries("areas", area.value)]
    # A label whole, and each of its words that belongs to this area's label only.
    owners: dict[str, set[LifeArea]] = {}
    for area, label in labels:
        entries.append((label, area))
        for word in normalise(label).split():
            if len(word) >= MIN_LABEL_WORD and word not in fillers:
                owners.setdefault(word, set()).add(area)
    entries += [(word, next(iter(areas))) for word, areas in owners.items() if len(areas) == 1]
    return Phrases(entries, fillers)


def typed_area(text: str, locale: str, labels: Mapping[LifeArea, str]) -> LifeArea | None:
    """The one life area a typed text names, else None. `labels`: the topic buttons'
    labels in the reader's language."""
    phrases = _area_phrases(normalize_locale(locale) or "de", tuple(labels.items()))
    items = phrases.read(tokens(text))
    if not items or any(isinstance(item, str) for item in items):
        return None
    words = [item for item in items if isinstance(item, Word)]
    # An everyday word that is also an area's ("دیگر", "other") counts only alone.
    deciding = [w for w in words if not w.neutral] or (words if len(words) == 1 else [])
    areas = {area for word in deciding for area in word.values}
    return next(iter(areas)) if len(areas) == 1 else None
