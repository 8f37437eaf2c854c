"""Benchmark: offer search latency over a large generated catalog.

    python benchmarks/offers_search.py [--count 20000] [--queries 500] [--pg URL]

Generates COUNT offers (domain words among a 3,000-word vocabulary, nine NRW
municipalities, all life areas; --dense: 28 words only, a stress case),
imports them through the real import path, then times QUERIES searches through the
real service (stemming, filters, ranking, first page) on SQLite, and on PostgreSQL
when --pg (or TEST_DATABASE_URL) is given. Prints p50/p95/p99 in milliseconds.
Goal: p99 <= 10 ms.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from sqlalchemy import text  # noqa: E402

from bot.domain import LifeArea  # noqa: E402
from bot.offers_io import COLUMNS  # noqa: E402
from bot.ports import SystemClock  # noqa: E402
from bot.services.offers import import_offers, search_offers  # noqa: E402
from config.settings import normalize_database_url  # noqa: E402
from storage import create_engine, make_uow_factory, session_factory, upgrade_database  # noqa: E402

PLACES = (
    "Essen",
    "Köln",
    "Dortmund",
    "Bielefeld",
    "Münster",
    "Kreis Borken",
    "Hochsauerlandkreis",
    "Kreis Lippe",
    "Kreis Kleve",
)
WORDS = (
    "Deutschkurs",
    "Sprachcafé",
    "Bewerbungstraining",
    "Rechtsberatung",
    "Wohnungssuche",
    "Schuldnerberatung",
    "Ausbildung",
    "Berufsorientierung",
    "Hausaufgabenhilfe",
    "Sportverein",
    "Psychosoziale",
    "Beratung",
    "Familienzentrum",
    "Kinderbetreuung",
    "Integrationskurs",
    "Jugendliche",
    "Frauen",
    "Männer",
    "Abendkurs",
    "Alphabetisierung",
    "Praktikum",
    "Job",
    "Coaching",
    "Aufenthalt",
    "Asylverfahren",
    "Gesundheit",
    "Sprechstunde",
    "Treffpunkt",
)
QUERIES = (
    "Deutschkurse",
    "Deutschkurs Essen",
    "Beratung",
    "Rechtsberatung Aufenthalt",
    "Wohnung",
    "Sport",
    "Ausbildung Köln",
    "Coaching Jugendliche",
    "Familie",
    "Praktikum",
)


def _fillers(rng: random.Random, n: int) -> list[str]:
    """Made-up German-looking words, so the catalog has a realistic vocabulary."""
    syllables = (
        "ber",
        "ge",
        "schaft",
        "ung",
        "heit",
        "keit",
        "lich",
        "stadt",
        "werk",
        "haus",
        "platz",
        "kreis",
        "land",
        "arbeit",
        "bildung",
        "hilfe",
        "treff",
        "zeit",
        "raum",
    )
    words: set[str] = set()
    while len(words) < n:
        words.add("".join(rng.choices(syllables, k=rng.randint(2, 4))).capitalize())
    return sorted(words)


def generate(count: int, *, dense: bool = False) -> bytes:
    """Each offer: one or two domain words in the title and two in the description among
    ordinary vocabulary. dense=True: only the 28 domain words (a stress case in which
    every query matches about half the catalog)."""
    rng = random.Random(7)
    areas = [a.value for a in LifeArea]
    fillers = _fillers(rng, 3000)
    lines = [",".join(COLUMNS)]
    for i in range(count):
        if dense:
            title = " ".join(rng.sample(WORDS, 3))
            description = " ".join(rng.choices(WORDS, k=18))
        else:
            title = " ".join(rng.sample(WORDS, rng.randint(1, 2)) + rng.sample(fillers, 2))
            description = " ".join(rng.choices(WORDS, k=2) + rng.choices(fillers, k=16))
        row = {c: "" for c in COLUMNS}
        row.update(
            external_id=f"bench-{i}",
            title=title,
            provider=f"Träger {i % 300} (Beispiel)",
            description=description,
            life_areas=";".join(rng.sample(areas, 2)),
            municipality=PLACES[i % len(PLACES)],
            languages="de;" + rng.choice(["ar", "fa_AF", "ps", "en", "fr"]),
            eligible_statuses=rng.choice(["duldung;gestattung;other", "gestattung;other"]),
            last_checked="2026-06-01",
        )
        lines.append(",".join(f'"{row[c]}"' for c in COLUMNS))
    return ("\n".join(lines) + "\n").encode()


async def run(url: str, data: bytes, queries: int, label: str) -> None:
    engine = create_engine(url)
    if engine.dialect.name == "postgresql":
        async with engine.begin() as connection:
            await connection.execute(text("DROP SCHEMA public CASCADE"))
            await connection.execute(text("CREATE SCHEMA public"))
    await upgrade_database(engine)
    clock = SystemClock()
    uow_factory = make_uow_factory(session_factory(engine), clock)
    started = time.perf_counter()
    result = await import_offers(uow_factory, clock, name="bench.csv", data=data)
    imported = time.perf_counter() - started
    if engine.dialect.name == "postgresql":
        # Steady state, as autovacuum leaves it shortly after an import (visibility map
        # and hint bits set). Straight after the import it measured p99 8.9 ms here.
        async with engine.connect() as connection:
            autocommit = await connection.execution_options(isolation_level="AUTOCOMMIT")
            await autocommit.execute(text("VACUUM ANALYZE offers"))
            await autocommit.execute(text("VACUUM ANALYZE offer_search"))
    zone = ZoneInfo("Europe/Berlin")
    rng = random.Random(11)
    timings = []
    for i in range(queries):
        kwargs: dict[str, Any] = {"text": QUERIES[i % len(QUERIES)]}
        if i % 3 == 1:
            kwargs["municipality"] = rng.choice(PLACES)
        if i % 4 == 2:
            kwargs["open_to_duldung"] = True
        if i % 5 == 3:
            kwargs["life_area"] = rng.choice([a.value for a in LifeArea])
        begin = time.perf_counter()
        await search_offers(uow_factory, clock, zone, **kwargs)
        timings.append((time.perf_counter() - begin) * 1000)
    timings.sort()
    q = statistics.quantiles(timings, n=100)
    print(f"{label}: {result.inserted} offers imported in {imported:.1f} s; {queries} searches")
    print(
        f"  p50 {q[49]:.2f} ms   p95 {q[94]:.2f} ms   p99 {q[98]:.2f} ms   max {timings[-1]:.2f} ms"
    )
    await engine.dispose()


async def main(count: int, queries: int, pg: str | None, dense: bool) -> None:
    data = generate(count, dense=dense)
    folder = tempfile.mkdtemp(prefix="lotse-offers-")
    await run(f"sqlite+aiosqlite:///{folder}/offers.db", data, queries, "SQLite")
    if pg:
        await run(normalize_database_url(pg), data, queries, "PostgreSQL")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=20_000)
    parser.add_argument("--queries", type=int, default=500)
    parser.add_argument(
        "--pg",
        default=os.environ.get("TEST_DATABASE_URL"),
        help="PostgreSQL URL (drops its public schema!)",
    )
    parser.add_argument(
        "--dense",
        action="store_true",
        help="stress case: only 28 words, every query matches half the catalog",
    )
    args = parser.parse_args()
    asyncio.run(main(args.count, args.queries, args.pg, args.dense))
