"""Localisation: gettext catalogs compiled in memory, isolates around values.

The `.po` files are the source of truth; they are compiled at start-up (never a
stale `.mo`). Fuzzy entries are left out, so a fuzzy translation falls back to
English rather than showing a half-checked text.
"""

from __future__ import annotations

import gettext
import html
import io
import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

#: Locales shipped in this order (the language picker's order after the guesses): the six
#: of the start, then the seven of issue 24: Farsi and the two Kurdish languages (beside
#: Arabic, Dari and Pashto in the picker), Turkish, then the languages of the Balkans.
SUPPORTED_LOCALES: tuple[str, ...] = (
    "de", "en", "fr", "ar", "fa_AF", "ps", "fa", "ckb", "ku", "tr", "sq", "sr", "mk",
)  # fmt: skip

#: Each language named in itself, as CLDR names it (capitalised for a button), except
#: Dari (CLDR has no name for fa_AF) and Sorani (CLDR's "کوردیی ناوەندی", Central Kurdish,
#: is not what its speakers call it; "کوردی (سۆرانی)" stands beside "Kurdî (Kurmancî)").
#: Serbian is shipped in Latin script (see README, "Languages").
NATIVE_NAMES: Mapping[str, str] = {
    "de": "Deutsch",
    "en": "English",
    "fr": "Français",
    "ar": "العربية",
    "fa_AF": "دری",
    "ps": "پښتو",
    "fa": "فارسی",
    "ckb": "کوردی (سۆرانی)",
    "ku": "Kurdî (Kurmancî)",
    "tr": "Türkçe",
    "sq": "Shqip",
    "sr": "Srpski",
    "mk": "Македонски",
}

RTL_LOCALES: frozenset[str] = frozenset({"ar", "fa_AF", "ps", "fa", "ckb"})

#: The locale whose CLDR data (dates, month names) matches a catalog's script: Babel's
#: plain `sr` is Cyrillic, our Serbian catalog is Latin.
CLDR_LOCALES: Mapping[str, str] = {"sr": "sr_Latn"}


def cldr_locale(locale: str) -> str:
    """The Babel locale for a catalog's dates and month names ("sr" -> "sr_Latn")."""
    return CLDR_LOCALES.get(locale, locale)


#: Telegram's `language_code` (an IETF tag, lower case) to the locales it suggests, the
#: likelier first; a tag not listed is looked up without its last subtag ("sr-latn-rs",
#: "sr-latn", "sr"). Telegram's apps have no Dari, so a Persian phone (`fa`) is Dari or
#: Farsi: both come first (Dari before Farsi: most THM clients with a Persian phone are
#: Afghans), and an Iranian one (`fa-IR`) Farsi first. Either Kurdish suggests both
#: variants (Southern Kurdish, `sdh`, is written in Arabic script like Sorani). Bosnian,
#: Croatian and Montenegrin readers read Serbian in Latin script; Gheg and Tosk are
#: Albanian.
_TELEGRAM_GUESSES: Mapping[str, tuple[str, ...]] = {
    "de": ("de",),
    "en": ("en",),
    "fr": ("fr",),
    "ar": ("ar",),
    "fa": ("fa_AF", "fa"),
    "fa-af": ("fa_AF", "fa"),
    "prs": ("fa_AF", "fa"),
    "fa-ir": ("fa", "fa_AF"),
    "pes": ("fa", "fa_AF"),
    "ps": ("ps",),
    "pus": ("ps",),
    "pbt": ("ps",),
    "ckb": ("ckb", "ku"),
    "sdh": ("ckb", "ku"),
    "ku-arab": ("ckb", "ku"),
    "ku": ("ku", "ckb"),
    "kmr": ("ku", "ckb"),
    "tr": ("tr",),
    "sq": ("sq",),
    "aln": ("sq",),
    "als": ("sq",),
    "sr": ("sr",),
    "sh": ("sr",),
    "bs": ("sr",),
    "hr": ("sr",),
    "cnr": ("sr",),
    "mk": ("mk",),
}

FSI = "\u2068"  # first strong isolate
LRI = "\u2066"  # left-to-right isolate
PDI = "\u2069"  # pop directional isolate

#: A bot command inside a translated text ("/privacy", "/offers Deutschkurs Essen" with
#: Latin-script arguments): not after a letter, digit, "/" or "<" (so no path, URL or
#: closing HTML tag), and not glued to a following word.
_LATIN_WORD = r"[A-Za-z\u00c0-\u024f0-9][A-Za-z\u00c0-\u024f0-9_-]*"
_COMMAND = re.compile(rf"(?<![\w/<])/[a-z][a-z0-9_]*(?: {_LATIN_WORD})*(?![\w/])")

DEFAULT_LOCALES_DIR = Path(__file__).resolve().parent.parent / "locales"


def normalize_locale(value: str | None) -> str | None:
    """Map spellings such as `fa-AF`, `fa_af`, `FR` to a shipped locale, else None."""
    if not value:
        return None
    cleaned = value.strip().replace("-", "_")
    for locale in SUPPORTED_LOCALES:
        if cleaned.lower() == locale.lower():
            return locale
    return None


RLM = "\u200f"  # right-to-left mark


def language_label(code: str) -> str:
    """A language's own name for a button: a right-to-left name that ends in a neutral
    character ("کوردی (سۆرانی)") gets a right-to-left mark after it, so that its closing
    bracket stays at its end even where the app lays a button out left to right."""
    name = NATIVE_NAMES.get(code, code)
    if code in RTL_LOCALES and unicodedata.bidirectional(name[-1]) not in ("R", "AL"):
        return name + RLM
    return name


def guesses(telegram_language_code: str | None) -> tuple[str, ...]:
    """The locales Telegram's language code suggests, the likelier first (none for a
    language we do not ship). Only a guess: the client chooses."""
    if not telegram_language_code:
        return ()
    tag = telegram_language_code.strip().lower().replace("_", "-")
    while tag:
        if tag in _TELEGRAM_GUESSES:
            return _TELEGRAM_GUESSES[tag]
        tag = tag.rpartition("-")[0]
    return ()


def guess_locales(telegram_language_code: str | None, default: str) -> tuple[str, ...]:
    """The guesses, or the default alone: never empty; the first is the language the
    picker asks in."""
    return guesses(telegram_language_code) or (default,)


class Markup(str):
    """Text that is already escaped (a translated message): not escaped again."""


def isolate(value: object) -> str:
    """HTML-escape a value and wrap it in Unicode isolates for right-to-left text."""
    text = value if isinstance(value, Markup) else html.escape(str(value), quote=False)
    return f"{FSI}{text}{PDI}"


def isolate_commands(text: str) -> str:
    """Wrap each "/command" of a translated text in LRI ... PDI: in a right-to-left line
    the slash would otherwise jump to the end ("privacy/"). Telegram still sees a command
    (the isolates are format characters, not word characters)."""
    return _COMMAND.sub(lambda match: f"{LRI}{match.group(0)}{PDI}", text)


def _format(template: str, values: Mapping[str, object], *, rtl: bool = False) -> Markup:
    if rtl:
        template = isolate_commands(template)
    if not values:
        return Markup(template)
    return Markup(template.format(**{key: isolate(value) for key, value in values.items()}))


@dataclass(frozen=True)
class Translator:
    """Gettext for one locale. Values given as keywords are escaped and isolated."""

    locale: str
    _translations: gettext.NullTranslations

    @property
    def is_rtl(self) -> bool:
        return self.locale in RTL_LOCALES

    def _(self, message: str, /, **values: object) -> Markup:  # noqa: N802 - gettext convention
        return _format(self._translations.gettext(message), values, rtl=self.is_rtl)

    def n_(self, singular: str, plural: str, n: int, /, **values: object) -> Markup:
        values.setdefault("n", n)
        return _format(self._translations.ngettext(singular, plural, n), values, rtl=self.is_rtl)

    def p_(self, context: str, message: str, /, **values: object) -> Markup:
        return _format(self._translations.pgettext(context, message), values, rtl=self.is_rtl)

    def raw_p(self, context: str, message: str, /) -> str:
        """The translation as the catalog has it, neither formatted nor escaped: for
        renderers that escape values themselves (the console's Jinja2 templates)."""
        return self._translations.pgettext(context, message)

    def german(self, value: object) -> str:
        """A value from German data (an offer's title, address, phone, opening hours, ...),
        escaped; isolated in a right-to-left chat, where "+49 201 2194350" would otherwise
        read "2194350 201 49+" and brackets and full stops jump to the other end."""
        return isolate(value) if self.is_rtl else html.escape(str(value), quote=False)


class Catalogs:
    """All shipped catalogs, compiled once from the `.po` files."""

    def __init__(self, locales_dir: Path = DEFAULT_LOCALES_DIR, default_locale: str = "de"):
        self.default_locale = default_locale
        self._translations: dict[str, gettext.NullTranslations] = {}
        for locale in SUPPORTED_LOCALES:
            po_path = locales_dir / locale / "LC_MESSAGES" / "messages.po"
            self._translations[locale] = _compile(po_path)

    def translator(self, locale: str | None) -> Translator:
        chosen = normalize_locale(locale) or self.default_locale
        return Translator(chosen, self._translations[chosen])

    def all(self) -> list[Translator]:
        return [self.translator(locale) for locale in SUPPORTED_LOCALES]


def _compile(po_path: Path) -> gettext.NullTranslations:
    if not po_path.exists():
        return gettext.NullTranslations()
    with po_path.open("rb") as handle:
        catalog = read_po(handle)
    buffer = io.BytesIO()
    write_mo(buffer, catalog, use_fuzzy=False)
    buffer.seek(0)
    return gettext.GNUTranslations(buffer)
