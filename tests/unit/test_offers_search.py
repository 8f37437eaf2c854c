from bot.offers_search import search_terms


def test_word_forms_meet_in_a_common_stem() -> None:
    assert search_terms("Deutschkurse") == ("deutschkurs",)
    assert search_terms("Deutschkurs")[0] in "deutschkurse"
    assert search_terms("Beratungen") == search_terms("Beratung")


def test_umlauts_stay_as_written() -> None:
    assert search_terms("Köln") == ("köln",)
    assert search_terms("Münster Bäckerei")[0] == "münst"
    assert all(term in "bäckerei" or term.startswith("bäcker") for term in search_terms("Bäckerei"))


def test_short_and_repeated_words() -> None:
    assert search_terms("in an B1 Kurs Kurs") == ("kur",)  # "Kurs", "Kurse", "Kursen"
    assert search_terms("") == ()
