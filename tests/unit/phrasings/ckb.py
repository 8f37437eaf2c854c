"""What clients type in Sorani Kurdish (`ckb`, issue 24): in Sorani letters, as typed on a
Persian or Arabic keyboard, and in Latin letters; typos and words run together. Written
by the language's translator; merged in tests/unit/intent_phrasings.py.
"""

from __future__ import annotations

from bot.intents import Intent

B, A, M, C = Intent.BOOK, Intent.APPOINTMENTS, Intent.MOVE, Intent.CANCEL
W, L, H, P = Intent.MESSAGE, Intent.LANGUAGE, Intent.HELP, Intent.PRIVACY

REQUESTS: dict[Intent, list[str]] = {
    B: [
        "دەمەوێت کاتێک بگرم",
        "چاوپێکەوتنێکم دەوێت",
        "تکایە کاتی چاوپێکەوتنێک بگرم",
        "مەوعیدێکم دەوێت",
        "kat bgrm",
        "damawe chawpekawtnek bgrm",
        "چاوپیکەوتنی نوی",
        "کاتی بەتاڵ هەیە بۆ دووشەممە؟",
        "گرتنی کاتی چاوپێکەوتن",
        "ئەمەوێ کات وەربگرم",
    ],
    A: [
        "چاوپێکەوتنەکانم",
        "چاوپێکەوتنەکەم کەیە؟",
        "مەوعیدەکەم کەیە",
        "کەی کاتم هەیە؟",
        "chawpekawtnakanm",
        "چاوپیکەوتنەکانم",
        "کاتەکانم پیشان بدە",
        "katakam kaya",
    ],
    M: [
        "گۆڕینی کات",
        "دەمەوێت کاتەکەم بگۆڕم",
        "کاتێکی تر تکایە",
        "چاوپێکەوتنەکەم دوا بخەن",
        "gorini kat",
        "گورینی کات",
        "ڕۆژێکی تر دەکرێت؟",
        "مەوعیدەکەم بگۆڕن",
    ],
    C: [
        "هەڵوەشاندنەوەی چاوپێکەوتن",
        "دەمەوێت چاوپێکەوتنەکەم هەڵبوەشێنمەوە",
        "مەوعیدەکەم هەڵبوەشێنەوە",
        "هەلوەشاندنەوە",
        "halwashandnawa",
        "کەنسڵ تکایە",
        "ئیلغای بکەن",
    ],
    W: [
        "نامە بۆ ڕاوێژکارەکەم",
        "دەمەوێت قسە لەگەڵ ڕاوێژکارەکەم بکەم",
        "rawezhkar",
        "ڕاویژکار",
        "پەیوەندی بە ڕاوێژکارەکەمەوە",
        "نامەیەک بنێرم بۆ ڕاوێژکار",
        "راوێژکارەکەم",
    ],
    L: [
        "زمان",
        "گۆڕینی زمان",
        "zman",
        "کوردی تکایە",
        "زمانی تر",
        "زمانەکە بگۆڕە",
    ],
    H: [
        "یارمەتی",
        "یارمەتیم دەوێت",
        "yarmati",
        "تکایە یارمەتیم بدەن",
        "یارمەتى",
        "yarmatim dawe",
    ],
    P: [
        "پاراستنی زانیاری",
        "زانیارییەکانم بسڕەوە",
        "سڕینەوەی زانیارییەکانم",
        "zanyariakanm",
        "زانیاریەکانم",
        "زانیاری کەسی",
    ],
}

#: Questions and statements: each one must reach a person.
PLAIN: list[str] = [
    "سڵاو، نامەیەکم لە Jobcenter بۆ هاتووە، یارمەتیم دەوێت",
    "خاوەن ماڵەکە دەڵێت دەبێت لە خانووەکە دەربچم",
    "چاوپێکەوتنەکەم لەدەست چوو",
    "سبەی ناتوانم بێم",
    "سوپاس",
    "من چاوپێکەوتنم ناوێت",
    "کچەکەم نەخۆشە",
    "چۆن مۆڵەتی مانەوە وەربگرم؟",
    "لە کوێ دەتوانم زمانی ئەڵمانی فێر بم؟",
    "سڵاو",
    "بۆ چاوپێکەوتن پاسپۆرت پێویستە؟",
    "kak gyan namayekm la jobcenter bo hatwa",
    "زۆر سوپاس بۆ یارمەتییەکەتان",
    "کاتژمێر 10 لای دکتۆر کاتم هەیە",
]
