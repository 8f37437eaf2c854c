"""Recognition table of typed requests: per language and intent, how many of the test
phrasings are recognised, and how many plain questions would wrongly land in a flow.

    python benchmarks/intents_table.py

The phrasings are the tests' (tests/unit/intent_phrasings.py). A request counts as
recognised when `recognise` answers exactly its intent; a plain question is a false
positive when it answers anything. Also prints the mean time of one call.
"""

from __future__ import annotations

import sys
import time
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bot.i18n import SUPPORTED_LOCALES  # noqa: E402
from bot.intents import Intent, lexicon, recognise  # noqa: E402
from tests.unit.intent_phrasings import PLAIN, REQUESTS  # noqa: E402


@dataclass(frozen=True)
class Row:
    locale: str
    recognised: dict[Intent, tuple[int, int]]  # intent -> (recognised, total)
    false_positives: tuple[int, int]  # (plain questions with an intent, plain questions)


def recognition_table() -> list[Row]:
    rows: list[Row] = []
    for locale in SUPPORTED_LOCALES:
        recognised = {
            intent: (
                sum(recognise(text, locale) == [intent] for text in texts),
                len(texts),
            )
            for intent, texts in REQUESTS[locale].items()
        }
        plain = PLAIN[locale]
        wrong = sum(bool(recognise(text, locale)) for text in plain)
        rows.append(Row(locale, recognised, (wrong, len(plain))))
    return rows


def render(rows: list[Row]) -> str:
    header = ["locale", *(intent.value for intent in Intent), "plain: false positives"]
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    for row in rows:
        cells = [row.locale]
        cells += [f"{ok}/{total}" for ok, total in (row.recognised[i] for i in Intent)]
        cells.append(f"{row.false_positives[0]}/{row.false_positives[1]}")
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


def mean_call_us() -> float:
    texts = [
        (text, locale)
        for locale in SUPPORTED_LOCALES
        for text in [*PLAIN[locale], *(t for ts in REQUESTS[locale].values() for t in ts)]
    ]
    start = time.perf_counter()
    for text, locale in texts:
        recognise(text, locale)
    return (time.perf_counter() - start) / len(texts) * 1e6


def main() -> None:
    for locale in SUPPORTED_LOCALES:
        lexicon(locale)  # word files read once, outside the timing
    print(render(recognition_table()))
    print(f"\nmean time of one call: {mean_call_us():.0f} µs")


if __name__ == "__main__":
    main()
