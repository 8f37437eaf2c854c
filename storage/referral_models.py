"""Referrals (offers sent to clients, and the one follow-up question about each) and the
flags raised to a site's coordinator about offers clients could not use (issue 22)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from storage.models import Base
from storage.types import UTCDateTime


class ReferralRow(Base):
    """An offer sent to a client. Its follow-up question is a schedule row like a reminder:
    status pending -> sending (claimed, with a lease) -> asked; or off, skipped, failed,
    expired (bot.referrals.FollowupStatus). Goes with the client (erasure)."""

    __tablename__ = "referrals"
    __table_args__ = (Index("ix_referrals_status_due_at", "status", "due_at"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    client_id: Mapped[int] = mapped_column(ForeignKey("clients.id", ondelete="CASCADE"), index=True)
    offer_id: Mapped[int | None] = mapped_column(
        ForeignKey("offers.id", ondelete="SET NULL"), index=True
    )
    staff_id: Mapped[int | None] = mapped_column(
        ForeignKey("staff.id", ondelete="SET NULL"), index=True
    )
    site_id: Mapped[int | None] = mapped_column(ForeignKey("sites.id", ondelete="SET NULL"))
    #: The offer's title and life areas when it was sent (public catalog data).
    offer_title: Mapped[str] = mapped_column(String(200))
    life_areas: Mapped[str] = mapped_column(String(200))
    sent_at: Mapped[datetime] = mapped_column(UTCDateTime())
    status: Mapped[str] = mapped_column(String(16))
    due_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    lease_until: Mapped[datetime | None] = mapped_column(UTCDateTime())
    claim_token: Mapped[str | None] = mapped_column(String(36))
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    asked_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    answer: Mapped[str | None] = mapped_column(String(16))
    reason: Mapped[str | None] = mapped_column(String(16))
    answered_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    #: When the case manager saw the answer (the agenda's "follow-ups" line).
    seen_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


class ReferralFlagRow(Base):
    """An offer that clients of a site often could not use for one reason, raised to the
    site's coordinator once (again only after the counting window has passed)."""

    __tablename__ = "referral_flags"
    __table_args__ = (UniqueConstraint("offer_id", "site_id", "reason"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    offer_id: Mapped[int] = mapped_column(ForeignKey("offers.id", ondelete="CASCADE"))
    site_id: Mapped[int] = mapped_column(ForeignKey("sites.id", ondelete="CASCADE"), index=True)
    reason: Mapped[str] = mapped_column(String(16))
    flagged_at: Mapped[datetime] = mapped_column(UTCDateTime())


__all__ = ["ReferralFlagRow", "ReferralRow"]
