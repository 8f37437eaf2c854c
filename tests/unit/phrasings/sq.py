"""What clients type in Albanian (`sq`, issue 24): with and without ë and ç; typos and
words run together. Written by the language's translator; merged in
tests/unit/intent_phrasings.py.
"""

from __future__ import annotations

from bot.intents import Intent

B, A, M, C = Intent.BOOK, Intent.APPOINTMENTS, Intent.MOVE, Intent.CANCEL
W, L, H, P = Intent.MESSAGE, Intent.LANGUAGE, Intent.HELP, Intent.PRIVACY

REQUESTS: dict[Intent, list[str]] = {
    B: [
        "Dua të caktoj një takim",
        "du me lan nje termin",
        "takim i ri ju lutem",
        "A ka orare të lira nesër?",
        "caktoj takim per te henen",
        "Kam nevojë për një takim",
        "caktojtakim",
        "dua nje takkim",
        "rezervoj takim",
    ],
    A: [
        "Takimet e mia",
        "kur e kam takimin?",
        "me trego takimet",
        "cilat takime kam",
        "kur osht termini im",
        "Takimt e mia",
        "takimetmia",
    ],
    M: [
        "Dua ta ndryshoj takimin",
        "a mund ta shtyj takimin?",
        "ndrysho oren ju lutem",
        "nje dite tjeter",
        "me nderru terminin",
        "zhvendos takimin",
        "ndryshoj daten e takimit",
    ],
    C: [
        "anuloj takimin",
        "Dua ta anuloj takimin tim",
        "me anulu terminin",
        "anullo takimin",
        "ju lutem anulojeni",
        "fshini takimin",
        "anulim",
    ],
    W: [
        "Dua të flas me këshilltarin",
        "mesazh per keshilltaren time",
        "shkruaj keshilltarit",
        "keshiltari",
        "dua te kontaktoj keshilltarin tim",
        "kshilltarja",
        "mesazh",
    ],
    L: [
        "ndrysho gjuhen",
        "Gjuha",
        "dua ne shqip",
        "gjuhe tjeter ju lutem",
        "nderro gjuhen",
        "a flisni shqip?",
        "gjuh",
    ],
    H: [
        "ndihme",
        "Më ndihmoni ju lutem",
        "kam nevoje per ndihme",
        "si funksionon kjo?",
        "ndihmë!!",
        "ndimoni",
        "menyja",
    ],
    P: [
        "Mbrojtja e të dhënave",
        "fshini te dhenat e mia",
        "te dhenat e mia",
        "privatesia",
        "dua te fshij te dhenat",
        "terheq pelqimin",
        "fshi llogarine",
    ],
}

#: Questions and statements: each one must reach a person.
PLAIN: list[str] = [
    "Kam marrë një letër nga Jobcenter, më duhet ndihmë",
    "Ku mund të mësoj gjermanisht?",
    "Pronari i shtëpisë do që të largohem",
    "E humba takimin",
    "Nuk mund të vij nesër",
    "Faleminderit shumë",
    "Nuk dua takim",
    "Vajza ime është e sëmurë",
    "Përshëndetje",
    "Si mund të marr leje qëndrimi?",
    "A duhet të sjell pasaportën në takim?",
    "Takimi te mjeku është në orën 10",
    "Harrova takimin dje",
    "Jo faleminderit",
    "flm per ndihmen",
    "Nuk kam para për qiranë",
]
