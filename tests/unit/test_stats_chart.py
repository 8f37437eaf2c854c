"""The statistics chart reads at any count, in the coordinator's language (issue 18, item 12)."""

from __future__ import annotations

import argparse
from datetime import date
from pathlib import Path

import pytest
from matplotlib.axes import Axes

from bot.i18n import Catalogs, Translator
from handlers.staff import stats_views as sv

CATALOGS = Catalogs(default_locale="de")


def strip_isolates(text: str) -> str:
    return text.translate(str.maketrans("", "", "\u2066\u2067\u2068\u2069"))


#: A small site: every count suppressed, most panels empty.
SMALL_COUNTS: dict[str, dict[str, int | str]] = {
    "clients_by_language": {"ar": "<5", "fa_AF": "<5", "ps": "<5"},
    "appointment_outcomes": {"booked": "<5"},
}


def _panels(t: Translator, figures: dict[str, dict[str, int | str]]) -> dict[str, Axes]:
    fig = sv.chart(t, figures, title="Lotse")
    return {ax.get_title(): ax for ax in fig.axes if ax.get_title()}


def test_small_counts_get_a_whole_number_axis_from_zero() -> None:
    de = CATALOGS.translator("de")
    panels = _panels(de, SMALL_COUNTS)
    languages = panels[sv.figure_title(de, "clients_by_language")]
    left, right = languages.get_xlim()
    # Before: bars of width 0 gave an axis from -0.04 to 0.04.
    assert left == 0 and right >= 5
    ticks = [tick for tick in languages.get_xticks() if left <= tick <= right]
    assert ticks == [0, 1, 2, 3, 4, 5]
    assert [text.get_text().strip() for text in languages.texts] == ["<5", "<5", "<5"]


def test_larger_counts_keep_whole_number_ticks() -> None:
    de = CATALOGS.translator("de")
    panels = _panels(de, {"appointment_outcomes": {"attended": 37, "no_show": "<5"}})
    outcomes = panels[sv.figure_title(de, "appointment_outcomes")]
    left, right = outcomes.get_xlim()
    assert left == 0 and right >= 37
    assert all(float(tick).is_integer() for tick in outcomes.get_xticks())


def test_figures_without_data_get_no_empty_panel_and_no_data_at_all_says_so() -> None:
    # Before: an empty axis with "no data" for every figure of a quiet month (issue 20:
    # "no empty axes").
    de = CATALOGS.translator("de")
    panels = _panels(de, SMALL_COUNTS)
    assert sv.figure_title(de, "notes_by_phase") not in panels
    assert sv.figure_title(de, "clients_by_language") in panels
    figure = sv.chart(de, {}, title="Leer")
    visible = [ax for ax in figure.axes if ax.axison]
    assert visible == []
    texts = [t.get_text() for ax in figure.axes for t in ax.texts]
    assert texts == ["Noch keine Daten."]


def test_language_names_are_in_the_coordinators_language() -> None:
    # Before: "Arabic", "Dari", "Pashto" inside German titles.
    de = CATALOGS.translator("de")
    panels = _panels(de, SMALL_COUNTS)
    languages = panels[sv.figure_title(de, "clients_by_language")]
    names = [label.get_text() for label in languages.get_yticklabels()]
    assert names == ["Arabisch", "Dari", "Paschtu"]
    fr = CATALOGS.translator("fr")
    names = [
        label.get_text()
        for label in _panels(fr, SMALL_COUNTS)[
            sv.figure_title(fr, "clients_by_language")
        ].get_yticklabels()
    ]
    assert names == ["Arabe", "Dari", "Pachto"]


def test_the_footnote_and_title_are_translated() -> None:
    de = CATALOGS.translator("de")
    title = sv.chart_title(de, date(2026, 1, 1), date(2026, 3, 31), site="Köln & Umland")
    fig = sv.chart(de, SMALL_COUNTS, title=title)
    assert fig.get_suptitle() == "Lotse, Köln & Umland: 2026-01-01 bis 2026-03-31"
    assert [text.get_text() for text in fig.texts][-1] == "Werte unter 5 stehen als <5."


@pytest.mark.parametrize("locale", ["ar", "fa_AF", "ps"])
def test_right_to_left_readers_get_the_chart_in_english(locale: str) -> None:
    assert sv.chart_translator(CATALOGS, locale).locale == "en"


async def test_the_cli_draws_in_the_default_locale_or_lang(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from bot.domain import SiteKind
    from bot.ports import SystemClock
    from bot.services.sites import add_site
    from cli import stats_commands
    from config.settings import load_settings
    from storage import create_engine, make_uow_factory, session_factory, upgrade_database

    settings = load_settings(
        DATABASE_URL=f"sqlite+aiosqlite:///{tmp_path / 'stats.db'}", DEFAULT_LOCALE="fr"
    )
    engine = create_engine(settings.DATABASE_URL)
    await upgrade_database(engine)
    uow_factory = make_uow_factory(session_factory(engine), SystemClock())
    await add_site(uow_factory, SystemClock(), slug="essen", name="Essen", kind=SiteKind.CITY)
    await engine.dispose()

    drawn: list[tuple[str, str]] = []

    def spy(t: Translator, figures: dict[str, dict[str, int | str]], *, title: str) -> bytes:
        drawn.append((t.locale, title))
        return sv.chart_png(t, figures, title=title)

    monkeypatch.setattr(stats_commands, "chart_png", spy)
    for lang in (None, "de", "ps"):
        args = argparse.Namespace(
            site="essen",
            start=date(2026, 1, 1),
            end=date(2026, 3, 31),
            out=str(tmp_path),
            lang=lang,
        )
        assert await stats_commands.run_stats(settings, args) == 0
    assert [locale for locale, _ in drawn] == ["fr", "de", "en"]  # before: always English
    assert strip_isolates(drawn[0][1]) == "Lotse, Essen : du 2026-01-01 au 2026-03-31"
    assert (tmp_path / "stats.png").read_bytes()[:4] == b"\x89PNG"
