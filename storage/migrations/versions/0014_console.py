"""The web console (issue 20): one-time login links and sessions, stored as digests.

Create Date: 2026-12-08
"""

import sqlalchemy as sa
from alembic import op

from storage.migrations.columns import create_table_with_id, foreign_key, utc_column

revision = "0014"
down_revision = "0013"


def upgrade() -> None:
    create_table_with_id(
        "console_links",
        sa.Column("digest", sa.String(64), nullable=False),
        sa.Column("staff_id", sa.Integer(), nullable=False),
        utc_column("created_at"),
        utc_column("expires_at"),
        utc_column("used_at", nullable=True),
        foreign_key("console_links", "staff_id", "staff", "CASCADE"),
        sa.UniqueConstraint("digest", name="uq_console_links_digest"),
    )
    op.create_index("ix_console_links_staff_id", "console_links", ["staff_id"])
    create_table_with_id(
        "console_sessions",
        sa.Column("digest", sa.String(64), nullable=False),
        sa.Column("staff_id", sa.Integer(), nullable=False),
        utc_column("created_at"),
        utc_column("last_seen_at"),
        foreign_key("console_sessions", "staff_id", "staff", "CASCADE"),
        sa.UniqueConstraint("digest", name="uq_console_sessions_digest"),
    )
    op.create_index("ix_console_sessions_staff_id", "console_sessions", ["staff_id"])


def downgrade() -> None:
    op.drop_table("console_sessions")
    op.drop_table("console_links")
