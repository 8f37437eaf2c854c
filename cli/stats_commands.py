"""`python main.py stats --site SLUG --from DATE --to DATE --out DIR [--lang de]`: stats.csv,
and stats.png in the coordinator's language (the same chart as /stats in the chat)."""

from __future__ import annotations

import argparse
import asyncio
import sys
from pathlib import Path

from bot.i18n import Catalogs
from bot.ports import SystemClock
from bot.services.privacy import site_stats
from bot.stats_chart import to_csv
from bot.stats_words import chart_png, chart_title, chart_translator
from cli.lookup import site_or_explain
from config import Settings
from storage import create_engine, make_uow_factory, session_factory, upgrade_database

EXIT_OK, EXIT_USAGE = 0, 2


async def run_stats(settings: Settings, args: argparse.Namespace) -> int:
    if args.end < args.start:
        print("stats: --to is before --from", file=sys.stderr)
        return EXIT_USAGE
    engine = create_engine(settings.DATABASE_URL)
    try:
        await upgrade_database(engine)
        uow_factory = make_uow_factory(session_factory(engine), SystemClock())
        site = await site_or_explain(uow_factory, args.site, "stats")
        if site is None or site.id is None:
            return EXIT_USAGE
        figures = await site_stats(
            uow_factory, site_id=site.id, start=args.start, end=args.end, zone=settings.zone
        )
    finally:
        await engine.dispose()
    out = Path(args.out)
    await asyncio.to_thread(out.mkdir, parents=True, exist_ok=True)
    locale = args.lang or settings.DEFAULT_LOCALE
    t = chart_translator(Catalogs(default_locale=settings.DEFAULT_LOCALE), locale)
    title = chart_title(t, args.start, args.end, site=site.name)
    png = await asyncio.to_thread(chart_png, t, figures, title=title)
    await asyncio.to_thread((out / "stats.csv").write_text, to_csv(figures), "utf-8")
    await asyncio.to_thread((out / "stats.png").write_bytes, png)
    print(f"wrote {out / 'stats.csv'} and {out / 'stats.png'} (counts below 5 shown as <5)")
    if t.locale != locale:
        print(f"stats.png is in English: the chart cannot draw {locale}'s right-to-left script")
    return EXIT_OK
