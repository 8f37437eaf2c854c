"""SQLAlchemy models. Changes here need an Alembic migration (storage/migrations)."""

from __future__ import annotations

from datetime import date, datetime, time
from typing import Any

from sqlalchemy import (
    BigInteger,
    Boolean,
    Date,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Text,
    Time,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from storage.crypto import EncryptedJSON
from storage.types import UTCDateTime

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)


class SiteRow(Base):
    __tablename__ = "sites"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    slug: Mapped[str] = mapped_column(String(64), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(16))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())


class StaffRow(Base):
    __tablename__ = "staff"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    site_id: Mapped[int] = mapped_column(ForeignKey("sites.id", ondelete="RESTRICT"), index=True)
    telegram_user_id: Mapped[int | None] = mapped_column(BigInteger, unique=True)
    role: Mapped[str] = mapped_column(String(16))
    locale: Mapped[str] = mapped_column(String(16), default="de")
    languages: Mapped[str] = mapped_column(String(200), default="")
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    display_name: Mapped[str] = mapped_column(String(100), default="")


class ClientRow(Base):
    __tablename__ = "clients"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    telegram_user_id: Mapped[int] = mapped_column(BigInteger, unique=True)
    chat_id: Mapped[int] = mapped_column(BigInteger)
    locale: Mapped[str] = mapped_column(String(16))
    start_code: Mapped[str | None] = mapped_column(String(64))
    consent_version: Mapped[str | None] = mapped_column(String(32))
    consented_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    site_id: Mapped[int | None] = mapped_column(
        ForeignKey("sites.id", ondelete="SET NULL"), index=True
    )
    case_manager_id: Mapped[int | None] = mapped_column(
        ForeignKey("staff.id", ondelete="SET NULL"), index=True
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    nickname: Mapped[str | None] = mapped_column(String(100))
    phone: Mapped[str | None] = mapped_column(String(32))
    #: Set when Telegram said the client blocked the bot; their case manager is told once.
    unreachable_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    #: Last update from the client (at most daily): inactive clients are erased in time.
    last_seen_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    #: When their case manager was warned of the coming erasure (once).
    retention_warned_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    #: "I don't want these questions": no follow-up of offers sent (bot.referrals).
    followups_off_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    #: "No announcements" (/privacy): announcements (issue 23) pass this client by.
    announcements_off_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


class WeeklyHoursRow(Base):
    __tablename__ = "weekly_hours"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    staff_id: Mapped[int] = mapped_column(ForeignKey("staff.id", ondelete="CASCADE"), index=True)
    weekday: Mapped[int] = mapped_column(Integer)
    start: Mapped[time] = mapped_column(Time())
    end: Mapped[time] = mapped_column(Time())
    slot_minutes: Mapped[int] = mapped_column(Integer)
    mode: Mapped[str] = mapped_column(String(16))
    address: Mapped[str | None] = mapped_column(String(300))


class DayOffRow(Base):
    __tablename__ = "days_off"
    __table_args__ = (UniqueConstraint("staff_id", "day"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    staff_id: Mapped[int] = mapped_column(ForeignKey("staff.id", ondelete="CASCADE"))
    day: Mapped[date] = mapped_column(Date())


class AppointmentRow(Base):
    """One appointment. The partial unique index makes double booking impossible."""

    __tablename__ = "appointments"
    __table_args__ = (
        Index(
            "uq_appointments_booked_slot",
            "staff_id",
            "starts_at",
            unique=True,
            sqlite_where=text("status = 'booked'"),
            postgresql_where=text("status = 'booked'"),
        ),
        # Every status, for the agenda and the console's week (migration 0015).
        Index("ix_appointments_staff_starts", "staff_id", "starts_at"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    client_id: Mapped[int] = mapped_column(ForeignKey("clients.id", ondelete="CASCADE"), index=True)
    staff_id: Mapped[int] = mapped_column(ForeignKey("staff.id", ondelete="RESTRICT"), index=True)
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime(), index=True)
    ends_at: Mapped[datetime] = mapped_column(UTCDateTime())
    mode: Mapped[str] = mapped_column(String(16))
    topic: Mapped[str] = mapped_column(String(32))
    address: Mapped[str | None] = mapped_column(String(300))
    interpreter: Mapped[str | None] = mapped_column(String(16))
    status: Mapped[str] = mapped_column(String(16), default="booked")
    booked_by: Mapped[str] = mapped_column(String(16), default="client")
    cancel_reason: Mapped[str | None] = mapped_column(String(32))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime())
    #: The client tapped "I'll come" on a reminder.
    confirmed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    #: Changes of time or status: the SEQUENCE of the calendar file (bot.domain.Appointment).
    revision: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    #: The last calendar file sent for it (a Telegram message id in the client's chat).
    calendar_message_id: Mapped[int | None] = mapped_column(BigInteger)
    calendar_sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


class ReminderRow(Base):
    """The schedule is the database: one row per appointment and offset.

    status: pending -> sending (claimed, with a lease) -> sent | skipped | failed;
    cancelled with the appointment.
    """

    __tablename__ = "reminders"
    __table_args__ = (
        UniqueConstraint("appointment_id", "kind"),
        Index("ix_reminders_status_due_at", "status", "due_at"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    appointment_id: Mapped[int] = mapped_column(ForeignKey("appointments.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(16))
    due_at: Mapped[datetime] = mapped_column(UTCDateTime())
    status: Mapped[str] = mapped_column(String(16), default="pending")
    lease_until: Mapped[datetime | None] = mapped_column(UTCDateTime())
    claim_token: Mapped[str | None] = mapped_column(String(36))
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())


class DigestRow(Base):
    """A case manager's daily agenda, sent once per day."""

    __tablename__ = "staff_digests"
    __table_args__ = (UniqueConstraint("staff_id", "day"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    staff_id: Mapped[int] = mapped_column(ForeignKey("staff.id", ondelete="CASCADE"))
    day: Mapped[date] = mapped_column(Date())
    sent_at: Mapped[datetime] = mapped_column(UTCDateTime())


class SendPaceRow(Base):
    """The shared send rate (storage/send_pace.py): when the next message may go out,
    in seconds since the epoch, for every process on this database."""

    __tablename__ = "send_pace"

    name: Mapped[str] = mapped_column(String(32), primary_key=True)
    next_at: Mapped[float] = mapped_column(Float(precision=53))


class StaffInviteRow(Base):
    __tablename__ = "staff_invites"

    code: Mapped[str] = mapped_column(String(64), primary_key=True)
    site_id: Mapped[int] = mapped_column(ForeignKey("sites.id", ondelete="CASCADE"))
    role: Mapped[str] = mapped_column(String(16))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime())
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    used_by_staff_id: Mapped[int | None] = mapped_column(
        ForeignKey("staff.id", ondelete="SET NULL")
    )


class ClientInviteRow(Base):
    """A case manager's personal invite: links the client who opens it, under a nickname."""

    __tablename__ = "client_invites"

    code: Mapped[str] = mapped_column(String(64), primary_key=True)
    site_id: Mapped[int] = mapped_column(ForeignKey("sites.id", ondelete="CASCADE"))
    staff_id: Mapped[int] = mapped_column(ForeignKey("staff.id", ondelete="CASCADE"), index=True)
    nickname: Mapped[str] = mapped_column(String(100))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime())
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


class OfferRow(Base):
    """The offers catalog. Lists are ';'-joined. The search index is made in migration 0007
    and written by the repository: SQLite the FTS5 table `offers_terms`, PostgreSQL the
    tsvector column `search_vector` (not mapped here) with a GIN index."""

    __tablename__ = "offers"
    __table_args__ = (Index("ix_offers_site_id_municipality", "site_id", "municipality"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    external_id: Mapped[str] = mapped_column(String(100), unique=True)
    title: Mapped[str] = mapped_column(String(200))
    provider: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")
    life_areas: Mapped[str] = mapped_column(String(200))
    diaa_module: Mapped[int | None] = mapped_column(Integer)
    municipality: Mapped[str] = mapped_column(String(100), index=True)
    address: Mapped[str] = mapped_column(String(300), default="")
    postcode: Mapped[str] = mapped_column(String(10), default="")
    latitude: Mapped[float | None] = mapped_column(Float)
    longitude: Mapped[float | None] = mapped_column(Float)
    languages: Mapped[str] = mapped_column(String(200), default="")
    eligible_statuses: Mapped[str] = mapped_column(String(100), default="")
    min_age: Mapped[int | None] = mapped_column(Integer)
    max_age: Mapped[int | None] = mapped_column(Integer)
    cost: Mapped[str] = mapped_column(String(200), default="")
    phone: Mapped[str] = mapped_column(String(50), default="")
    email: Mapped[str] = mapped_column(String(200), default="")
    website: Mapped[str] = mapped_column(String(500), default="")
    opening_hours: Mapped[str] = mapped_column(String(300), default="")
    starts_on: Mapped[date | None] = mapped_column(Date())
    ends_on: Mapped[date | None] = mapped_column(Date(), index=True)
    appointment_needed: Mapped[bool | None] = mapped_column(Boolean)
    accessible: Mapped[bool | None] = mapped_column(Boolean)
    last_checked: Mapped[date | None] = mapped_column(Date())
    #: The site that keeps it (the console); NULL: the shared catalog (`offers import`).
    #: No foreign key: sites are never deleted, and SQLite cannot add one to a table.
    site_id: Mapped[int | None] = mapped_column(Integer)
    #: When the site's coordinator was last told that this offer needs a look.
    flagged_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime())


class ProcessedUpdateRow(Base):
    """Update ids already handled, so a redelivered update is handled once."""

    __tablename__ = "processed_updates"
    __table_args__ = (UniqueConstraint("bot_id", "update_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    bot_id: Mapped[int] = mapped_column(BigInteger)
    update_id: Mapped[int] = mapped_column(BigInteger)
    received_at: Mapped[datetime] = mapped_column(UTCDateTime(), index=True)


class ConversationRow(Base):
    """aiogram FSM state and data per storage key (survives restarts)."""

    __tablename__ = "conversations"

    key: Mapped[str] = mapped_column(String(200), primary_key=True)
    telegram_user_id: Mapped[int] = mapped_column(BigInteger, index=True)
    state: Mapped[str | None] = mapped_column(String(200))
    #: Encrypted with the notes key (storage.crypto.EncryptedJSON): never plain text.
    data: Mapped[dict[str, Any]] = mapped_column(EncryptedJSON(), default=dict)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime())


__all__ = [
    "AppointmentRow",
    "Base",
    "ClientInviteRow",
    "ClientRow",
    "ConversationRow",
    "DayOffRow",
    "DigestRow",
    "OfferRow",
    "ReminderRow",
    "ProcessedUpdateRow",
    "SiteRow",
    "StaffInviteRow",
    "StaffRow",
    "WeeklyHoursRow",
]
