"""Offer search in SQL, on the suffix index of migration 0007 (see bot/offers_search.py).

Ranking: offers whose title matches a word come first, then the rest; within a tier
the catalog's order. Two statements per search: the counts, then the page.

SQLite: a contentless FTS5 table `offers_terms` (title, body, facets). Counting and
filtering stay inside the index; the page streams the hits in rowid order, so only
the page's rows are read.

PostgreSQL: a narrow side table `offer_search` (offer_id, terms tsvector) with a GIN
index. `terms` holds the words, the title's words once more behind the marker
"zzt", and the facet tokens, so every condition is one index lookup and no row's
vector is ever read back (a condition outside the index would detoast it for each
match). The table is narrow on purpose, its vectors kept out of line
(toast_tuple_target): counting in PostgreSQL visits the heap, and this heap is a few
hundred blocks where the offers table is thousands.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import TypedDict

from sqlalchemy import select, text
from sqlalchemy.ext.asyncio import AsyncSession

from bot.offers_search import HAS_END, facet, query_tokens
from bot.ports import OfferQuery
from storage.models import OfferRow

SQLITE_INDEX = "INSERT INTO offers_terms(rowid, title, body, facets) VALUES (:id, :t, :b, :f)"
SQLITE_FORGET = (
    "INSERT INTO offers_terms(offers_terms, rowid, title, body, facets) "
    "VALUES ('delete', :id, :t, :b, :f)"
)
PG_INDEX = (
    "INSERT INTO offer_search (offer_id, terms) VALUES (:id, to_tsvector('simple', :v)) "
    "ON CONFLICT (offer_id) DO UPDATE SET terms = excluded.terms"
)
TITLE_MARK = "zzt"


def pg_terms(title: str, body: str, facets: str) -> str:
    """The text of PostgreSQL's vector: words, marked title words, facets."""
    marked = " ".join(TITLE_MARK + w for w in title.split())
    return f"{title} {body} {marked} {facets}"


#: The mapped columns, read for the page only.
_COLUMNS = ", ".join(f"o.{c.name}" for c in OfferRow.__table__.columns)


class Terms(TypedDict):
    """An offer's row of the search index (from index_texts)."""

    id: int
    t: str  # title
    b: str  # body
    f: str  # facets


async def write_terms(session: AsyncSession, old: list[Terms], new: list[Terms]) -> None:
    """Index changed rows (`id`, `t` title, `b` body, `f` facets, from index_texts)."""
    if session.bind.dialect.name == "sqlite":
        if old:  # a contentless FTS5 table forgets a row by being told its old terms
            await session.execute(text(SQLITE_FORGET), old)
        if new:
            await session.execute(text(SQLITE_INDEX), new)
    elif new:
        await session.execute(
            text(PG_INDEX),
            [{"id": n["id"], "v": pg_terms(n["t"], n["b"], n["f"])} for n in new],
        )
        # Fresh statistics at once: without them the planner may read every row's vector
        # (a sequential scan) until autovacuum comes round.
        await session.execute(text("ANALYZE offers"))
        await session.execute(text("ANALYZE offer_search"))


@dataclass(frozen=True)
class Plan:
    words: list[str]
    facets: list[str]

    @classmethod
    def of(cls, query: OfferQuery) -> Plan:
        facets = []
        if query.life_area:
            facets.append(facet("area", query.life_area))
        if query.municipality:
            facets.append(facet("place", query.municipality))
        if query.language:
            facets.append(facet("language", query.language))
        if query.open_to_duldung:
            facets.append(facet("status", "duldung"))
        if query.site_id is not None:
            facets.append(facet("site", str(query.site_id)))
        return cls(query_tokens(query.terms), facets)

    @property
    def everything(self) -> bool:
        return not self.words and not self.facets


def _windows(
    total: int, first: int, tiers: bool, limit: int, offset: int
) -> list[tuple[int, int, int]]:
    """(tier, limit, offset) for the page: tier 0 = title matches, 1 = the rest, 2 = all."""
    if not tiers:
        return [(2, limit, offset)]
    out, taken = [], 0
    if offset < first:
        taken = min(limit, first - offset)
        out.append((0, taken, offset))
    rest_offset = max(0, offset - first)
    if limit > taken and total - first > rest_offset:
        out.append((1, limit - taken, rest_offset))
    return out


async def _page(
    session: AsyncSession, parts: list[str], params: dict[str, object]
) -> list[OfferRow]:
    if not parts:
        return []
    statement = text(" UNION ALL ".join(parts) + " ORDER BY tier, id").bindparams(**params)
    return list(await session.scalars(select(OfferRow).from_statement(statement)))


async def search_sqlite(
    session: AsyncSession, plan: Plan, today: date, limit: int, offset: int
) -> tuple[list[OfferRow], int]:
    parts = []
    if plan.words:
        parts.append("{title body} : (" + " AND ".join(f'"{w}"*' for w in plan.words) + ")")
    if plan.facets:
        parts.append("facets : (" + " AND ".join(plan.facets) + ")")
    match = " AND ".join(parts)
    in_title = "title : (" + " OR ".join(f'"{w}"*' for w in plan.words) + ")"
    matches = {2: match, 0: f"({match}) AND {in_title}", 1: f"({match}) NOT {in_title}"}
    count = "(SELECT count(*) FROM offers_terms WHERE offers_terms MATCH {})"
    ended = (
        "(SELECT count(*) FROM offers_terms f JOIN offers o ON o.id = f.rowid "
        "WHERE offers_terms MATCH {} AND o.ends_on < :today)"
    )
    title = matches[0] if plan.words else match
    row = (
        await session.execute(
            text(
                f"SELECT {count.format(':m')}, {count.format(':t')}, "
                f"{ended.format(':me')}, {ended.format(':te')}"
            ).bindparams(
                m=match,
                t=title,
                me=f"({match}) AND facets : {HAS_END}",
                te=f"({title}) AND facets : {HAS_END}",
                today=today,
            )
        )
    ).one()
    total, first = int(row[0]) - int(row[2]), int(row[1]) - int(row[3])
    page: list[str] = []
    params: dict[str, object] = {"today": today}
    for tier, size, skip in _windows(total, first, bool(plan.words), limit, offset):
        params.update({f"m{tier}": matches[tier], f"l{tier}": size, f"o{tier}": skip})
        # The FTS hits come in rowid order: SQLite reads offers rows only until the page
        # is full (ordering by o.id instead would read every match).
        page.append(
            f"SELECT * FROM (SELECT {_COLUMNS}, {tier} AS tier FROM offers_terms f "
            f"JOIN offers o ON o.id = f.rowid WHERE offers_terms MATCH :m{tier} "
            "AND (o.ends_on IS NULL OR o.ends_on >= :today) "
            f"ORDER BY f.rowid LIMIT :l{tier} OFFSET :o{tier}) AS w{tier}"
        )
    return await _page(session, page, params), total


async def search_postgres(
    session: AsyncSession, plan: Plan, today: date, limit: int, offset: int
) -> tuple[list[OfferRow], int]:
    match = " & ".join([f"{w}:*" for w in plan.words] + plan.facets)
    in_title = "(" + " | ".join(f"{TITLE_MARK}{w}:*" for w in plan.words) + ")"
    queries = {2: match, 0: f"{match} & {in_title}", 1: f"{match} & !{in_title}"}
    # Offers that ended: a handful of ids from the ends_on index, hashed once.
    current = "s.offer_id NOT IN (SELECT id FROM offers WHERE ends_on < :today)"
    count = (
        "(SELECT count(*) FROM offer_search s "
        "WHERE s.terms @@ to_tsquery('simple', {}) AND " + current + ")"
    )
    title = queries[0] if plan.words else match
    # The planner does not price reading a vector back from TOAST: right after an import
    # it may choose a sequential scan that tests every row's vector (~100 ms here).
    await session.execute(text("SET LOCAL enable_seqscan = off"))
    row = (
        await session.execute(
            text(f"SELECT {count.format(':m')}, {count.format(':t')}").bindparams(
                m=match, t=title, today=today
            )
        )
    ).one()
    total, first = int(row[0]), int(row[1])
    windows = _windows(total, first, bool(plan.words), limit, offset)
    if not windows:
        return [], total
    ctes: list[str] = []
    page: list[str] = []
    params: dict[str, object] = {"today": today}
    for tier, size, skip in windows:
        params.update({f"m{tier}": queries[tier], f"l{tier}": size, f"o{tier}": skip})
        # Materialised: with a LIMIT the planner likes walking the primary key and testing
        # each row's vector (read from TOAST); the index gives all matches at once.
        ctes.append(
            f"h{tier} AS MATERIALIZED (SELECT s.offer_id FROM offer_search s "
            f"WHERE s.terms @@ to_tsquery('simple', :m{tier}) AND {current})"
        )
        page.append(
            f"SELECT * FROM (SELECT {_COLUMNS}, {tier} AS tier FROM offers o WHERE o.id IN ("
            f"SELECT offer_id FROM h{tier} ORDER BY offer_id LIMIT :l{tier} OFFSET :o{tier})"
            f") AS w{tier}"
        )
    statement = text(
        "WITH " + ", ".join(ctes) + " " + " UNION ALL ".join(page) + " ORDER BY tier, id"
    ).bindparams(**params)
    rows = await session.scalars(select(OfferRow).from_statement(statement))
    return list(rows), total
