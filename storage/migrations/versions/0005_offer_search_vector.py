"""PostgreSQL: keep the weighted search vector in a stored generated column.

Ranking then reads the stored vector instead of building it again for every matching
row. SQLite keeps its FTS5 table (nothing to do there).

Create Date: 2026-11-25
"""

from alembic import op

revision = "0005"
down_revision = "0004"

PG_VECTOR = (
    "setweight(to_tsvector('simple', coalesce(title, '')), 'A') || "
    "setweight(to_tsvector('simple', coalesce(municipality, '')), 'B') || "
    "setweight(to_tsvector('simple', coalesce(provider, '')), 'C') || "
    "setweight(to_tsvector('simple', coalesce(description, '')), 'D')"
)


def upgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute("DROP INDEX IF EXISTS ix_offers_search")
    op.execute(
        f"ALTER TABLE offers ADD COLUMN search_vector tsvector GENERATED ALWAYS AS ({PG_VECTOR}) STORED"
    )
    op.execute("CREATE INDEX ix_offers_search ON offers USING gin (search_vector)")


def downgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute("DROP INDEX IF EXISTS ix_offers_search")
    op.execute("ALTER TABLE offers DROP COLUMN search_vector")
    op.execute(f"CREATE INDEX ix_offers_search ON offers USING gin (({PG_VECTOR}))")
