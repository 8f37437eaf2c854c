"""A coordinator's statistics: the period's figures as a table, the chart (its own route,
an image of the same figures as /stats and `python main.py stats`) and the CSV.

The period is a month, a quarter or a from–to range, given in the query string (dates
only: nothing personal). Every read is audited by the service ("console.stats",
"console.stats.csv"); the chart's image is not, its page was.
"""

from __future__ import annotations

import asyncio
import re
from collections import OrderedDict
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from aiohttp import web

from bot.services.console_reports import coordinator_stats
from bot.services.console_staff import require_coordinator
from bot.stats_chart import FIGURES, to_csv
from bot.stats_words import category, chart_png, chart_title, chart_translator, figure_title
from web.context import console, page, signed_in, text_of
from web.text import ConsoleText

#: The longest period one request may ask for.
LONGEST = timedelta(days=3 * 366)
QUARTERS_SHOWN = 8
_MONTH = re.compile(r"^(\d{4})-(\d{2})$")
_QUARTER = re.compile(r"^(\d{4})-Q([1-4])$")


@dataclass
class Period:
    """What the picker asked for: the days (both included) or the errors to show; the
    fields as typed, to show them again."""

    start: date | None = None
    end: date | None = None
    kind: str = "month"
    typed: dict[str, str] = field(default_factory=dict)
    errors: dict[str, str] = field(default_factory=dict)


def _month(year: int, month: int) -> tuple[date, date]:
    first = date(year, month, 1)
    following = date(year + month // 12, month % 12 + 1, 1)
    return first, following - timedelta(days=1)


def _quarter(day: date) -> str:
    return f"{day.year}-Q{(day.month - 1) // 3 + 1}"


def _day(value: str) -> date | None:
    try:
        return date.fromisoformat(value) if re.fullmatch(r"\d{4}-\d{2}-\d{2}", value) else None
    except ValueError:
        return None


def read_period(t: ConsoleText, query: dict[str, str], today: date) -> Period:
    """From the query string: `from` and `to` (a range), else `quarter` (2026-Q4), else
    `month` (2026-11), else the current month."""
    typed = {name: query.get(name, "").strip()[:20] for name in ("month", "quarter", "from", "to")}
    period = Period(typed=typed)
    if typed["from"] or typed["to"]:
        period.kind = "range"
        start, end = _day(typed["from"]), _day(typed["to"])
        wrong = t.p_("console", "Please give a date such as 2026-11-01.")
        if start is None:
            period.errors["from"] = wrong
        if end is None:
            period.errors["to"] = wrong
        if start and end and end < start:
            period.errors["to"] = t.p_("console", "The end is before the start.")
        elif start and end and end - start > LONGEST:
            period.errors["to"] = t.p_("console", "Please choose at most three years.")
        period.start, period.end = start, end
    elif typed["quarter"]:
        period.kind = "quarter"
        match = _QUARTER.match(typed["quarter"])
        if match is None:
            period.errors["quarter"] = t.p_("console", "Please choose a quarter from the list.")
        else:
            year, number = int(match[1]), int(match[2])
            period.start = _month(year, number * 3 - 2)[0]
            period.end = _month(year, number * 3)[1]
    else:
        match = _MONTH.match(typed["month"] or f"{today:%Y-%m}")
        if match is None or not 1 <= int(match[2]) <= 12 or int(match[1]) < 1:
            period.errors["month"] = t.p_("console", "Please give a month such as 2026-11.")
        else:
            period.start, period.end = _month(int(match[1]), int(match[2]))
            typed["month"] = f"{period.start:%Y-%m}"
    if period.errors:
        period.start = period.end = None
    return period


def _quarters(t: ConsoleText, today: date) -> list[tuple[str, str]]:
    """(value, label) of the current quarter and the ones before it, newest first."""
    options, day = [], date(today.year, (today.month - 1) // 3 * 3 + 1, 1)
    for _ in range(QUARTERS_SHOWN):
        number = (day.month - 1) // 3 + 1
        # TRANSLATORS: a quarter of a year in the statistics' period picker: "Q4 2026".
        options.append(
            (_quarter(day), str(t.p_("console", "Q{number} {year}", number=number, year=day.year)))
        )
        day = _month(day.year - (day.month < 4), (day.month - 4) % 12 + 1)[0]
    return options


def _range(request: web.Request) -> tuple[date, date]:
    """The chart's and the CSV's period (links from the page: from and to); anything
    else is not a page of ours."""
    start, end = _day(request.query.get("from", "")), _day(request.query.get("to", ""))
    if start is None or end is None or end < start or end - start > LONGEST:
        raise web.HTTPNotFound()
    return start, end


def _long(t: ConsoleText, *days: date) -> tuple[str, ...]:
    """Days as the console writes them ("1. November 2026", "1 November 2026")."""
    zone = ZoneInfo("UTC")
    return tuple(t.day(datetime.combine(day, time(12), zone), zone) for day in days)


def _today(request: web.Request) -> date:
    deps = console(request)
    return deps.clock.now().astimezone(deps.settings.zone).date()


async def stats_page(request: web.Request) -> web.Response:
    deps, staff, t = console(request), signed_in(request), text_of(request)
    require_coordinator(staff)
    today = _today(request)
    period = read_period(t, dict(request.query), today)
    rows: list[tuple[str, list[tuple[str, int | str]]]] = []
    if period.start and period.end:
        _site, figures = await coordinator_stats(
            deps.uow_factory, deps.clock, staff=staff, start=period.start, end=period.end,
            zone=deps.settings.zone,
        )  # fmt: skip
        words = deps.catalogs.translator(t.locale)
        rows = [
            (
                figure_title(words, name),
                [(category(words, name, key), count) for key, count in figures[name].items()],
            )
            for name in FIGURES
            if figures.get(name)
        ]
    return page(
        request,
        "stats.html",
        status=400 if period.errors else 200,
        period=period,
        shown=_long(t, period.start, period.end) if period.start and period.end else None,
        range_query=(
            f"from={period.start.isoformat()}&to={period.end.isoformat()}"
            if period.start and period.end
            else ""
        ),
        figures=rows,
        quarters=_quarters(t, today),
    )


async def stats_chart(request: web.Request) -> web.Response:
    deps, staff, t = console(request), signed_in(request), text_of(request)
    require_coordinator(staff)
    start, end = _range(request)
    site, figures = await coordinator_stats(
        deps.uow_factory, deps.clock, staff=staff, start=start, end=end,
        zone=deps.settings.zone, action=None,
    )  # fmt: skip
    words = chart_translator(deps.catalogs, t.locale)
    title = chart_title(words, start, end, site=site.name)
    # The same figures in the same words draw the same picture: drawn once (matplotlib
    # takes ~0.5 s for a full chart), kept while the figures stay as they are.
    key = (words.locale, title, repr(sorted(figures.items())))
    png = _CHARTS.pop(key, None)
    if png is None:
        png = await asyncio.to_thread(chart_png, words, figures, title=title)
    _CHARTS[key] = png  # the most recently used last
    while len(_CHARTS) > CHARTS_KEPT:
        _CHARTS.popitem(last=False)
    return web.Response(body=png, content_type="image/png")


#: The last charts drawn, by words and figures (no personal data: counts only).
CHARTS_KEPT = 32
_CHARTS: OrderedDict[tuple[str, str, str], bytes] = OrderedDict()


async def stats_csv(request: web.Request) -> web.Response:
    deps, staff = console(request), signed_in(request)
    require_coordinator(staff)
    start, end = _range(request)
    site, figures = await coordinator_stats(
        deps.uow_factory, deps.clock, staff=staff, start=start, end=end,
        zone=deps.settings.zone, action="console.stats.csv",
    )  # fmt: skip
    name = f"lotse-stats-{site.slug}-{start.isoformat()}-{end.isoformat()}.csv"
    return web.Response(
        text=to_csv(figures),
        content_type="text/csv",
        charset="utf-8",
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )
