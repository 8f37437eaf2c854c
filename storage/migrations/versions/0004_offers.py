"""Offers catalog with full-text search.

SQLite: an FTS5 table with the trigram tokenizer (substring matches, so a stemmed
query term finds every word form), kept in step by triggers. PostgreSQL: a GIN index
on a weighted tsvector (title A, municipality B, provider C, description D).

Create Date: 2026-11-25
"""

import sqlalchemy as sa
from alembic import op

from storage.migrations.columns import create_table_with_id, utc_column

revision = "0004"
down_revision = "0003"

PG_VECTOR = (
    "setweight(to_tsvector('simple', coalesce(title, '')), 'A') || "
    "setweight(to_tsvector('simple', coalesce(municipality, '')), 'B') || "
    "setweight(to_tsvector('simple', coalesce(provider, '')), 'C') || "
    "setweight(to_tsvector('simple', coalesce(description, '')), 'D')"
)


def upgrade() -> None:
    create_table_with_id(
        "offers",
        sa.Column("external_id", sa.String(100), nullable=False),
        sa.Column("title", sa.String(200), nullable=False),
        sa.Column("provider", sa.String(200), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("life_areas", sa.String(200), nullable=False),
        sa.Column("diaa_module", sa.Integer(), nullable=True),
        sa.Column("municipality", sa.String(100), nullable=False),
        sa.Column("address", sa.String(300), nullable=False),
        sa.Column("postcode", sa.String(10), nullable=False),
        sa.Column("latitude", sa.Float(), nullable=True),
        sa.Column("longitude", sa.Float(), nullable=True),
        sa.Column("languages", sa.String(200), nullable=False),
        sa.Column("eligible_statuses", sa.String(100), nullable=False),
        sa.Column("min_age", sa.Integer(), nullable=True),
        sa.Column("max_age", sa.Integer(), nullable=True),
        sa.Column("cost", sa.String(200), nullable=False),
        sa.Column("phone", sa.String(50), nullable=False),
        sa.Column("email", sa.String(200), nullable=False),
        sa.Column("website", sa.String(500), nullable=False),
        sa.Column("opening_hours", sa.String(300), nullable=False),
        sa.Column("starts_on", sa.Date(), nullable=True),
        sa.Column("ends_on", sa.Date(), nullable=True),
        sa.Column("appointment_needed", sa.Boolean(), nullable=True),
        sa.Column("accessible", sa.Boolean(), nullable=True),
        sa.Column("last_checked", sa.Date(), nullable=True),
        utc_column("flagged_at", nullable=True),
        utc_column("updated_at"),
        sa.UniqueConstraint("external_id", name="uq_offers_external_id"),
    )
    op.create_index("ix_offers_municipality", "offers", ["municipality"])
    if op.get_bind().dialect.name == "sqlite":
        op.execute(
            "CREATE VIRTUAL TABLE offers_fts USING fts5("
            "title, municipality, provider, description, "
            "content='offers', content_rowid='id', tokenize='trigram')"
        )
        op.execute(
            "CREATE TRIGGER offers_ai AFTER INSERT ON offers BEGIN "
            "INSERT INTO offers_fts(rowid, title, municipality, provider, description) "
            "VALUES (new.id, new.title, new.municipality, new.provider, new.description); END"
        )
        op.execute(
            "CREATE TRIGGER offers_ad AFTER DELETE ON offers BEGIN "
            "INSERT INTO offers_fts(offers_fts, rowid, title, municipality, provider, description) "
            "VALUES ('delete', old.id, old.title, old.municipality, old.provider, old.description); END"
        )
        op.execute(
            "CREATE TRIGGER offers_au AFTER UPDATE ON offers BEGIN "
            "INSERT INTO offers_fts(offers_fts, rowid, title, municipality, provider, description) "
            "VALUES ('delete', old.id, old.title, old.municipality, old.provider, old.description); "
            "INSERT INTO offers_fts(rowid, title, municipality, provider, description) "
            "VALUES (new.id, new.title, new.municipality, new.provider, new.description); END"
        )
    else:
        op.execute(f"CREATE INDEX ix_offers_search ON offers USING gin (({PG_VECTOR}))")


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        op.execute("DROP TABLE IF EXISTS offers_fts")
    op.drop_table("offers")
