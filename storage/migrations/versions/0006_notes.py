"""Case notes (encrypted bodies), earlier versions, audit log, deputies, message removals.

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-25
"""

import sqlalchemy as sa
from alembic import op

import storage.crypto
import storage.types

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "notes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("client_id", sa.Integer(), nullable=False),
        sa.Column("author_id", sa.Integer(), nullable=False),
        sa.Column("appointment_id", sa.Integer(), nullable=True),
        sa.Column("life_areas", sa.String(200), nullable=False),
        sa.Column("phase", sa.String(16), nullable=True),
        sa.Column("body", storage.crypto.EncryptedText(), nullable=False),
        sa.Column("created_at", storage.types.UTCDateTime(), nullable=False),
        sa.Column("updated_at", storage.types.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["client_id"], ["clients.id"], name="fk_notes_client_id_clients", ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["author_id"], ["staff.id"], name="fk_notes_author_id_staff", ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["appointment_id"], ["appointments.id"],
            name="fk_notes_appointment_id_appointments", ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name="pk_notes"),
    )
    op.create_index("ix_notes_author_id", "notes", ["author_id"])
    op.create_index("ix_notes_client_id_created_at", "notes", ["client_id", "created_at"])
    op.create_table(
        "note_versions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("note_id", sa.Integer(), nullable=False),
        sa.Column("life_areas", sa.String(200), nullable=False),
        sa.Column("phase", sa.String(16), nullable=True),
        sa.Column("body", storage.crypto.EncryptedText(), nullable=False),
        sa.Column("written_at", storage.types.UTCDateTime(), nullable=False),
        sa.Column("replaced_at", storage.types.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["note_id"], ["notes.id"], name="fk_note_versions_note_id_notes", ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name="pk_note_versions"),
    )
    op.create_index("ix_note_versions_note_id", "note_versions", ["note_id"])
    op.create_table(
        "audit_log",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("at", storage.types.UTCDateTime(), nullable=False),
        sa.Column("staff_id", sa.Integer(), nullable=True),
        sa.Column("site_id", sa.Integer(), nullable=True),
        sa.Column("action", sa.String(32), nullable=False),
        sa.Column("client_id", sa.Integer(), nullable=True),
        sa.Column("note_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["staff_id"], ["staff.id"], name="fk_audit_log_staff_id_staff", ondelete="SET NULL"
        ),
        sa.ForeignKeyConstraint(
            ["site_id"], ["sites.id"], name="fk_audit_log_site_id_sites", ondelete="SET NULL"
        ),
        sa.ForeignKeyConstraint(
            ["client_id"], ["clients.id"], name="fk_audit_log_client_id_clients",
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name="pk_audit_log"),
    )
    op.create_index("ix_audit_log_at", "audit_log", ["at"])
    op.create_index("ix_audit_log_site_id", "audit_log", ["site_id"])
    op.create_index("ix_audit_log_client_id", "audit_log", ["client_id"])
    op.create_table(
        "deputies",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("staff_id", sa.Integer(), nullable=False),
        sa.Column("deputy_id", sa.Integer(), nullable=False),
        sa.Column("starts_on", sa.Date(), nullable=False),
        sa.Column("ends_on", sa.Date(), nullable=False),
        sa.Column("created_at", storage.types.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["staff_id"], ["staff.id"], name="fk_deputies_staff_id_staff", ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["deputy_id"], ["staff.id"], name="fk_deputies_deputy_id_staff", ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name="pk_deputies"),
    )
    op.create_index("ix_deputies_staff_id", "deputies", ["staff_id"])
    op.create_index("ix_deputies_deputy_id", "deputies", ["deputy_id"])
    op.create_table(
        "message_deletions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("chat_id", sa.BigInteger(), nullable=False),
        sa.Column("message_id", sa.BigInteger(), nullable=False),
        sa.Column("delete_at", storage.types.UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_message_deletions"),
    )
    op.create_index("ix_message_deletions_delete_at", "message_deletions", ["delete_at"])


def downgrade() -> None:
    op.drop_table("message_deletions")
    op.drop_table("deputies")
    op.drop_table("audit_log")
    op.drop_table("note_versions")
    op.drop_table("notes")
