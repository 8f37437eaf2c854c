"""Client onboarding: language, consent, withdrawal.

Before consent nothing but the Telegram id, the chat, the chosen language and
a start code (not personal) is stored.
"""

from __future__ import annotations

from dataclasses import dataclass

from bot.domain import Client
from bot.i18n import normalize_locale
from bot.ports import Clock, UnitOfWorkFactory

#: Bump when the privacy notice changes in substance; clients are then asked again.
CONSENT_VERSION = "2026-12-v3"
_MAX_START_CODE = 64


class UnknownLocaleError(ValueError):
    pass


@dataclass(frozen=True)
class ClientView:
    """What handlers need to know about the person writing."""

    client: Client | None

    @property
    def exists(self) -> bool:
        return self.client is not None

    @property
    def has_consented(self) -> bool:
        return self.client is not None and self.client.has_consented


def clean_start_code(payload: str | None) -> str | None:
    """Deep-link payloads are `[A-Za-z0-9_-]{1,64}` in Telegram; keep nothing else."""
    if not payload:
        return None
    payload = payload.strip()
    if not payload or len(payload) > _MAX_START_CODE:
        return None
    if not all(ch.isascii() and (ch.isalnum() or ch in "-_") for ch in payload):
        return None
    return payload


async def choose_language(
    uow_factory: UnitOfWorkFactory,
    *,
    telegram_user_id: int,
    chat_id: int,
    locale: str,
    start_code: str | None = None,
) -> Client:
    """Store the client's language (creating the minimal record on first pick)."""
    chosen = normalize_locale(locale)
    if chosen is None:
        raise UnknownLocaleError(locale)
    async with uow_factory() as uow:
        client = await uow.clients.by_telegram_id(telegram_user_id)
        if client is None:
            client = await uow.clients.add(
                Client(
                    id=None,
                    telegram_user_id=telegram_user_id,
                    chat_id=chat_id,
                    locale=chosen,
                    start_code=clean_start_code(start_code),
                )
            )
        else:
            client.locale = chosen
            client.chat_id = chat_id
            if start_code and not client.has_consented:
                client.start_code = clean_start_code(start_code)
            client = await uow.clients.update(client)
        await uow.commit()
        return client


async def give_consent(
    uow_factory: UnitOfWorkFactory, clock: Clock, *, telegram_user_id: int
) -> Client | None:
    """Record consent to the current notice. A second tap changes nothing."""
    async with uow_factory() as uow:
        client = await uow.clients.by_telegram_id(telegram_user_id)
        if client is None:
            return None
        if client.consent_version != CONSENT_VERSION or client.consented_at is None:
            client.consent_version = CONSENT_VERSION
            client.consented_at = clock.now()
            client = await uow.clients.update(client)
            await uow.commit()
        return client


async def refuse_consent(uow_factory: UnitOfWorkFactory, *, telegram_user_id: int) -> None:
    """'No thanks': keep only the language (so we can talk when they come back)."""
    async with uow_factory() as uow:
        client = await uow.clients.by_telegram_id(telegram_user_id)
        if client is None or client.has_consented:
            return
        client.start_code = None
        await uow.clients.update(client)
        await uow.commit()


async def save_phone(uow_factory: UnitOfWorkFactory, *, telegram_user_id: int, phone: str) -> None:
    """A phone number the client shared for phone appointments (named in the notice)."""
    cleaned = "".join(ch for ch in phone if ch.isdigit() or ch == "+")[:32]
    async with uow_factory() as uow:
        client = await uow.clients.by_telegram_id(telegram_user_id)
        if client is None or not client.has_consented:
            return
        client.phone = cleaned or None
        await uow.clients.update(client)
        await uow.commit()
