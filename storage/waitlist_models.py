"""The waiting list (issue 22): wishes, freed times (a domain event) and the offers made
from them. Wishes go with their client (erasure), offers with their wish."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Date, ForeignKey, Index, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from storage.models import Base
from storage.types import UTCDateTime


class WishRow(Base):
    """A client waits for an earlier time: with whom (staff_id NULL: the site's), about
    what, how, which weekdays ("0,2,4"; empty: any) and part of day, until when."""

    __tablename__ = "waitlist_wishes"
    __table_args__ = (Index("ix_waitlist_wishes_status_site_id", "status", "site_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    client_id: Mapped[int] = mapped_column(ForeignKey("clients.id", ondelete="CASCADE"), index=True)
    site_id: Mapped[int] = mapped_column(ForeignKey("sites.id", ondelete="CASCADE"))
    staff_id: Mapped[int | None] = mapped_column(ForeignKey("staff.id", ondelete="SET NULL"))
    topic: Mapped[str] = mapped_column(String(32))
    mode: Mapped[str] = mapped_column(String(16))
    weekdays: Mapped[str] = mapped_column(String(16), default="")
    day_part: Mapped[str] = mapped_column(String(8), default="any")
    until: Mapped[date] = mapped_column(Date())
    status: Mapped[str] = mapped_column(String(16), default="waiting")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    ended_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    original_starts_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


class FreedTimeRow(Base):
    """Times of a staff member that may have come free, written in the transaction that
    freed them; the scheduler's tick turns them into offers and removes them."""

    __tablename__ = "waitlist_freed"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    staff_id: Mapped[int] = mapped_column(ForeignKey("staff.id", ondelete="CASCADE"))
    start: Mapped[datetime | None] = mapped_column(UTCDateTime())
    end: Mapped[datetime | None] = mapped_column(UTCDateTime())
    day: Mapped[date | None] = mapped_column(Date())
    #: When they came free: only wishes made before are offered them.
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())


class WaitOfferRow(Base):
    """A freed time offered to one wish, sent like a reminder (claimed with a lease).

    kind offer: pending -> sending -> sent -> taken | gone | expired; when someone else
    takes the time, a sent offer becomes kind gone, pending again: the client is told."""

    __tablename__ = "waitlist_offers"
    __table_args__ = (
        UniqueConstraint("wish_id", "staff_id", "starts_at"),
        Index("ix_waitlist_offers_status_due_at", "status", "due_at"),
        Index("ix_waitlist_offers_staff_id_starts_at", "staff_id", "starts_at"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    wish_id: Mapped[int] = mapped_column(ForeignKey("waitlist_wishes.id", ondelete="CASCADE"))
    staff_id: Mapped[int] = mapped_column(ForeignKey("staff.id", ondelete="CASCADE"))
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime())
    ends_at: Mapped[datetime] = mapped_column(UTCDateTime())
    kind: Mapped[str] = mapped_column(String(8), default="offer")
    status: Mapped[str] = mapped_column(String(16), default="pending")
    due_at: Mapped[datetime] = mapped_column(UTCDateTime())
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime())
    lease_until: Mapped[datetime | None] = mapped_column(UTCDateTime())
    claim_token: Mapped[str | None] = mapped_column(String(36))
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    answered_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


__all__ = ["FreedTimeRow", "WaitOfferRow", "WishRow"]
