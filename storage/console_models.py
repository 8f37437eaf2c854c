"""The web console's login links and sessions (issue 20). Only SHA-256 digests of their
secrets are stored: a copy of the database lets no one log in."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Integer, LargeBinary, String
from sqlalchemy.orm import Mapped, mapped_column

from storage.models import Base
from storage.types import UTCDateTime


class ConsoleLinkRow(Base):
    """A one-time login link the bot (or `console link`) gave a staff member."""

    __tablename__ = "console_links"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    digest: Mapped[str] = mapped_column(String(64), unique=True)
    staff_id: Mapped[int] = mapped_column(ForeignKey("staff.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime())
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


class ConsoleSessionRow(Base):
    """A browser logged in to the console; ended by logging out, idling or deactivation."""

    __tablename__ = "console_sessions"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    digest: Mapped[str] = mapped_column(String(64), unique=True)
    staff_id: Mapped[int] = mapped_column(ForeignKey("staff.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    last_seen_at: Mapped[datetime] = mapped_column(UTCDateTime())


class ConsoleUploadRow(Base):
    """An offers file uploaded for an import, kept from its preview until the coordinator
    confirms it (or an hour passes): the confirmation imports exactly these bytes. Keyed
    by the digest of a random id and bound to the digest of the session that uploaded it;
    in the database, so any console process can take the confirmation."""

    __tablename__ = "console_uploads"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    digest: Mapped[str] = mapped_column(String(64), unique=True)
    session_digest: Mapped[str] = mapped_column(String(64))
    name: Mapped[str] = mapped_column(String(200))
    data: Mapped[bytes] = mapped_column(LargeBinary())
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), index=True)


__all__ = ["ConsoleLinkRow", "ConsoleSessionRow", "ConsoleUploadRow"]
