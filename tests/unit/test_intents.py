"""Typed requests (issue 19, items 1 and 5): what clients type is read as one of Lotse's
actions, as a choice between two, or - for any question or statement - as nothing, so
that it reaches a person. The phrasings are in intent_phrasings.py."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest

from benchmarks.intents_table import recognition_table, render
from bot import intents
from bot.i18n import DEFAULT_LOCALES_DIR, SUPPORTED_LOCALES
from bot.intents import Intent, Lexicon, WordFile, load_words, normalise, recognise
from tests.unit.intent_phrasings import AMBIGUOUS, PLAIN, REQUESTS

CASES = [
    pytest.param(locale, intent, text, id=f"{locale}-{intent.value}-{text}")
    for locale, table in REQUESTS.items()
    for intent, texts in table.items()
    for text in texts
]


@pytest.mark.parametrize(("locale", "intent", "text"), CASES)
def test_a_request_leads_to_its_intent(locale: str, intent: Intent, text: str) -> None:
    assert recognise(text, locale) == [intent]


@pytest.mark.parametrize(
    ("locale", "text"),
    [pytest.param(loc, text, id=f"{loc}-{text}") for loc, texts in PLAIN.items() for text in texts],
)
def test_a_plain_question_reaches_a_person(locale: str, text: str) -> None:
    assert recognise(text, locale) == []


@pytest.mark.parametrize(("locale", "text", "expected"), AMBIGUOUS)
def test_two_possible_intents_are_both_offered(
    locale: str, text: str, expected: list[Intent]
) -> None:
    assert recognise(text, locale) == expected


def test_every_language_has_enough_phrasings() -> None:
    for locale in SUPPORTED_LOCALES:
        assert set(REQUESTS[locale]) == set(Intent), locale
        for intent, texts in REQUESTS[locale].items():
            assert len(set(texts)) >= 5, (locale, intent)
        assert len(set(PLAIN[locale])) >= 10, locale


@pytest.mark.parametrize("locale", SUPPORTED_LOCALES)
def test_german_and_english_words_count_in_every_language(locale: str) -> None:
    assert recognise("Termin absagen", locale) == [Intent.CANCEL]
    assert recognise("my appointments", locale) == [Intent.APPOINTMENTS]
    assert recognise("help", locale) == [Intent.HELP]


def test_an_unknown_or_differently_spelled_locale_still_reads_german_and_english() -> None:
    assert recognise("Termin verschieben", "ru") == [Intent.MOVE]
    assert recognise("کمک", "fa-AF") == [Intent.HELP]
    assert recognise("کمک", "ru") == []


@pytest.mark.parametrize(
    "text",
    [
        "",
        "   \n\t ",
        "😀🙏👍",
        "🗓",
        "؟؟؟ !!! ...",
        "١٢٣ ۴۵۶ 789",
        "a" * 10_000,
        "Termin " * 2_000,
        "ح" * 10_000,
        "\x00\x01\x02\x7f",
        "\ud800",
        "\u202e\u2066\u200c\u0640",
    ],
    ids=lambda text: repr(text[:12]),
)
def test_any_text_is_answered_without_raising(text: str) -> None:
    assert recognise(text, "fa_AF") == []
    assert recognise(text, "de") == []


def test_control_characters_and_direction_marks_separate_or_vanish() -> None:
    assert recognise("Termin\x00absagen\x07", "de") == [Intent.CANCEL]
    assert recognise("\u202bلغو\u202c", "fa_AF") == [Intent.CANCEL]
    assert recognise("\u2067\u200fکمک\u2069", "fa_AF") == [Intent.HELP]


def test_a_long_message_needs_a_strong_word() -> None:
    weak_only = "Hallo, ich möchte bitte heute oder morgen oder übermorgen einen Termin"
    strong = "Hallo, ich möchte bitte heute oder morgen oder übermorgen einen Termin buchen"
    assert recognise(weak_only, "de") == []
    assert recognise(strong, "de") == [Intent.BOOK]
    very_long = "bitte " * 16 + "Termin buchen"
    assert recognise(very_long, "de") == []


def test_one_unknown_word_sends_a_request_to_a_person() -> None:
    assert recognise("Ich brauche Hilfe", "de") == [Intent.HELP]
    assert recognise("Ich brauche Hilfe mit dem Jobcenter", "de") == []
    assert recognise("کمک میخواهم", "fa_AF") == [Intent.HELP]
    assert recognise("در مورد نامه کمک میخواهم", "fa_AF") == []


def test_negations_send_it_to_a_person() -> None:
    assert recognise("I want an appointment", "en") == [Intent.BOOK]
    assert recognise("I don't want an appointment", "en") == []
    assert recognise("Ich möchte keinen Termin", "de") == []
    assert recognise("نوبت نمی‌خواهم", "fa_AF") == []
    assert recognise("nobat nemikhaham", "fa_AF") == []
    assert recognise("وخت نه غواړم", "ps") == []


def test_a_stop_word_wins_over_everything_else() -> None:
    words = WordFile(
        strong={i: ("termin",) if i is Intent.BOOK else () for i in Intent},
        weak={i: () for i in Intent},
        neutral=("ich", "nicht"),
        stop=("nicht",),
        clitics=(),
    )
    lexicon = Lexicon([words])
    assert lexicon.score(lexicon.words(["ich", "termin"]) or []) == {Intent.BOOK: 2}
    assert lexicon.words(["ich", "nicht", "termin"]) is not None
    assert lexicon.score(lexicon.words(["ich", "nicht", "termin"]) or []) is None


def test_typos_are_forgiven_only_towards_intent_words() -> None:
    # "form" is one letter from the neutral "from": not taken for it
    assert recognise("help from me", "en") == [Intent.HELP]
    assert recognise("help with the form", "en") == []


@pytest.mark.parametrize(
    ("typed", "same_as"),
    [
        ("كيف", "کیف"),  # Arabic kaf and yeh, Persian ک and ی
        ("مساعدة", "مساعده"),  # teh marbuta
        ("مستشارى", "مستشاری"),  # alef maksura
        ("مـــوعـد", "موعد"),  # tatweel
        ("مَوْعِدٌ", "موعد"),  # harakat
        ("أحتاج إلى آخر", "احتاج الی اخر"),  # hamza forms
        ("می‌خواهم", "میخواهم"),  # zero-width non-joiner
        ("ساعت ۱۰:۳۰ یا ١٤:٣٠", "ساعت 10 30 یا 14 30"),  # Persian and Arabic digits
        ("ښه ګړۍ ړنګ ټول ډېر ماڼۍ", "شه گری رنگ تول دیر مانی"),  # Pashto letters
        ("ڕێکەوت بگۆڕە، یارمەتی تکایە", "ریکهوت بگوره یارمهتی تکایه"),  # Sorani letters
        ("Größe, CAFÉ!", "grosse cafe"),
        ("Yardım İPTAL randevuyu değiştir", "yardim iptal randevuyu degistir"),  # Turkish
        ("Đorđe, poništi termin; Ndihmë, çështje", "djordje ponisti termin ndihme ceshtje"),
        ("Don't", "dont"),
        ("rendez-vous", "rendez vous"),
    ],
)
def test_normalise_folds_what_people_type_either_way(typed: str, same_as: str) -> None:
    assert normalise(typed) == normalise(same_as)


# ----- the word files ------------------------------------------------------------------


def _catalog_locales() -> list[str]:
    return sorted(p.parent.parent.name for p in DEFAULT_LOCALES_DIR.glob("*/LC_MESSAGES/*.po"))


def test_every_shipped_language_has_words_for_every_intent() -> None:
    locales = set(SUPPORTED_LOCALES) | set(_catalog_locales())
    assert set(SUPPORTED_LOCALES) <= locales
    for locale in sorted(locales):
        assert (DEFAULT_LOCALES_DIR / locale / intents.WORDS_FILE).is_file(), locale
        words = load_words(locale)
        for intent in Intent:
            assert words.strong[intent], (locale, intent)
        assert words.neutral and words.stop, locale


@pytest.mark.parametrize("locale", SUPPORTED_LOCALES)
def test_no_word_is_both_neutral_and_an_action_or_a_stop(locale: str) -> None:
    lexicon = intents.lexicon(locale)
    single = {e.keys[0] for e in lexicon.entries if len(e.keys) == 1}
    assert not lexicon.neutral & single
    assert not lexicon.neutral & lexicon.stop
    assert not lexicon.stop & lexicon.intent_keys


def test_a_word_file_with_an_unknown_table_is_refused(tmp_path: Path) -> None:
    (tmp_path / "xx").mkdir()
    (tmp_path / "xx" / intents.WORDS_FILE).write_text('[booking]\nstrong = ["x"]\n', "utf-8")
    with pytest.raises(ValueError, match="booking"):
        load_words("xx", tmp_path)


def test_a_phrase_matches_its_words_in_any_order() -> None:
    lexicon = Lexicon([load_words("de")])
    assert lexicon.score([frozenset({"losch*"}), frozenset({"daten"})]) == {Intent.PRIVACY: 2}
    assert recognise("Daten löschen", "de") == recognise("löschen Daten", "de") == [Intent.PRIVACY]
    assert recognise("نوبت عوض", "fa_AF") == recognise("عوض نوبت", "fa_AF") == [Intent.MOVE]


# ----- privacy: nothing of the text in logs or on the screen ---------------------------


def test_only_intent_names_are_logged(
    caplog: pytest.LogCaptureFixture, capsys: pytest.CaptureFixture[str]
) -> None:
    caplog.set_level(logging.DEBUG)
    assert recognise("Ahmad Termin absagen", "de") == []
    assert recognise("Termin absagen", "de") == [Intent.CANCEL]
    assert recognise("سلام، یک نامه از جاب سنتر گرفتم، کمک میخواهم", "fa_AF") == []
    logged = " ".join(str(vars(record)) for record in caplog.records)
    for secret in ("Ahmad", "Termin", "absagen", "نامه", "کمک"):
        assert secret not in logged
    assert [getattr(r, "intents", None) for r in caplog.records] == [["cancel"]]
    assert capsys.readouterr() == ("", "")


def test_a_broken_word_file_gives_no_intent_and_logs_no_text(
    caplog: pytest.LogCaptureFixture, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(locale: str) -> Lexicon:
        raise ValueError("intents.toml: bad")

    monkeypatch.setattr(intents, "lexicon", broken)
    assert recognise("Termin absagen", "de") == []
    assert [r.getMessage() for r in caplog.records] == ["intent recognition failed"]
    assert "absagen" not in str(vars(caplog.records[0]))


# ----- the table for the issue ---------------------------------------------------------


def test_the_recognition_table_counts_every_phrasing() -> None:
    rows = recognition_table()
    assert [row.locale for row in rows] == list(SUPPORTED_LOCALES)
    for row in rows:
        for intent in Intent:
            ok, total = row.recognised[intent]
            assert ok == total == len(REQUESTS[row.locale][intent])
        assert row.false_positives == (0, len(PLAIN[row.locale]))
    assert render(rows).splitlines()[2].startswith("| de | 8/8 |")
