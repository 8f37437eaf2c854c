"""Offers: upsert by external_id, filters, and full-text search on both databases."""

from __future__ import annotations

from dataclasses import fields
from datetime import date, datetime
from typing import Any, TypeVar

from sqlalchemy import ColumnElement, Select, func, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import InstrumentedAttribute

from bot.domain import LifeArea, Offer
from bot.offers_search import index_texts
from bot.ports import OfferQuery
from storage.models import OfferRow
from storage.offer_search import Plan, Terms, search_postgres, search_sqlite, write_terms

#: Offer fields stored in lists joined by ';' (see _split), and those stored as they are.
_LISTS = ("life_areas", "languages", "eligible_statuses")
_FIELDS = tuple(
    f.name for f in fields(Offer) if f.name not in {"id", "external_id", "site_id", *_LISTS}
)


def _split(joined: str) -> list[str]:
    """A list column's elements (stored joined by ';', with no empty element)."""
    return [x for x in joined.split(";") if x]


def _offer(row: OfferRow) -> Offer:
    return Offer(
        id=row.id,
        external_id=row.external_id,
        title=row.title,
        provider=row.provider,
        description=row.description,
        life_areas=[LifeArea(a) for a in _split(row.life_areas)],
        diaa_module=row.diaa_module,
        municipality=row.municipality,
        address=row.address,
        postcode=row.postcode,
        latitude=row.latitude,
        longitude=row.longitude,
        languages=_split(row.languages),
        eligible_statuses=_split(row.eligible_statuses),
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
        site_id=row.site_id,
    )


def _columns(offer: Offer) -> dict[str, object]:
    values = {name: getattr(offer, name) for name in _FIELDS}
    values["life_areas"] = ";".join(a.value for a in offer.life_areas)
    values["languages"] = ";".join(offer.languages)
    values["eligible_statuses"] = ";".join(offer.eligible_statuses)
    return values


#: The row type of a statement that _filtered narrows down.
_TP = TypeVar("_TP", bound=tuple[Any, ...])


def _terms(row: OfferRow) -> Terms:
    title, body, facets = index_texts(
        title=row.title,
        municipality=row.municipality,
        provider=row.provider,
        description=row.description or "",
        life_areas=_split(row.life_areas),
        languages=_split(row.languages),
        statuses=_split(row.eligible_statuses),
        has_end=row.ends_on is not None,
        site_id=row.site_id,
    )
    return {"id": row.id, "t": title, "b": body, "f": facets}


def _like_list(column: InstrumentedAttribute[str], value: str) -> ColumnElement[bool]:
    """`value` is one element of a ';'-joined list column."""
    return (";" + column + ";").like(f"%;{value};%")


class SqlOffers:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def upsert_many(
        self, offers: list[Offer], at: datetime, *, site_id: int | None = None
    ) -> tuple[int, int, int]:
        existing = {
            row.external_id: row
            for row in await self._session.scalars(
                select(OfferRow).where(OfferRow.external_id.in_([o.external_id for o in offers]))
            )
        }
        inserted = updated = unchanged = 0
        old_terms: list[Terms] = []
        written: list[OfferRow] = []
        for offer in offers:
            values = _columns(offer)
            if site_id is not None:
                values["site_id"] = site_id
            row = existing.get(offer.external_id)
            if row is None:
                row = OfferRow(external_id=offer.external_id, updated_at=at, **values)
                self._session.add(row)
                inserted += 1
            elif all(getattr(row, key) == value for key, value in values.items()):
                # The same offer again: neither rewritten nor counted as updated (its
                # updated_at and review flag stay as they were).
                unchanged += 1
                continue
            else:
                old_terms.append(_terms(row))
                for key, value in values.items():
                    setattr(row, key, value)
                row.updated_at = at
                row.flagged_at = None
                updated += 1
            written.append(row)
        await self._session.flush()
        await write_terms(self._session, old_terms, [_terms(row) for row in written])
        return inserted, updated, unchanged

    async def by_external_ids(self, external_ids: list[str]) -> list[Offer]:
        rows: list[OfferRow] = []
        for start in range(0, len(external_ids), 500):  # bounded IN lists
            chunk = external_ids[start : start + 500]
            rows += await self._session.scalars(
                select(OfferRow).where(OfferRow.external_id.in_(chunk))
            )
        return [_offer(row) for row in rows]

    async def of_site(self, site_id: int) -> list[Offer]:
        rows = await self._session.scalars(
            select(OfferRow).where(OfferRow.site_id == site_id).order_by(OfferRow.external_id)
        )
        return [_offer(row) for row in rows]

    async def site_municipalities(self, site_id: int) -> list[str]:
        rows = await self._session.scalars(
            select(OfferRow.municipality)
            .where(OfferRow.site_id == site_id)
            .distinct()
            .order_by(OfferRow.municipality)
        )
        return list(rows)

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

    def _filtered(self, statement: Select[_TP], query: OfferQuery) -> Select[_TP]:
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
        """Title matches first, then the rest, in catalog order (storage/offer_search.py)."""
        plan = Plan.of(query)
        if plan.everything:
            return await self._plain(query, limit, offset)
        today = query.today or date.min
        if self._session.bind.dialect.name == "sqlite":
            rows, total = await search_sqlite(self._session, plan, today, limit, offset)
        else:
            rows, total = await search_postgres(self._session, plan, today, limit, offset)
        return [_offer(r) for r in rows], total

    async def _plain(self, query: OfferQuery, limit: int, offset: int) -> tuple[list[Offer], int]:
        """No words and no filters: the whole catalog in its order."""
        statement = select(OfferRow)
        counting = select(func.count()).select_from(OfferRow)
        if query.today:
            current = or_(OfferRow.ends_on.is_(None), OfferRow.ends_on >= query.today)
            statement, counting = statement.where(current), counting.where(current)
        total = await self._session.scalar(counting)
        page = statement.order_by(OfferRow.id).limit(limit).offset(offset)
        return [_offer(r) for r in await self._session.scalars(page)], int(total or 0)

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
