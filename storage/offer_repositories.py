"""Offers: upsert by external_id, filters, and full-text search on both databases."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Float, Integer, Select, column, func, or_, select, text, update
from sqlalchemy.ext.asyncio import AsyncSession

from bot.domain import LifeArea, Offer
from bot.ports import OfferQuery
from storage.models import OfferRow

#: PostgreSQL: a stored generated tsvector (migration 0005), weighted title A,
#: municipality B, provider C, description D.
PG_VECTOR = "offers.search_vector"
_FIELDS = (
    "title",
    "provider",
    "description",
    "municipality",
    "address",
    "postcode",
    "latitude",
    "longitude",
    "min_age",
    "max_age",
    "cost",
    "phone",
    "email",
    "website",
    "opening_hours",
    "starts_on",
    "ends_on",
    "appointment_needed",
    "accessible",
    "last_checked",
    "diaa_module",
)


def _offer(row: OfferRow) -> Offer:
    return Offer(
        id=row.id,
        external_id=row.external_id,
        title=row.title,
        provider=row.provider,
        description=row.description,
        life_areas=[LifeArea(a) for a in row.life_areas.split(";") if a],
        diaa_module=row.diaa_module,
        municipality=row.municipality,
        address=row.address,
        postcode=row.postcode,
        latitude=row.latitude,
        longitude=row.longitude,
        languages=[x for x in row.languages.split(";") if x],
        eligible_statuses=[x for x in row.eligible_statuses.split(";") if x],
        min_age=row.min_age,
        max_age=row.max_age,
        cost=row.cost,
        phone=row.phone,
        email=row.email,
        website=row.website,
        opening_hours=row.opening_hours,
        starts_on=row.starts_on,
        ends_on=row.ends_on,
        appointment_needed=row.appointment_needed,
        accessible=row.accessible,
        last_checked=row.last_checked,
    )


def _columns(offer: Offer) -> dict[str, object]:
    values = {name: getattr(offer, name) for name in _FIELDS}
    values["life_areas"] = ";".join(a.value for a in offer.life_areas)
    values["languages"] = ";".join(offer.languages)
    values["eligible_statuses"] = ";".join(offer.eligible_statuses)
    return values


def _like_list(column, value: str):  # type: ignore[no-untyped-def]
    """`value` is one element of a ';'-joined list column."""
    return (";" + column + ";").like(f"%;{value};%")


class SqlOffers:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def upsert_many(self, offers: list[Offer], at: datetime) -> tuple[int, int]:
        existing = {
            row.external_id: row
            for row in await self._session.scalars(
                select(OfferRow).where(OfferRow.external_id.in_([o.external_id for o in offers]))
            )
        }
        inserted = updated = 0
        for offer in offers:
            values = _columns(offer)
            row = existing.get(offer.external_id)
            if row is None:
                self._session.add(OfferRow(external_id=offer.external_id, updated_at=at, **values))
                inserted += 1
            else:
                for key, value in values.items():
                    setattr(row, key, value)
                row.updated_at = at
                row.flagged_at = None
                updated += 1
        await self._session.flush()
        return inserted, updated

    async def all(self) -> list[Offer]:
        rows = await self._session.scalars(select(OfferRow).order_by(OfferRow.external_id))
        return [_offer(row) for row in rows]

    async def get(self, offer_id: int) -> Offer | None:
        row = await self._session.get(OfferRow, offer_id)
        return _offer(row) if row else None

    async def municipalities(self) -> list[str]:
        rows = await self._session.scalars(
            select(OfferRow.municipality).distinct().order_by(OfferRow.municipality)
        )
        return list(rows)

    def _filtered(self, statement: Select, query: OfferQuery) -> Select:  # type: ignore[type-arg]
        if query.life_area:
            statement = statement.where(_like_list(OfferRow.life_areas, query.life_area))
        if query.municipality:
            statement = statement.where(OfferRow.municipality == query.municipality)
        if query.language:
            statement = statement.where(_like_list(OfferRow.languages, query.language))
        if query.open_to_duldung:
            statement = statement.where(_like_list(OfferRow.eligible_statuses, "duldung"))
        if query.today:
            statement = statement.where(
                or_(OfferRow.ends_on.is_(None), OfferRow.ends_on >= query.today)
            )
        return statement

    async def search(self, query: OfferQuery, limit: int, offset: int) -> tuple[list[Offer], int]:
        """One statement: the page, ranked, with the total as a window count."""
        dialect = self._session.bind.dialect.name
        if dialect == "sqlite":
            return await self._search_sqlite(query, limit, offset)
        total_column = func.count().over().label("total")
        statement = self._filtered(select(OfferRow, total_column), query)
        if query.terms:
            tsquery = " & ".join(t.replace("'", "").replace("\\", "") + ":*" for t in query.terms)
            statement = statement.where(
                text(f"{PG_VECTOR} @@ to_tsquery('simple', :q)").bindparams(q=tsquery)
            ).order_by(
                text(f"ts_rank({PG_VECTOR}, to_tsquery('simple', :q)) DESC").bindparams(q=tsquery),
                OfferRow.title,
            )
        else:
            statement = statement.order_by(OfferRow.title)
        rows = (await self._session.execute(statement.limit(limit).offset(offset))).all()
        if rows:
            return [_offer(row[0]) for row in rows], int(rows[0][1])
        if offset == 0:
            return [], 0
        # Past the last page: count without a page to read the total from.
        _, total = await self.search(query, 1, 0)
        return [], total

    async def _search_sqlite(
        self, query: OfferQuery, limit: int, offset: int
    ) -> tuple[list[Offer], int]:
        """SQLite: the page ranked by bm25 over the FTS5 hits; the total from a cheap count of
        the matches (no ranking), as a window count would carry every row's columns."""
        statement = self._filtered(select(OfferRow), query)
        counting = self._filtered(select(func.count()).select_from(OfferRow), query)
        if query.terms:
            match = " AND ".join('"' + t.replace('"', "") + '"' for t in query.terms)
            ranked = (
                text(
                    "SELECT rowid AS id, bm25(offers_fts, 10.0, 5.0, 3.0, 1.0) AS rank "
                    "FROM offers_fts WHERE offers_fts MATCH :match"
                )
                .bindparams(match=match)
                .columns(column("id", Integer), column("rank", Float))
                # Materialised once: otherwise SQLite may run the FTS query again for every
                # offer row when another filter (a municipality) drives the join.
                .cte("hits")
                .prefix_with("MATERIALIZED")
            )
            statement = statement.join(ranked, ranked.c.id == OfferRow.id).order_by(
                ranked.c.rank, OfferRow.title
            )
            matched = (
                text("SELECT rowid FROM offers_fts WHERE offers_fts MATCH :match")
                .bindparams(match=match)
                .columns(column("rowid", Integer))
                .cte("matched")
                .prefix_with("MATERIALIZED")
            )
            counting = counting.join(matched, matched.c.rowid == OfferRow.id)
        else:
            statement = statement.order_by(OfferRow.title)
        total = await self._session.scalar(counting)
        rows = await self._session.scalars(statement.limit(limit).offset(offset))
        return [_offer(row) for row in rows], int(total or 0)

    async def needing_review(
        self, *, ended_before: date, checked_before: date, flagged_before: datetime
    ) -> list[Offer]:
        rows = await self._session.scalars(
            select(OfferRow)
            .where(
                or_(
                    OfferRow.ends_on < ended_before,
                    OfferRow.last_checked < checked_before,
                    OfferRow.last_checked.is_(None),
                ),
                or_(OfferRow.flagged_at.is_(None), OfferRow.flagged_at < flagged_before),
            )
            .order_by(OfferRow.municipality, OfferRow.title)
        )
        return [_offer(row) for row in rows]

    async def mark_flagged(self, offer_ids: list[int], at: datetime) -> None:
        if offer_ids:
            await self._session.execute(
                update(OfferRow).where(OfferRow.id.in_(offer_ids)).values(flagged_at=at)
            )
