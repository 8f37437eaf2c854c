"""The phrasings of the seven languages of issue 24, one module per language (written by
each language's translator), merged into tests/unit/intent_phrasings.py."""

from __future__ import annotations

from bot.intents import Intent
from tests.unit.phrasings import ckb, fa, ku, mk, sq, sr, tr

_BY_LOCALE = {"fa": fa, "ckb": ckb, "ku": ku, "tr": tr, "sq": sq, "sr": sr, "mk": mk}

REQUESTS: dict[str, dict[Intent, list[str]]] = {
    locale: module.REQUESTS for locale, module in _BY_LOCALE.items()
}
PLAIN: dict[str, list[str]] = {locale: module.PLAIN for locale, module in _BY_LOCALE.items()}
