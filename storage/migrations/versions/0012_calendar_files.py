"""Calendar files follow their appointment: a revision (the .ics SEQUENCE, raised by each
move and cancellation) and the last calendar file sent to the client (its message id and
when), so that a newer file can replace it in the chat.

Create Date: 2026-12-14
"""

import sqlalchemy as sa
from alembic import op

from storage.migrations.columns import utc_column

revision = "0012"
down_revision = "0011"


def upgrade() -> None:
    with op.batch_alter_table("appointments") as batch:
        batch.add_column(sa.Column("revision", sa.Integer(), nullable=False, server_default="0"))
        batch.add_column(sa.Column("calendar_message_id", sa.BigInteger(), nullable=True))
        batch.add_column(utc_column("calendar_sent_at", nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("appointments") as batch:
        batch.drop_column("calendar_sent_at")
        batch.drop_column("calendar_message_id")
        batch.drop_column("revision")
