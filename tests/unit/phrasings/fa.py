"""What clients type in Farsi (Iranian Persian) (`fa`, issue 24): in Persian script and in
Latin letters, spoken forms (میخوام), with and without the zero-width non-joiner; typos
and words run together. Written by the language's translator; merged in
tests/unit/intent_phrasings.py.
"""

from __future__ import annotations

from bot.intents import Intent

B, A, M, C = Intent.BOOK, Intent.APPOINTMENTS, Intent.MOVE, Intent.CANCEL
W, L, H, P = Intent.MESSAGE, Intent.LANGUAGE, Intent.HELP, Intent.PRIVACY

REQUESTS: dict[Intent, list[str]] = {
    B: [
        "نوبت میخوام",
        "می‌خواهم نوبت بگیرم",
        "nobat mikham",
        "یه نوبت جدید میخواستم",
        "نوبتمیخوام",
        "سلام، میشه برام یه وقت بگیرید؟",
        "وقت مشاوره میخوام لطفا",
        "نوبت برای دوشنبه ساعت ۱۰",
        "رزرو نوبت",
        "vaght gereftan mikham",
    ],
    A: [
        "نوبت‌های من",
        "نوبتهام",
        "نوبتم کیه؟",
        "کی نوبت دارم؟",
        "nobathamo neshun bede",
        "نوبتامو نشون بدید",
        "ملاقاتهاي من",
        "key nobatam",
    ],
    M: [
        "تغییر زمان نوبت",
        "نوبتمو عوض کنید",
        "میخوام نوبتم رو جابجا کنم",
        "taghir nobat",
        "یه وقت دیگه میخوام",
        "تغيير وقت",
        "نوبتمو عقب بندازید لطفا",
        "vaghtamo avaz konid",
    ],
    C: [
        "لغو نوبت",
        "نوبتمو کنسل کنید",
        "laghv nobat",
        "کنسل",
        "میخوام نوبتمو لغو کنم",
        "cancel konid lotfan",
        "لغو این نوبت",
    ],
    W: [
        "پیام به مشاور من",
        "میخوام با مشاورم صحبت کنم",
        "payam be moshaver",
        "مشاوِر",
        "میخوام به مشاورم پیام بدم",
        "پيام براي مشاور",
        "moshaveram",
    ],
    L: [
        "زبان",
        "تغییر زبان",
        "zaban",
        "زبانو عوض کنید",
        "فارسی لطفا",
        "زبان دیگه",
        "zabano avaz konid",
    ],
    H: [
        "کمک",
        "کمک میخوام",
        "komak",
        "لطفاً کمکم کنید",
        "کومک",
        "راهنما",
        "komak mikham",
    ],
    P: [
        "حریم خصوصی",
        "اطلاعاتمو پاک کنید",
        "حذف اطلاعات من",
        "etelaate man",
        "اطلاعات شخصی",
        "رضایتمو پس میگیرم",
        "حريم خصوصي",
    ],
}

#: Questions and statements: each one must reach a person.
PLAIN: list[str] = [
    "سلام، یه نامه از جاب سنتر گرفتم، کمک میخوام",
    "کجا میتونم زبان آلمانی یاد بگیرم؟",
    "صاحبخونه میگه باید از خونه برم بیرون",
    "نوبتمو از دست دادم",
    "فردا نمیتونم بیام",
    "سلام وقت بخیر",
    "ممنون از کمکتون",
    "نوبت نمیخوام",
    "برای نوبت پاسپورت لازمه؟",
    "دخترم مریضه",
    "چطوری اقامت بگیرم؟",
    "man az jobcenter ye name gereftam, komak mikham",
    "ساعت ۱۰ نوبت دکتر دارم",
    "مرسی",
    "مشاورم جواب نمیده",
    "سلام",
]
