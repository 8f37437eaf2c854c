"""The console's offers pages (issue 20): offers kept by a site, and uploaded offers files
awaiting the confirmation of their import.

`offers.site_id` is NULL for every existing offer (the shared catalog of `offers import`),
so their search terms of migration 0007 stay as they are; an offer a site keeps gets the
site's facet token when it is written.

Create Date: 2026-12-10
"""

import sqlalchemy as sa
from alembic import op

from storage.migrations.columns import create_table_with_id, utc_column

revision = "0017"
down_revision = "0016"


def upgrade() -> None:
    op.add_column("offers", sa.Column("site_id", sa.Integer(), nullable=True))
    op.create_index("ix_offers_site_id_municipality", "offers", ["site_id", "municipality"])
    create_table_with_id(
        "console_uploads",
        sa.Column("digest", sa.String(64), nullable=False),
        sa.Column("session_digest", sa.String(64), nullable=False),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("data", sa.LargeBinary(), nullable=False),
        utc_column("created_at"),
        sa.UniqueConstraint("digest", name="uq_console_uploads_digest"),
    )
    op.create_index("ix_console_uploads_created_at", "console_uploads", ["created_at"])


def downgrade() -> None:
    op.drop_table("console_uploads")
    op.drop_index("ix_offers_site_id_municipality", table_name="offers")
    with op.batch_alter_table("offers") as batch:
        batch.drop_column("site_id")
