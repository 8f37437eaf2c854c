"""The script a bot's text is written in (issue 24): a Farsi, Sorani or Albanian screen must
be in that language's letters, not in English left behind by a missing translation.

`stray_words(text, script)` lists the words of a text (or a button's label) that are not
in `script`, after leaving out what is not the catalog's own words: the values put into
it (between Unicode isolates: names, dates, addresses), HTML tags, bot commands, links,
digits and emoji, and the few Latin words every language keeps (Lotse, Telegram, the
German official words the glossary keeps in brackets).
"""

from __future__ import annotations

import re
import unicodedata

from emulator.state import visible_text

#: The script of each shipped locale's letters (Unicode's name for it).
SCRIPT = {
    "de": "LATIN", "en": "LATIN", "fr": "LATIN", "ku": "LATIN", "tr": "LATIN",
    "sq": "LATIN", "sr": "LATIN", "mk": "CYRILLIC",
    "ar": "ARABIC", "fa_AF": "ARABIC", "ps": "ARABIC", "fa": "ARABIC", "ckb": "ARABIC",
}  # fmt: skip
#: Latin words any language's text may carry: product names, the German words the
#: glossary keeps (in brackets after the translation), "ID" of "Telegram ID".
KEPT_LATIN = frozenset(
    {"Lotse", "Telegram", "ID", "Duldung", "Ausbildung", "Jobcenter", "Gestattung", "PDF"}
)
#: Words of English that no other language of ours writes alone: in a Latin-script
#: language's text they are an untranslated English message.
ENGLISH = frozenset(
    {"the", "your", "you", "please", "appointment", "appointments", "with", "and", "choose",
     "language", "book", "advisor", "this", "cancel", "agree", "will"}
)  # fmt: skip
#: Sorani's own letters (ە ێ ۆ ڵ ڕ): one of them is in every Sorani sentence, in no
#: Persian or Arabic one.
SORANI_LETTERS = frozenset("\u06d5\u06ce\u06c6\u06b5\u0695")

_ISOLATED = re.compile("[\u2066\u2067\u2068][^\u2066-\u2069]*\u2069")
_COMMAND = re.compile(r"(?<![\w/])/[a-z][a-z0-9_]*")
_LINK = re.compile(r"(?:https?://|tg://|www\.)\S+")
_WORD = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)*")


def own_words(text: str) -> list[str]:
    """The words of a text that the catalog wrote, not the values put into it."""
    try:
        text = visible_text(text, "HTML")
    except Exception:  # noqa: BLE001 - a button's label is no HTML: taken as it is
        pass
    while _ISOLATED.search(text):  # innermost first: values may nest
        text = _ISOLATED.sub(" ", text)
    text = _LINK.sub(" ", _COMMAND.sub(" ", text))
    # A tatweel joins an Arabic-script ending to a Latin name ("Telegramـەکەتان").
    return _WORD.findall(text.replace("\u0640", " "))


def script_of(word: str) -> set[str]:
    """The scripts of a word's letters ("LATIN", "ARABIC", "CYRILLIC")."""
    return {
        unicodedata.name(char, "?").split(" ")[0]
        for char in word
        if unicodedata.category(char).startswith("L")
    }


def stray_words(text: str, locale: str) -> list[str]:
    """Words of `text` not written in `locale`'s script (an Arabic-script screen with an
    English word in it), or, for a Latin-script language, English words."""
    script = SCRIPT[locale]
    stray = []
    for word in own_words(text):
        if word in KEPT_LATIN:
            continue
        if script_of(word) != {script} or (script == "LATIN" and word.lower() in ENGLISH):
            stray.append(word)
    return stray


def is_sorani(text: str) -> bool:
    """Whether an Arabic-script text reads as Sorani, not Persian or Arabic: a sentence
    (more than five words) has one of Sorani's own letters; a label may not ("زمان و خولی
    زمان", language and language courses, has none)."""
    words = own_words(text)
    return len(words) <= 5 or any(char in SORANI_LETTERS for char in "".join(words))
