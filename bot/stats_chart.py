"""The statistics as CSV and as a chart (matplotlib, no display needed).

Counts arrive already suppressed: a count below 5 is the string "<5" and is drawn as
an empty bar labelled "<5", never as its number.
"""

from __future__ import annotations

import io
from collections.abc import Callable

from bot import spreadsheet

_ISOLATES = str.maketrans("", "", "\u2066\u2067\u2068\u2069")


def _plain(text: str) -> str:
    """Without the direction isolates our catalogs put around placeholders (no glyphs)."""
    return text.translate(_ISOLATES)


FIGURES = (
    "clients_by_language",
    "appointments_by_life_area",
    "appointment_outcomes",
    "reminder_confirmations",
    "offers_sent_by_life_area",
    "notes_by_life_area",
    "notes_by_phase",
)


def to_csv(figures: dict[str, dict[str, int | str]]) -> str:
    """The figures as CSV, safe to open in a spreadsheet (bot.spreadsheet)."""
    rows = [
        (figure, category, count)
        for figure in FIGURES
        for category, count in figures.get(figure, {}).items()
    ]
    return spreadsheet.to_csv(["figure", "category", "count"], rows)


def to_png(
    figures: dict[str, dict[str, int | str]],
    *,
    title: str,
    figure_title: Callable[[str], str] = lambda name: name.replace("_", " "),
    category_label: Callable[[str, str], str] = lambda figure, key: key,
    empty: str = "-",
) -> bytes:
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib import pyplot as plt

    fig, axes = plt.subplots(4, 2, figsize=(11, 14))
    fig.suptitle(_plain(title), fontsize=14)
    for ax, name in zip(axes.flat, FIGURES, strict=False):
        values = figures.get(name, {})
        keys = list(values)
        heights = [v if isinstance(v, int) else 0 for v in values.values()]
        ax.set_title(_plain(figure_title(name)), fontsize=11)
        if not keys:
            ax.text(0.5, 0.5, _plain(empty), ha="center", va="center", transform=ax.transAxes)
            ax.set_axis_off()
            continue
        bars = ax.barh([_plain(category_label(name, k)) for k in keys], heights, color="#3b6ea5")
        for bar, value in zip(bars, values.values(), strict=True):
            ax.text(bar.get_width(), bar.get_y() + bar.get_height() / 2, f" {value}", va="center")
        ax.invert_yaxis()
        ax.tick_params(labelsize=8)
    for ax in list(axes.flat)[len(FIGURES) :]:
        ax.set_axis_off()
    fig.tight_layout(rect=(0, 0, 1, 0.97))
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=80)
    plt.close(fig)
    return buffer.getvalue()
