"""Domain objects: plain dataclasses, no framework."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum


class SiteKind(StrEnum):
    CITY = "city"
    DISTRICT = "district"
    TOWN = "town"


class StaffRole(StrEnum):
    THM = "thm"
    COORDINATOR = "coordinator"


@dataclass
class Site:
    id: int | None
    slug: str
    name: str
    kind: SiteKind
    created_at: datetime | None = None


@dataclass
class Staff:
    id: int | None
    site_id: int
    role: StaffRole
    telegram_user_id: int | None = None
    locale: str = "de"
    languages: str = ""
    active: bool = True


@dataclass
class Client:
    """A young person. Before consent only id, chat, language and start code exist."""

    id: int | None
    telegram_user_id: int
    chat_id: int
    locale: str
    start_code: str | None = None
    consent_version: str | None = None
    consented_at: datetime | None = None
    site_id: int | None = None
    case_manager_id: int | None = None
    created_at: datetime | None = None

    @property
    def has_consented(self) -> bool:
        return self.consented_at is not None
