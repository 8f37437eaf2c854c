"""Referrals and their follow-up (issue 22): offers sent to clients, the one question
about each, flags to the coordinator, and the client's "no such questions".

Create Date: 2026-12-09
"""

import sqlalchemy as sa
from alembic import op

from storage.migrations.columns import create_table_with_id, foreign_key, utc_column

revision = "0016"
down_revision = "0015"


def upgrade() -> None:
    with op.batch_alter_table("clients") as batch:
        batch.add_column(utc_column("followups_off_at", nullable=True))
    create_table_with_id(
        "referrals",
        sa.Column("client_id", sa.Integer(), nullable=False),
        sa.Column("offer_id", sa.Integer(), nullable=True),
        sa.Column("staff_id", sa.Integer(), nullable=True),
        sa.Column("site_id", sa.Integer(), nullable=True),
        sa.Column("offer_title", sa.String(200), nullable=False),
        sa.Column("life_areas", sa.String(200), nullable=False),
        utc_column("sent_at"),
        sa.Column("status", sa.String(16), nullable=False),
        utc_column("due_at", nullable=True),
        utc_column("lease_until", nullable=True),
        sa.Column("claim_token", sa.String(36), nullable=True),
        sa.Column("attempts", sa.Integer(), nullable=False),
        utc_column("asked_at", nullable=True),
        sa.Column("answer", sa.String(16), nullable=True),
        sa.Column("reason", sa.String(16), nullable=True),
        utc_column("answered_at", nullable=True),
        utc_column("seen_at", nullable=True),
        foreign_key("referrals", "client_id", "clients", "CASCADE"),
        foreign_key("referrals", "offer_id", "offers", "SET NULL"),
        foreign_key("referrals", "staff_id", "staff", "SET NULL"),
        foreign_key("referrals", "site_id", "sites", "SET NULL"),
    )
    op.create_index("ix_referrals_client_id", "referrals", ["client_id"])
    op.create_index("ix_referrals_offer_id", "referrals", ["offer_id"])
    op.create_index("ix_referrals_staff_id", "referrals", ["staff_id"])
    op.create_index("ix_referrals_status_due_at", "referrals", ["status", "due_at"])
    create_table_with_id(
        "referral_flags",
        sa.Column("offer_id", sa.Integer(), nullable=False),
        sa.Column("site_id", sa.Integer(), nullable=False),
        sa.Column("reason", sa.String(16), nullable=False),
        utc_column("flagged_at"),
        foreign_key("referral_flags", "offer_id", "offers", "CASCADE"),
        foreign_key("referral_flags", "site_id", "sites", "CASCADE"),
        sa.UniqueConstraint("offer_id", "site_id", "reason", name="uq_referral_flags_offer_id"),
    )
    op.create_index("ix_referral_flags_site_id", "referral_flags", ["site_id"])


def downgrade() -> None:
    op.drop_table("referral_flags")
    op.drop_table("referrals")
    with op.batch_alter_table("clients") as batch:
        batch.drop_column("followups_off_at")
