"""A site's own ready replies (issue 23, item 2), and answers sent later (item 3): an
outbox of case managers' answers to clients, claimed with a lease like reminders. The
typed text and a ready reply's filled values are encrypted at rest."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from storage.crypto import EncryptedText
from storage.models import Base
from storage.types import UTCDateTime


class LaterAnswerRow(Base):
    """pending -> sending -> sent | failed; pending -> cancelled (by its author)."""

    __tablename__ = "later_answers"
    __table_args__ = (
        Index("ix_later_answers_status_due_at", "status", "due_at"),
        Index("ix_later_answers_staff_id_status", "staff_id", "status"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    staff_id: Mapped[int] = mapped_column(ForeignKey("staff.id", ondelete="CASCADE"))
    client_id: Mapped[int] = mapped_column(ForeignKey("clients.id", ondelete="CASCADE"), index=True)
    text: Mapped[str | None] = mapped_column(EncryptedText())
    reply_key: Mapped[str | None] = mapped_column(String(32))
    reply_values: Mapped[str | None] = mapped_column(EncryptedText())  # JSON
    status: Mapped[str] = mapped_column(String(16), default="pending")
    due_at: Mapped[datetime] = mapped_column(UTCDateTime())
    lease_until: Mapped[datetime | None] = mapped_column(UTCDateTime())
    claim_token: Mapped[str | None] = mapped_column(String(36))
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    ended_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


class SiteReplyRow(Base):
    """A site's own ready reply: its texts per locale (JSON), German always filled."""

    __tablename__ = "site_ready_replies"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    site_id: Mapped[int] = mapped_column(ForeignKey("sites.id", ondelete="CASCADE"), index=True)
    texts: Mapped[str] = mapped_column(Text())
    created_by: Mapped[int | None] = mapped_column(ForeignKey("staff.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())


__all__ = ["LaterAnswerRow", "SiteReplyRow"]
