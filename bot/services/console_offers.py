"""The offers a coordinator keeps in the console: list and search (the chat's search, on
their site's offers, ended ones too), create, edit, end, import with a preview, export.

An offer belongs to the site whose coordinator made or imported it (`Offer.site_id`); the
shared catalog of `offers import` (no site) and other sites' offers are refused like
unknown ids. Case managers may read their site's list (it is the catalog they refer
clients to in the chat); everything else is for coordinators. Writes are audited.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass, replace
from datetime import date, timedelta
from enum import StrEnum
from zoneinfo import ZoneInfo

from bot.domain import Offer, Staff
from bot.offers_io import COLUMNS, RowError, offer_row, read_file, to_csv, validate_row
from bot.offers_search import search_terms
from bot.ports import Clock, OfferQuery, UnitOfWork, UnitOfWorkFactory
from bot.services.audit import Refused, audit
from bot.services.console import digest
from bot.services.console_staff import require_coordinator
from bot.services.offers import SearchPage

LIST_PAGE_SIZE = 20
#: The largest offers file the console takes (20,000 offers fit easily).
MAX_UPLOAD_BYTES = 8 * 1024**2
#: How long an uploaded file waits for its confirmation.
UPLOAD_TTL = timedelta(hours=1)


class OfferRefused(Refused):
    def __init__(self, offer_id: int | None = None) -> None:
        super().__init__("offer", offer_id)


class StaleUploadError(Exception):
    """A preview id that is unknown, expired, used, or of another session."""


class RowChange(StrEnum):
    NEW = "new"
    CHANGED = "changed"
    UNCHANGED = "unchanged"


@dataclass(frozen=True)
class PreviewRow:
    line: int
    offer: Offer
    change: RowChange
    #: The columns a changed row changes.
    columns: tuple[str, ...] = ()


@dataclass(frozen=True)
class Preview:
    """What importing a file would do. `key` names the kept upload (only with no errors);
    `check` fingerprints the file and the plan, so the confirmation imports exactly this."""

    rows: list[PreviewRow]
    errors: list[RowError]
    key: str = ""
    check: str = ""

    def count(self, change: RowChange) -> int:
        return sum(1 for row in self.rows if row.change is change)


def _today(clock: Clock, zone: ZoneInfo) -> date:
    return clock.now().astimezone(zone).date()


def is_ended(offer: Offer, today: date) -> bool:
    return offer.ends_on is not None and offer.ends_on < today


async def list_offers(
    uow_factory: UnitOfWorkFactory,
    *,
    staff: Staff,
    text: str = "",
    life_area: str | None = None,
    municipality: str | None = None,
    language: str | None = None,
    open_to_duldung: bool = False,
    page: int = 0,
) -> SearchPage:
    """The site's offers through the chat's search (the same words and filters), active
    and ended, a page of LIST_PAGE_SIZE."""
    query = OfferQuery(
        terms=search_terms(text),
        life_area=life_area,
        municipality=municipality,
        language=language,
        open_to_duldung=open_to_duldung,
        site_id=staff.site_id,
    )
    page = max(0, page)
    async with uow_factory() as uow:
        offers, total = await uow.offers.search(query, LIST_PAGE_SIZE, page * LIST_PAGE_SIZE)
    return SearchPage(offers, total, page, LIST_PAGE_SIZE)


async def places(uow_factory: UnitOfWorkFactory, *, staff: Staff) -> list[str]:
    async with uow_factory() as uow:
        return await uow.offers.site_municipalities(staff.site_id)


async def _own(uow: UnitOfWork, staff: Staff, offer_id: int) -> Offer:
    offer = await uow.offers.get(offer_id)
    if offer is None or offer.site_id != staff.site_id:
        raise OfferRefused(offer_id)
    return offer


async def own_offer(uow_factory: UnitOfWorkFactory, *, staff: Staff, offer_id: int) -> Offer:
    require_coordinator(staff)
    async with uow_factory() as uow:
        return await _own(uow, staff, offer_id)


def _taken() -> RowError:
    return RowError.of(
        0, "external_id", "this id is taken by an offer that is not of your site: choose another"
    )


async def save_offer(
    uow_factory: UnitOfWorkFactory,
    clock: Clock,
    *,
    staff: Staff,
    cells: dict[str, str],
    offer_id: int | None = None,
) -> tuple[Offer | None, list[RowError]]:
    """Create (offer_id None) or edit an offer of the site from the form's cells, validated
    as an imported row is. Editing keeps the offer's external_id. (offer, []) when saved,
    (None, errors) when not."""
    require_coordinator(staff)
    async with uow_factory() as uow:
        if offer_id is not None:
            cells = {**cells, "external_id": (await _own(uow, staff, offer_id)).external_id}
        offer, errors = validate_row(cells)
        if offer is None:
            return None, errors
        found = await uow.offers.by_external_ids([offer.external_id])
        existing = found[0] if found else None
        if offer_id is None and existing is not None:
            if existing.site_id != staff.site_id:
                return None, [_taken()]
            return None, [RowError.of(0, "external_id", "your site has an offer with this id")]
        await uow.offers.upsert_many([offer], clock.now(), site_id=staff.site_id)
        (saved,) = await uow.offers.by_external_ids([offer.external_id])
        await audit(uow, clock, staff, "console.offer.edit" if offer_id else "console.offer.add")
        await uow.commit()
    return saved, []


async def end_offer(
    uow_factory: UnitOfWorkFactory, clock: Clock, zone: ZoneInfo, *, staff: Staff, offer_id: int
) -> Offer:
    """End an offer yesterday, so that from today the chat's search no longer finds it
    (an earlier end date stays). The offer itself stays, for the list and the export."""
    require_coordinator(staff)
    yesterday = _today(clock, zone) - timedelta(days=1)
    async with uow_factory() as uow:
        offer = await _own(uow, staff, offer_id)
        if offer.ends_on is None or offer.ends_on > yesterday:
            offer = replace(offer, ends_on=yesterday)
            if offer.starts_on is not None and offer.starts_on > yesterday:
                offer = replace(offer, starts_on=yesterday)
            await uow.offers.upsert_many([offer], clock.now(), site_id=staff.site_id)
        await audit(uow, clock, staff, "console.offer.end")
        await uow.commit()
    return offer


def _changed_columns(old: Offer, new: Offer) -> tuple[str, ...]:
    before, after = offer_row(old), offer_row(new)
    return tuple(key for key in COLUMNS if before[key] != after[key])


async def _plan(uow: UnitOfWork, staff: Staff, name: str, data: bytes) -> Preview:
    read = read_file(name, data)
    errors = list(read.errors)
    existing = {
        o.external_id: o
        for o in await uow.offers.by_external_ids([o.external_id for _, o in read.rows])
    }
    rows: list[PreviewRow] = []
    for line, offer in read.rows:
        old = existing.get(offer.external_id)
        if old is None:
            rows.append(PreviewRow(line, offer, RowChange.NEW))
        elif old.site_id != staff.site_id:
            errors.append(replace(_taken(), line=line))
        else:
            columns = _changed_columns(old, offer)
            change = RowChange.CHANGED if columns else RowChange.UNCHANGED
            rows.append(PreviewRow(line, offer, change, columns))
    errors.sort(key=lambda e: e.line)
    plan = hashlib.sha256(data)
    for row in rows:
        plan.update(f"\n{row.line}:{row.offer.external_id}:{row.change.value}".encode())
    return Preview(rows, errors, check=plan.hexdigest())


async def preview_import(
    uow_factory: UnitOfWorkFactory,
    clock: Clock,
    *,
    staff: Staff,
    session_id: str,
    name: str,
    data: bytes,
) -> Preview:
    """What importing the file would do; nothing of the catalog is written. A file without
    errors is kept (for UPLOAD_TTL, for this session only) under the preview's `key`."""
    require_coordinator(staff)
    async with uow_factory() as uow:
        preview = await _plan(uow, staff, name, data)
        if preview.errors:
            return preview
        key = secrets.token_urlsafe(24)
        now = clock.now()
        await uow.console.drop_uploads(before=now - UPLOAD_TTL)
        await uow.console.add_upload(digest(key), digest(session_id), name[:200], data, now)
        await uow.commit()
    return replace(preview, key=key)


async def confirm_import(
    uow_factory: UnitOfWorkFactory,
    clock: Clock,
    *,
    staff: Staff,
    session_id: str,
    key: str,
    check: str,
) -> Preview:
    """Import the previewed file: exactly its rows, all or nothing. Raises StaleUploadError
    for an unknown, used, expired or another session's preview. When the catalog changed
    since the preview (the plan is not the one shown), nothing is written and the new
    preview is returned with a new key, to be confirmed again."""
    require_coordinator(staff)
    now = clock.now()
    async with uow_factory() as uow:
        await uow.console.drop_uploads(before=now - UPLOAD_TTL)  # expired ones first
        kept = await uow.console.upload(digest(key), digest(session_id))
        if kept is None:
            await uow.commit()
            raise StaleUploadError()
        name, data = kept
        preview = await _plan(uow, staff, name, data)
        if preview.errors or preview.check != check:
            await uow.console.drop_uploads(digest=digest(key), before=now - UPLOAD_TTL)
            await uow.commit()
            if preview.errors:
                return preview
            return await preview_import(
                uow_factory, clock, staff=staff, session_id=session_id, name=name, data=data
            )
        changed = [r.offer for r in preview.rows if r.change is not RowChange.UNCHANGED]
        if changed:
            await uow.offers.upsert_many(changed, now, site_id=staff.site_id)
        await uow.console.drop_uploads(digest=digest(key), before=now - UPLOAD_TTL)
        await audit(uow, clock, staff, "console.offers.import")
        await uow.commit()
    return replace(preview, key="")


async def export_site_offers(uow_factory: UnitOfWorkFactory, clock: Clock, *, staff: Staff) -> str:
    """The site's offers as the CLI's export writes them (spreadsheet-safe CSV)."""
    require_coordinator(staff)
    async with uow_factory() as uow:
        offers = await uow.offers.of_site(staff.site_id)
        await audit(uow, clock, staff, "console.offers.export")
        await uow.commit()
    return to_csv(offers)
