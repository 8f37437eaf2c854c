"""What /stats says in the chat: the chart (bot/stats_words.py, shared with the console
and the CLI) and the short summary under it, in the coordinator's language."""

from __future__ import annotations

from bot.i18n import Translator
from bot.stats_words import category as category
from bot.stats_words import chart as chart
from bot.stats_words import chart_locale as chart_locale
from bot.stats_words import chart_png as chart_png
from bot.stats_words import chart_title as chart_title
from bot.stats_words import chart_translator as chart_translator
from bot.stats_words import figure_title as figure_title


def summary(t: Translator, figures: dict[str, dict[str, int | str]], days: int) -> str:
    lines: list[str] = [
        t._("📊 Your site, the last {days} days (counts below 5 are shown as <5):", days=days)
    ]
    for name, values in figures.items():
        parts = ", ".join(f"{category(t, name, k)} {v}" for k, v in values.items())
        lines.append(f"• {figure_title(t, name)}: {parts}")
    if len(lines) == 1:
        lines.append(t._("No data yet."))
    return "\n".join(lines)
