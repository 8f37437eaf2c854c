"""A time, a day or a topic typed at a booking step in the seven languages of issue 24 (the
words are the `[days]`, `[times]` and `[areas]` tables of their locales/<code>/intents.toml),
merged into tests/unit/test_typed_steps.py: what fits the step, and what does not."""

from __future__ import annotations

from datetime import date, time

from bot.domain import LifeArea
from bot.typed_times import TypedDay

MONDAY, THURSDAY = TypedDay(weekday=0), TypedDay(weekday=3)
TOMORROW, AFTER = TypedDay(day=date(2026, 11, 26)), TypedDay(day=date(2026, 11, 27))
JANUARY_12 = TypedDay(day=date(2027, 1, 12))

TIMES: dict[str, list[tuple[str, time]]] = {
    "fa": [
        ("۱۴:۳۰", time(14, 30)),
        ("ساعت ۲:۳۰ بعد از ظهر", time(14, 30)),
        ("۹ صبح", time(9, 0)),
        ("saat 10", time(10, 0)),
    ],
    "ckb": [
        ("کاتژمێر ١٠", time(10, 0)),  # Arabic-Indic digits, as a Sorani keyboard types them
        ("٢:٣٠ دوای نیوەڕۆ", time(14, 30)),
        ("9 بەیانی", time(9, 0)),
        ("14:30", time(14, 30)),
    ],
    "ku": [
        ("saet 10", time(10, 0)),
        ("2:30 piştî nîvro", time(14, 30)),
        ("9 sibeh", time(9, 0)),
        ("14.30", time(14, 30)),
    ],
    "tr": [
        ("saat 14:30", time(14, 30)),
        ("öğleden sonra 2", time(14, 0)),
        ("sabah 9", time(9, 0)),
        ("10.00", time(10, 0)),
    ],
    "sq": [
        ("ora 10", time(10, 0)),
        ("2:30 pasdite", time(14, 30)),
        ("9 paradite", time(9, 0)),
        ("14:30", time(14, 30)),
    ],
    "sr": [
        ("14h", time(14, 0)),
        ("oko 10 sati", time(10, 0)),
        ("2:30 popodne", time(14, 30)),
        ("9 ujutru", time(9, 0)),
    ],
    "mk": [
        ("10 часот", time(10, 0)),
        ("2:30 попладне", time(14, 30)),
        ("9 наутро", time(9, 0)),
        ("okolu 14:30", time(14, 30)),
    ],
}

NOT_TIMES: dict[str, list[str]] = {
    "fa": ["فردا ساعت ۱۰", "نمیدونم", "یک نامه دارم"],
    "ckb": ["سبەی کاتژمێر ١٠", "نازانم", "نامەیەکم هەیە"],
    "ku": ["sibê saet 10", "nizanim", "nameyek min heye"],
    "tr": ["yarın saat 10", "bilmiyorum", "bir mektup aldım"],
    "sq": ["nesër ora 10", "nuk e di", "kam një letër"],
    "sr": ["sutra u 10", "ne znam", "dobio sam pismo"],
    "mk": ["утре во 10", "не знам", "добив писмо"],
}

DAYS: dict[str, list[tuple[str, TypedDay]]] = {
    "fa": [
        ("دوشنبه", MONDAY),
        ("پنج شنبه", THURSDAY),
        ("panjshanbe", THURSDAY),
        ("فردا", TOMORROW),
        ("پس فردا", AFTER),
        ("پنجشنبه ۲۶ نوامبر", TOMORROW),  # Iranian month names (CLDR's fa)
        ("۱۲/۰۱", JANUARY_12),
    ],
    "ckb": [
        ("دووشەممە", MONDAY),
        ("پینجشەممە", THURSDAY),  # ی for ێ, as on a Persian keyboard
        ("penjshamma", THURSDAY),
        ("سبەی", TOMORROW),
        ("دووسبەی", AFTER),
        ("پێنجشەممە 26ی تشرینی دووەم", TOMORROW),
    ],
    "ku": [
        ("duşem", MONDAY),
        ("pencsembe", THURSDAY),
        ("sibê", TOMORROW),
        ("dusibe", AFTER),
        ("26ê mijdarê", TOMORROW),
    ],
    "tr": [
        ("pazartesi", MONDAY),
        ("persembe", THURSDAY),
        ("yarın", TOMORROW),
        ("yarin", TOMORROW),
        ("öbür gün", AFTER),
        ("26 Kasım", TOMORROW),
        ("12.01.", JANUARY_12),
    ],
    "sq": [
        ("e hënë", MONDAY),
        ("te enjten", THURSDAY),
        ("nesër", TOMORROW),
        ("pasnesër", AFTER),
        ("26 nëntor", TOMORROW),
    ],
    "sr": [
        ("ponedeljak", MONDAY),
        ("četvrtak", THURSDAY),
        ("cetvrtak", THURSDAY),
        ("четвртак", THURSDAY),
        ("sutra", TOMORROW),
        ("prekosutra", AFTER),
        ("26. novembar", TOMORROW),  # the button's Latin month
        ("26. новембар", TOMORROW),  # and the Cyrillic one
    ],
    "mk": [
        ("понеделник", MONDAY),
        ("cetvrtok", THURSDAY),
        ("утре", TOMORROW),
        ("задутре", AFTER),
        ("26 ноември", TOMORROW),
    ],
}

NOT_DAYS: dict[str, list[str]] = {
    "fa": ["هفته بعد", "نمیدونم", "شنبه یا یکشنبه"],
    "ckb": ["هەفتەی داهاتوو", "نازانم", "شەممە یان یەکشەممە"],
    "ku": ["hefteya bê", "nizanim", "şemî an yekşem"],
    "tr": ["gelecek hafta", "bilmiyorum", "cumartesi veya pazar"],
    "sq": ["javën tjetër", "nuk e di", "e shtunë ose e diel"],
    "sr": ["iduće sedmice", "ne znam", "subota ili nedelja"],
    "mk": ["идната седмица", "не знам", "сабота или недела"],
}

AREAS: dict[str, list[tuple[str, LifeArea]]] = {
    "fa": [
        ("مسکن", LifeArea.HOUSING),
        ("خونه", LifeArea.HOUSING),
        ("سلامت روان", LifeArea.MENTAL_HEALTH),
        ("دکتر", LifeArea.HEALTH),
        ("کلاس زبان", LifeArea.LANGUAGE),
    ],
    "ckb": [
        ("خانوو", LifeArea.HOUSING),
        ("پشتگیریی دەروونی", LifeArea.MENTAL_HEALTH),
        ("تەندروستی", LifeArea.HEALTH),
        ("کار", LifeArea.WORK),
        ("خولی زمان", LifeArea.LANGUAGE),
    ],
    "ku": [
        ("xanî", LifeArea.HOUSING),
        ("piştgiriya derûnî", LifeArea.MENTAL_HEALTH),
        ("tenduristî", LifeArea.HEALTH),
        ("kar", LifeArea.WORK),
        ("kursa almanî", LifeArea.LANGUAGE),
    ],
    "tr": [
        ("ev", LifeArea.HOUSING),
        ("psikolojik destek", LifeArea.MENTAL_HEALTH),
        ("sağlık", LifeArea.HEALTH),
        ("iş", LifeArea.WORK),
        ("almanca kursu", LifeArea.LANGUAGE),
    ],
    "sq": [
        ("banesë", LifeArea.HOUSING),
        ("mbështetje emocionale", LifeArea.MENTAL_HEALTH),
        ("shëndet", LifeArea.HEALTH),
        ("punë", LifeArea.WORK),
        ("kurs gjermanisht", LifeArea.LANGUAGE),
    ],
    "sr": [
        ("stan", LifeArea.HOUSING),
        ("psiholog", LifeArea.MENTAL_HEALTH),
        ("zdravlje", LifeArea.HEALTH),
        ("posao", LifeArea.WORK),
        ("kurs nemačkog", LifeArea.LANGUAGE),
    ],
    "mk": [
        ("стан", LifeArea.HOUSING),
        ("психолог", LifeArea.MENTAL_HEALTH),
        ("здравје", LifeArea.HEALTH),
        ("работа", LifeArea.WORK),
        ("јазичен курс", LifeArea.LANGUAGE),
    ],
}

NOT_AREAS: dict[str, list[str]] = {
    "fa": ["یک نامه از جاب سنتر گرفتم", "کار و پول", "سلام"],
    "ckb": ["نامەیەکم لە جۆبسێنتەر پێگەیشت", "کار و پارە", "سڵاو"],
    "ku": ["min nameyek ji jobcenter girt", "kar û pere", "silav"],
    "tr": ["jobcenterdan mektup geldi", "ev ve para", "merhaba"],
    "sq": ["mora një letër nga jobcenter", "punë dhe para", "përshëndetje"],
    "sr": ["dobio sam pismo od jobcentra", "posao i novac", "zdravo"],
    "mk": ["добив писмо од џобцентар", "работа и пари", "здраво"],
}
