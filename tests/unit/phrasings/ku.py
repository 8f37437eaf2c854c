"""What clients type in Kurmanji Kurdish (`ku`, issue 24): with and without ê î û ç ş;
typos and words run together. Written by the language's translator; merged in
tests/unit/intent_phrasings.py.
"""

from __future__ import annotations

from bot.intents import Intent

B, A, M, C = Intent.BOOK, Intent.APPOINTMENTS, Intent.MOVE, Intent.CANCEL
W, L, H, P = Intent.MESSAGE, Intent.LANGUAGE, Intent.HELP, Intent.PRIVACY

REQUESTS: dict[Intent, list[str]] = {
    B: [
        "Ez dixwazim randevûyekê bigirim",
        "randevu bigirim",
        "Silav, ji kerema xwe randevûyek ji bo min",
        "randevuyeke nu dixwazim",
        "Dikarim randevûyek bigrim?",
        "randevû girtin",
        "mewid dixwazim",
        "demeke vala heye?",
        "randevubigirim",
        "randevo bigirim jkx",
    ],
    A: [
        "Randevûyên min",
        "randevuya min kenge ye?",
        "randevûyên min nîşan bidin",
        "Kengê randevûya min e?",
        "randevuyen min",
        "randevûyên min hene?",
        "randevuyamin kenge",
    ],
    M: [
        "Ez dixwazim randevûya xwe biguherînim",
        "randevu biguherim",
        "dema randevûyê biguherînin",
        "Dikarim rojeke din bigirim?",
        "randevûyê paşve bixin",
        "demeke din ji kerema xwe",
        "randevu biguhrim",
    ],
    C: [
        "randevûya min betal bikin",
        "betal bike",
        "Ez dixwazim randevûyê betal bikim",
        "randevu iptal",
        "randevûyê jê bibin",
        "betalkirin",
        "randevuya xwe betal dikim",
    ],
    W: [
        "Peyam ji şêwirmend re",
        "Ez dixwazim bi şêwirmenda xwe re biaxivim",
        "sewirmend",
        "peyamek ji şêwirmendê min re",
        "ez dixwazim ji şêwirmend re binivîsim",
        "mesaj bişînim",
        "shewirmend",
    ],
    L: [
        "ziman",
        "zimanê xwe biguherînim",
        "Ez dixwazim zimên biguherim",
        "kurmancî",
        "zimanekî din",
        "zman",
    ],
    H: [
        "alîkarî",
        "alikari ji kerema xwe",
        "Alîkariya min bikin",
        "Ez alîkariyê dixwazim",
        "alikary",
        "yardim",
        "hewar!",
    ],
    P: [
        "parastina agahiyan",
        "agahiyên min jê bibin",
        "Ez dixwazim daneyên xwe jê bibim",
        "agahiyen min",
        "hesabê min jê bibin",
        "nepenî",
        "parastina agahiya",
    ],
}

#: Questions and statements: each one must reach a person.
PLAIN: list[str] = [
    "Min nameyek ji Jobcenter girt, alîkarî pêwîst e",
    "Xwediyê xanî dixwaze ez derkevim",
    "Min randevûya xwe ji bîr kir",
    "Ez sibê nikarim bêm",
    "Spas ji bo alîkariya we",
    "Ez randevû naxwazim",
    "Kursa almanî kengê dest pê dike?",
    "Ez nexweş im, çi bikim?",
    "Min randevû ji dest da",
    "Pereyê min tune",
    "Çima bersiva min nehat?",
    "Li ku dikarim kursa ziman bibînim?",
    "Mala we ava, gelek spas",
    "Duldunga min diqede, ez ditirsim",
    "Ez dixwazim bizanim ka Ausbildung çawa dibe",
    "Jobcenter pere neda min",
]
