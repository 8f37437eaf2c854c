"""Case notes, their earlier versions, the audit log, deputies, messages to remove.

Note bodies are `EncryptedText`: only Fernet tokens reach the database.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import BigInteger, Date, ForeignKey, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from storage.crypto import EncryptedText
from storage.models import Base
from storage.types import UTCDateTime


class NoteRow(Base):
    __tablename__ = "notes"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    #: NULL once the client erased their data and notes are kept anonymised (no text).
    client_id: Mapped[int | None] = mapped_column(ForeignKey("clients.id", ondelete="CASCADE"))
    author_id: Mapped[int] = mapped_column(ForeignKey("staff.id", ondelete="CASCADE"), index=True)
    appointment_id: Mapped[int | None] = mapped_column(
        ForeignKey("appointments.id", ondelete="SET NULL")
    )
    life_areas: Mapped[str] = mapped_column(String(200))
    phase: Mapped[str | None] = mapped_column(String(16))
    body: Mapped[str] = mapped_column(EncryptedText())
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime())

    __table_args__ = (Index("ix_notes_client_id_created_at", "client_id", "created_at"),)


class NoteVersionRow(Base):
    """The text of a note before an edit (kept, encrypted, with the note)."""

    __tablename__ = "note_versions"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    note_id: Mapped[int] = mapped_column(ForeignKey("notes.id", ondelete="CASCADE"), index=True)
    life_areas: Mapped[str] = mapped_column(String(200))
    phase: Mapped[str | None] = mapped_column(String(16))
    body: Mapped[str] = mapped_column(EncryptedText())
    written_at: Mapped[datetime] = mapped_column(UTCDateTime())
    replaced_at: Mapped[datetime] = mapped_column(UTCDateTime())


class AuditRow(Base):
    """Staff reads and writes of client records. Erasing a client unlinks, never deletes."""

    __tablename__ = "audit_log"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime(), index=True)
    staff_id: Mapped[int | None] = mapped_column(ForeignKey("staff.id", ondelete="SET NULL"))
    site_id: Mapped[int | None] = mapped_column(
        ForeignKey("sites.id", ondelete="SET NULL"), index=True
    )
    action: Mapped[str] = mapped_column(String(32))
    client_id: Mapped[int | None] = mapped_column(
        ForeignKey("clients.id", ondelete="SET NULL"), index=True
    )
    note_id: Mapped[int | None] = mapped_column(Integer)


class DeputyRow(Base):
    """A case manager's deputy for a period (absence): the deputy sees and serves the clients."""

    __tablename__ = "deputies"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    staff_id: Mapped[int] = mapped_column(ForeignKey("staff.id", ondelete="CASCADE"), index=True)
    deputy_id: Mapped[int] = mapped_column(ForeignKey("staff.id", ondelete="CASCADE"), index=True)
    starts_on: Mapped[date] = mapped_column(Date())
    ends_on: Mapped[date] = mapped_column(Date())
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())


class MessageDeletionRow(Base):
    """A bot message to remove from a chat later (notes shown to staff)."""

    __tablename__ = "message_deletions"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    chat_id: Mapped[int] = mapped_column(BigInteger)
    message_id: Mapped[int] = mapped_column(BigInteger)
    delete_at: Mapped[datetime] = mapped_column(UTCDateTime(), index=True)


class BotMessageRow(Base):
    """Messages of private chats, the bot's and those it received (ids and times only,
    never text), kept 48 hours: Telegram lets a bot delete them only that long, and an
    erasing client's are deleted."""

    __tablename__ = "bot_messages"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    chat_id: Mapped[int] = mapped_column(BigInteger, index=True)
    message_id: Mapped[int] = mapped_column(BigInteger)
    sent_at: Mapped[datetime] = mapped_column(UTCDateTime(), index=True)


class OfferSendRow(Base):
    """An offer sent to a client, for the statistics: site, life areas, time; no client."""

    __tablename__ = "offer_sends"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    site_id: Mapped[int | None] = mapped_column(
        ForeignKey("sites.id", ondelete="SET NULL"), index=True
    )
    life_areas: Mapped[str] = mapped_column(String(200))
    sent_at: Mapped[datetime] = mapped_column(UTCDateTime())


__all__ = [
    "AuditRow",
    "BotMessageRow",
    "DeputyRow",
    "MessageDeletionRow",
    "NoteRow",
    "NoteVersionRow",
    "OfferSendRow",
]
