"""What clients type in Turkish (`tr`, issue 24): with and without ı ş ğ ç ö ü; typos and
words run together. Written by the language's translator; merged in
tests/unit/intent_phrasings.py.
"""

from __future__ import annotations

from bot.intents import Intent

B, A, M, C = Intent.BOOK, Intent.APPOINTMENTS, Intent.MOVE, Intent.CANCEL
W, L, H, P = Intent.MESSAGE, Intent.LANGUAGE, Intent.HELP, Intent.PRIVACY

REQUESTS: dict[Intent, list[str]] = {
    B: [
        "Randevu almak istiyorum",
        "randevu alabilirmiyim",
        "Yeni bir randevu lütfen",
        "randvu almak istiyom",
        "Pazartesi boş saat var mı?",
        "randevualmak",
        "Merhaba, randevu lazım",
        "Randevu verir misiniz?",
    ],
    A: [
        "Randevularım",
        "Randevum ne zaman?",
        "randevularimi goster",
        "Hangi randevularım var?",
        "randevum varmı",
        "sonraki randevum ne zaman",
        "Randevlarım",
    ],
    M: [
        "Randevumu ertelemek istiyorum",
        "randevu saatini değiştirebilir miyim?",
        "başka bir gün olur mu?",
        "Randevuyu daha sonraya alabilir miyiz",
        "saati degistirmek istiyorum",
        "randevumu başka güne alabilir miyim",
        "randevuertele",
    ],
    C: [
        "Randevumu iptal etmek istiyorum",
        "iptal",
        "randevuyu iptal edin lütfen",
        "ipdal et",
        "randevuiptal",
        "Randevumu silin",
        "randevudan vazgeçiyorum",
    ],
    W: [
        "Danışmanıma mesaj yazmak istiyorum",
        "danismanimla konusmak istiyorum",
        "Danışmanım",
        "mesaj göndermek istiyorum",
        "sosyal hizmetle konuşmak istiyorum",
        "danısmanıma yazmak istiyorum",
        "Bir insanla konuşmak istiyorum",
    ],
    L: [
        "Dil değiştir",
        "dili değiştirmek istiyorum",
        "Türkçe lütfen",
        "başka dil",
        "dil ayarı",
        "dili degistir",
        "Almanca olsun",
    ],
    H: [
        "Yardım",
        "yardım lazım",
        "yardim edin lutfen",
        "Yardıma ihtiyacım var",
        "yardımcı olur musunuz",
        "menü",
        "yrdım",
    ],
    P: [
        "Verilerimi silmek istiyorum",
        "gizlilik",
        "Kişisel verilerim",
        "veri koruma",
        "hesabımı silin",
        "beni silin lütfen",
        "kvkk",
    ],
}

#: Questions and statements: each one must reach a person.
PLAIN: list[str] = [
    "Jobcenter'dan bir mektup aldım, yardıma ihtiyacım var",
    "Nerede Almanca öğrenebilirim?",
    "Ev sahibim evden çıkmamı istiyor",
    "Randevumu kaçırdım",
    "Yarın gelemiyorum",
    "Randevuya pasaportumu getirmem gerekiyor mu?",
    "Kızım hasta",
    "Yardımınız için çok teşekkürler",
    "Merhaba",
    "Oturum izni nasıl alınır?",
    "Randevu istemiyorum",
    "Danışmanım cevap vermedi",
    "Doktora gitmem lazım",
    "Teşekkür ederim",
    "Ofisiniz nerede?",
    "yarin gelemem randevuya",
]
