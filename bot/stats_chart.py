"""The statistics as CSV and as a chart (matplotlib's object API, no display, no pyplot).

Counts arrive already suppressed: a count below 5 is the string "<5" and is drawn as
an empty bar labelled "<5", never as its number. Every panel's count axis starts at 0
and has whole-number ticks up to at least 5, so a chart of small counts stays readable;
a panel without data says so in words.
"""

from __future__ import annotations

import html
import io
from collections.abc import Callable
from typing import TYPE_CHECKING

from bot import spreadsheet

if TYPE_CHECKING:
    from matplotlib.figure import Figure

_ISOLATES = str.maketrans("", "", "\u2066\u2067\u2068\u2069")

#: Below this a count is suppressed ("<5"); the count axis reaches at least this far.
SMALL = 5


def _plain(text: str) -> str:
    """Text as drawn: without the direction isolates our catalogs put around placeholders
    (no glyphs), and without the HTML escaping they give values for Telegram ("&amp;")."""
    return html.unescape(text.translate(_ISOLATES))


FIGURES = (
    "clients_by_language",
    "appointments_by_life_area",
    "appointment_outcomes",
    "reminder_confirmations",
    "offers_sent_by_life_area",
    "notes_by_life_area",
    "notes_by_phase",
    "referrals_by_offer",
    "referral_outcomes",
    "referrals_by_life_area",
    "referral_outcomes_by_life_area",
    "referral_outcomes_by_offer",
    "waitlist",
)


def to_csv(figures: dict[str, dict[str, int | str]]) -> str:
    """The figures as CSV, safe to open in a spreadsheet (bot.spreadsheet)."""
    rows = [
        (figure, category, count)
        for figure in FIGURES
        for category, count in figures.get(figure, {}).items()
    ]
    return spreadsheet.to_csv(["figure", "category", "count"], rows)


def draw(
    figures: dict[str, dict[str, int | str]],
    *,
    title: str,
    no_data: str,
    figure_title: Callable[[str], str] = lambda name: name.replace("_", " "),
    category_label: Callable[[str, str], str] = lambda figure, key: key,
    footnote: str = "",
) -> Figure:
    """The chart as a matplotlib Figure: one panel per figure with data, in FIGURES'
    order (a single "no data" line when none has any)."""
    from matplotlib.figure import Figure
    from matplotlib.ticker import MaxNLocator

    # Only figures with something to show: an empty axis says nothing and hides the rest.
    shown = [name for name in FIGURES if figures.get(name)]
    rows = max(1, -(-len(shown) // 2))
    fig = Figure(figsize=(11, 3.5 * rows + (0.6 if rows == 1 else 0)))
    axes = fig.subplots(rows, 2, squeeze=False)
    fig.suptitle(_plain(title), fontsize=14)
    if not shown:
        ax = axes.flat[0]
        ax.text(
            0.5, 0.5, _plain(no_data), ha="center", va="center", fontsize=12,
            color="#555555", transform=ax.transAxes,
        )  # fmt: skip
        ax.set_axis_off()
    for ax, name in zip(axes.flat, shown, strict=False):
        values = figures[name]
        ax.set_title(_plain(figure_title(name)), fontsize=11)
        heights = [v if isinstance(v, int) else 0 for v in values.values()]
        labels = [_plain(category_label(name, key)) for key in values]
        bars = ax.barh(labels, heights, color="#3b6ea5")
        for bar, value in zip(bars, values.values(), strict=True):
            ax.text(bar.get_width(), bar.get_y() + bar.get_height() / 2, f" {value}", va="center")
        ax.invert_yaxis()
        # Whole numbers from 0; room on the right for the value labels.
        ax.set_xlim(0, max(SMALL, *heights) * 1.15)
        ax.xaxis.set_major_locator(MaxNLocator(integer=True))
        ax.tick_params(labelsize=8)
    for ax in list(axes.flat)[max(1, len(shown)) :]:
        ax.set_axis_off()
    if footnote:
        fig.text(0.5, 0.005, _plain(footnote), ha="center", va="bottom", fontsize=9)
    fig.tight_layout(rect=(0, 0.02, 1, 0.97))
    return fig


def render(fig: Figure) -> bytes:
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=80)
    return buffer.getvalue()
