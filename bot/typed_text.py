"""What people type, folded so that the same word compares equal however it was typed.

- Unicode compatibility forms (presentation forms, full-width letters), no combining marks:
  no Latin accents, no Arabic harakat, and أ إ آ ؤ ئ lose their hamza.
- No tatweel, zero-width (non-)joiners, direction marks or isolates, BOM.
- One form for the Arabic-script letters people type either way: ي ى ې ۍ -> ی, ك -> ک,
  ة ە -> ه, ٱ -> ا; the Pashto ګ ښ ړ ټ ډ ڼ as typed on a Dari keyboard: گ ش ر ت د ن; the
  Sorani ێ ۆ ڵ ڕ as typed on a Persian or Arabic keyboard: ی و ل ر.
- Latin letters without a decomposition, as typed on a German keyboard: Turkish ı -> i,
  Serbian đ -> dj (the others, ş ç ğ ë ê č ć, lose their marks like any accent).
- Persian and Arabic-Indic digits -> ASCII; Latin in lower case ("ß" -> "ss");
  "don't" -> "dont"; punctuation, emoji and control characters -> one space.
"""

from __future__ import annotations

import re
import unicodedata

#: Tatweel, BOM, zero-width space, (non-)joiners, direction marks, embeddings, isolates.
_INVISIBLE = dict.fromkeys(
    [0x0640, 0xFEFF, *range(0x200B, 0x2010), *range(0x202A, 0x202F), *range(0x2066, 0x206A)]
)
_LETTERS = str.maketrans(
    {
        "ي": "ی", "ى": "ی", "ې": "ی", "ۍ": "ی",
        "ك": "ک", "ڪ": "ک",
        "ة": "ه", "ە": "ه", "ھ": "ه", "ہ": "ه",
        "ٱ": "ا",
        # Pashto letters as typed on a Dari keyboard
        "ګ": "گ", "ښ": "ش", "ړ": "ر", "ټ": "ت", "ډ": "د", "ڼ": "ن",
        # Sorani letters as typed on a Persian or Arabic keyboard
        "ێ": "ی", "ۆ": "و", "ڵ": "ل", "ڕ": "ر",
        # Latin letters that keep no base letter when their marks go
        "ı": "i", "đ": "dj",
    }
)  # fmt: skip
_DIGITS = str.maketrans("٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹", "01234567890123456789")
_CONTRACTION = re.compile(r"n['’ʼ]t\b")  # don't -> dont, can't -> cant
_NOT_WORD = re.compile(r"[\W_]+")


def normalise(text: str) -> str:
    """Words as compared: folded, one spelling per letter, separated by single spaces."""
    text = unicodedata.normalize("NFKD", text.translate(_INVISIBLE))
    text = "".join(ch for ch in text if unicodedata.category(ch) != "Mn")
    text = text.casefold().translate(_LETTERS).translate(_DIGITS)
    text = _CONTRACTION.sub("nt", text)
    return " ".join(_NOT_WORD.sub(" ", text).split())
