"""What clients type in Macedonian (`mk`, issue 24): in Cyrillic and in Latin letters;
typos and words run together. Written by the language's translator; merged in
tests/unit/intent_phrasings.py.
"""

from __future__ import annotations

from bot.intents import Intent

B, A, M, C = Intent.BOOK, Intent.APPOINTMENTS, Intent.MOVE, Intent.CANCEL
W, L, H, P = Intent.MESSAGE, Intent.LANGUAGE, Intent.HELP, Intent.PRIVACY

REQUESTS: dict[Intent, list[str]] = {
    B: [
        "Сакам да закажам термин",
        "zakazi termin",
        "Може ли нов термин?",
        "dali ima sloboden termin vo ponedelnik",
        "закажитермин",
        "Zdravo, sakam termin",
        "termn za utre",
        "rezerviraj mi termin ve molam",
    ],
    A: [
        "Моите термини",
        "Кога е мојот термин?",
        "moite termini",
        "koga mi e terminot",
        "Кои термини ги имам?",
        "mojtermin",
        "pokazi gi moite zakazani termini",
        "моите термиин",
    ],
    M: [
        "Сакам да го поместам терминот",
        "pomesti termin",
        "Може ли друг ден?",
        "promeni go vremeto na terminot",
        "odlozi go terminot",
        "drugo vreme ve molam",
        "Дали може термин подоцна?",
    ],
    C: [
        "Откажи термин",
        "Сакам да го откажам терминот",
        "otkazi",
        "otkazuvanje na terminot",
        "otkazhi go terminot za utre",
        "izbrisi go terminot",
        "otkaži termin",
    ],
    W: [
        "Порака до советникот",
        "Сакам да разговарам со мојот советник",
        "poraka za sovetnikot",
        "sovetnik",
        "Пишете му на советникот",
        "sovetnikt",
        "sakam da zboruvam so sovetnickata",
    ],
    L: [
        "Јазик",
        "промени јазик",
        "drug jazik ve molam",
        "jazik",
        "na makedonski ve molam",
        "jazikot",
        "Друг јазик",
    ],
    H: [
        "Помош",
        "Ми треба помош",
        "pomos",
        "pomosh ve molam",
        "Помогнете ми",
        "kako raboti ova?",
        "pomognete mi",
    ],
    P: [
        "Заштита на податоци",
        "Избриши ги моите податоци",
        "zastita na podatocite",
        "izbrisi gi moite podatoci",
        "приватност",
        "licni podatoci",
        "moipodatoci",
    ],
}

#: Questions and statements: each one must reach a person.
PLAIN: list[str] = [
    "Добив писмо од Jobcenter, ми треба помош",
    "Каде можам да учам германски?",
    "Газдата на станот сака да се иселам",
    "Го пропуштив терминот вчера",
    "Утре не можам да дојдам",
    "Дали треба да го донесам пасошот на терминот?",
    "Ќерка ми е болна",
    "Ви благодарам за помошта",
    "Не сакам термин",
    "Здраво",
    "Каде е Вашата канцеларија?",
    "kako da dobijam dozvola za prestoj?",
    "fala mnogu",
    "dobiv pismo od jobcenter, mi treba pomos",
    "Мојот советник не ми одговори",
    "Ми треба доктор",
    "Сестра ми исто сака термин",
]
