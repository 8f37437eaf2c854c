"""What clients type in Serbian (`sr`, issue 24): in Latin letters with and without č ć š ž
đ, and a few in Cyrillic; typos and words run together. Written by the language's
translator; merged in tests/unit/intent_phrasings.py.
"""

from __future__ import annotations

from bot.intents import Intent

B, A, M, C = Intent.BOOK, Intent.APPOINTMENTS, Intent.MOVE, Intent.CANCEL
W, L, H, P = Intent.MESSAGE, Intent.LANGUAGE, Intent.HELP, Intent.PRIVACY

REQUESTS: dict[Intent, list[str]] = {
    B: [
        "Zakazati termin",
        "Želim da zakažem termin",
        "zakazi mi termin molim vas",
        "Treba mi novi termin",
        "da li ima slobodnih termina u utorak?",
        "hocu termin za ponedeljak",
        "zakazivanje termina",
        "zakazattermin",
        "Zdravo, trebam termin sutra",
        "закажи термин",
    ],
    A: [
        "Moji termini",
        "Kada je moj termin?",
        "kad mi je termin",
        "pokazi moje termine",
        "koje termine imam?",
        "mojitermini",
        "moji temrini",
        "моји термини",
    ],
    M: [
        "Pomeriti termin",
        "Želim da pomerim svoj termin",
        "mozete li promeniti vreme termina?",
        "drugi dan molim",
        "prebaciti termin na sredu",
        "pomjeriti termin",
        "promenitermin",
        "moze li neki kasniji termin",
    ],
    C: [
        "Otkazati termin",
        "Želim da otkažem termin",
        "otkazi termin za sutra",
        "otkazujem",
        "molim vas otkažite moj termin",
        "obrisi moj termin",
        "otkazat termin",
        "Отказати термин",
    ],
    W: [
        "Poruka za moju kontakt osobu",
        "Hoću da pišem savetniku",
        "želim da razgovaram sa savetnicom",
        "kontaktirati socijalnog radnika",
        "savetnik",
        "poslati poruku",
        "hocu da pricam sa covekom",
        "savjetnica",
    ],
    L: [
        "Jezik",
        "Promeniti jezik",
        "drugi jezik molim",
        "na srpskom molim vas",
        "jezk",
        "promjeni jezik",
        "Hocu na nemackom",
    ],
    H: [
        "Pomoć",
        "Treba mi pomoć",
        "pomozite mi molim vas",
        "pomoc!!!",
        "Možete li mi pomoći?",
        "kako ovo radi?",
        "pomoch",
    ],
    P: [
        "Zaštita podataka",
        "Obrišite moje podatke",
        "obrisi moje podatke",
        "zastita podatak",
        "Želim da povučem saglasnost",
        "izbrisi me",
        "moji podaci",
    ],
}

#: Questions and statements: each one must reach a person.
PLAIN: list[str] = [
    "Dobio sam pismo od Jobcentera, šta da radim?",
    "Stanodavac hoće da me izbaci iz stana",
    "Propustio sam termin juče",
    "Ne mogu sutra da dođem",
    "Hvala vam puno!",
    "Ne želim termin",
    "Imam problem sa Ausländerbehörde",
    "Kada počinje kurs nemačkog?",
    "Moja mama je bolesna",
    "Gde mogu da nađem posao?",
    "Nisam dobio novac ovog meseca",
    "Izgubio sam dokumenta",
    "Kasnim 10 minuta",
    "Da li mi treba prevodilac za termin?",
    "Zdravo",
    "Moja sestra isto treba termin",
    "Moja kontakt osoba mi nije odgovorila",
    "ok hvala",
]
