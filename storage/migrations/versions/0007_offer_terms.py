"""Offer search on word suffixes with facet tokens (both databases).

SQLite: the trigram FTS5 table and its triggers give way to a contentless FTS5
table `offers_terms` (title, body, facets) written by the repository.
PostgreSQL: the generated `search_vector` column gives way to a narrow side table
`offer_search` (terms and title_terms as tsvector, facets as text[], GIN indexes)
written by the repository (the suffixes are computed in Python).
Counting and filtering then stay inside the index (see bot/offers_search.py).

Create Date: 2026-11-25
"""

from collections.abc import Iterator

import sqlalchemy as sa
from alembic import op

from bot.offers_search import index_texts
from storage.offer_search import pg_terms

revision = "0007"
down_revision = "0006"

SQLITE_TABLE = (
    "CREATE VIRTUAL TABLE offers_terms USING fts5("
    "title, body, facets, content='', columnsize=0, detail='column', tokenize='unicode61')"
)
PG_INDEX = "INSERT INTO offer_search (offer_id, terms) VALUES (:id, to_tsvector('simple', :v))"


def _rows(bind: sa.Connection) -> Iterator[tuple[int, tuple[str, str, str]]]:
    result = bind.execute(
        sa.text(
            "SELECT id, title, municipality, provider, description, life_areas, languages, "
            "eligible_statuses, ends_on FROM offers"
        )
    )
    for row in result:
        yield row.id, index_texts(
            title=row.title,
            municipality=row.municipality,
            provider=row.provider,
            description=row.description or "",
            life_areas=[x for x in row.life_areas.split(";") if x],
            languages=[x for x in row.languages.split(";") if x],
            statuses=[x for x in row.eligible_statuses.split(";") if x],
            has_end=row.ends_on is not None,
        )


def upgrade() -> None:
    bind = op.get_bind()
    if bind.dialect.name == "sqlite":
        for trigger in ("offers_ai", "offers_ad", "offers_au"):
            op.execute(f"DROP TRIGGER IF EXISTS {trigger}")
        op.execute("DROP TABLE IF EXISTS offers_fts")
        op.execute(SQLITE_TABLE)
        rows = [{"id": i, "t": t, "b": b, "f": f} for i, (t, b, f) in _rows(bind)]
        if rows:
            bind.execute(
                sa.text(
                    "INSERT INTO offers_terms(rowid, title, body, facets) VALUES (:id, :t, :b, :f)"
                ),
                rows,
            )
    else:
        op.execute("DROP INDEX IF EXISTS ix_offers_search")
        op.execute("ALTER TABLE offers DROP COLUMN IF EXISTS search_vector")
        # Narrow rows, vectors out of line: counting visits few heap blocks.
        op.execute(
            "CREATE TABLE offer_search ("
            "offer_id integer PRIMARY KEY REFERENCES offers (id) ON DELETE CASCADE, "
            "terms tsvector NOT NULL) WITH (toast_tuple_target = 128)"
        )
        op.execute("ALTER TABLE offer_search ALTER COLUMN terms SET STORAGE EXTERNAL")
        rows = [{"id": i, "v": pg_terms(t, b, f)} for i, (t, b, f) in _rows(bind)]
        if rows:
            bind.execute(sa.text(PG_INDEX), rows)
        op.execute("CREATE INDEX offer_search_terms ON offer_search USING gin (terms)")
    op.create_index("ix_offers_ends_on", "offers", ["ends_on"])


def downgrade() -> None:
    op.drop_index("ix_offers_ends_on", "offers")
    # Back to revision 0006 means rebuilding its search structures; not supported in place.
    raise NotImplementedError("downgrade below 0007: restore a backup instead")
