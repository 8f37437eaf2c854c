"""One send rate for every process on the database (issue 17): the shared pace.

Create Date: 2026-12-07
"""

import sqlalchemy as sa
from alembic import op

revision = "0011"
down_revision = "0010"


def upgrade() -> None:
    op.create_table(
        "send_pace",
        sa.Column("name", sa.String(32), primary_key=True),
        sa.Column("next_at", sa.Float(precision=53), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("send_pace")
