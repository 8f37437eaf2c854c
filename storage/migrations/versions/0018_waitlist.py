"""The waiting list (issue 22): wishes, freed times and the offers made from them.

Create Date: 2026-12-09
"""

import sqlalchemy as sa
from alembic import op

from storage.migrations.columns import create_table_with_id, foreign_key, utc_column

revision = "0018"
down_revision = "0017"


def upgrade() -> None:
    create_table_with_id(
        "waitlist_wishes",
        sa.Column("client_id", sa.Integer(), nullable=False),
        sa.Column("site_id", sa.Integer(), nullable=False),
        sa.Column("staff_id", sa.Integer(), nullable=True),
        sa.Column("topic", sa.String(32), nullable=False),
        sa.Column("mode", sa.String(16), nullable=False),
        sa.Column("weekdays", sa.String(16), nullable=False),
        sa.Column("day_part", sa.String(8), nullable=False),
        sa.Column("until", sa.Date(), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        utc_column("created_at"),
        utc_column("ended_at", nullable=True),
        utc_column("original_starts_at", nullable=True),
        foreign_key("waitlist_wishes", "client_id", "clients", "CASCADE"),
        foreign_key("waitlist_wishes", "site_id", "sites", "CASCADE"),
        foreign_key("waitlist_wishes", "staff_id", "staff", "SET NULL"),
    )
    op.create_index("ix_waitlist_wishes_client_id", "waitlist_wishes", ["client_id"])
    op.create_index("ix_waitlist_wishes_status_site_id", "waitlist_wishes", ["status", "site_id"])
    create_table_with_id(
        "waitlist_freed",
        sa.Column("staff_id", sa.Integer(), nullable=False),
        utc_column("start", nullable=True),
        utc_column("end", nullable=True),
        sa.Column("day", sa.Date(), nullable=True),
        utc_column("created_at"),
        foreign_key("waitlist_freed", "staff_id", "staff", "CASCADE"),
    )
    create_table_with_id(
        "waitlist_offers",
        sa.Column("wish_id", sa.Integer(), nullable=False),
        sa.Column("staff_id", sa.Integer(), nullable=False),
        utc_column("starts_at"),
        utc_column("ends_at"),
        sa.Column("kind", sa.String(8), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        utc_column("due_at"),
        utc_column("expires_at"),
        utc_column("lease_until", nullable=True),
        sa.Column("claim_token", sa.String(36), nullable=True),
        sa.Column("attempts", sa.Integer(), nullable=False),
        utc_column("sent_at", nullable=True),
        utc_column("created_at"),
        utc_column("answered_at", nullable=True),
        foreign_key("waitlist_offers", "wish_id", "waitlist_wishes", "CASCADE"),
        foreign_key("waitlist_offers", "staff_id", "staff", "CASCADE"),
        sa.UniqueConstraint("wish_id", "staff_id", "starts_at", name="uq_waitlist_offers_wish_id"),
    )
    op.create_index("ix_waitlist_offers_status_due_at", "waitlist_offers", ["status", "due_at"])
    op.create_index(
        "ix_waitlist_offers_staff_id_starts_at", "waitlist_offers", ["staff_id", "starts_at"]
    )


def downgrade() -> None:
    op.drop_table("waitlist_offers")
    op.drop_table("waitlist_freed")
    op.drop_table("waitlist_wishes")
