"""The offline demo: settings that can only point at a throw-away database, and sample
people (a site, case managers with hours, clients) plus the sample offers."""

from __future__ import annotations

import asyncio
import os
import shutil
from collections.abc import Awaitable, Callable
from datetime import time, timedelta
from pathlib import Path

from bot.domain import Client, Mode, SiteKind, StaffRole
from bot.ports import Clock, UnitOfWorkFactory
from bot.services import staff as staff_service
from bot.services.console import issue_login_link, login_url
from bot.services.offers import import_offers
from bot.services.onboarding import CONSENT_VERSION
from bot.services.sites import add_site
from config import Settings
from config.settings import ConfigError

DEMO_DIR = Path("data/demo")
DEMO_TOKEN = "123456:DEMO-token"
SAMPLE_OFFERS = Path(__file__).resolve().parents[1] / "samples" / "offers_sample.csv"
#: (telegram id, name, role, language, mode) of the demo staff.
STAFF = (
    (9001, "Anna (Demo)", StaffRole.THM, "de", Mode.IN_PERSON),
    (9002, "Ben (Demo)", StaffRole.THM, "en", Mode.PHONE),
    (9003, "Clara (Demo)", StaffRole.COORDINATOR, "de", Mode.VIDEO),
)
#: The demo coordinator, as whom the demo's console link logs in.
COORDINATOR = next(member[0] for member in STAFF if member[2] is StaffRole.COORDINATOR)
#: (telegram id, nickname, language, case manager's telegram id) of clients with an advisor.
CLIENTS = ((7002, "Ahmad K.", "fa_AF", 9001), (7003, "Samira", "ar", 9002))


def refuse_database_url(settings: Settings) -> None:
    """The demo must never seed a real database: a set DATABASE_URL stops it, with one
    line that says where it is set and what to do."""
    if "DATABASE_URL" in settings.model_fields_set:
        where, remedy = (
            ("in the environment", "run `unset DATABASE_URL`")
            if "DATABASE_URL" in os.environ
            else ("in .env", "comment out the DATABASE_URL line in .env")
        )
        raise ConfigError(
            f"DATABASE_URL: is set {where}, but the demo always uses its own throw-away "
            f"database under data/demo/ and never a real one: {remedy} to run the demo "
            "(or set BOT_TOKEN to run the bot on that database)"
        )


def demo_settings(settings: Settings, api_url: str) -> Settings:
    """Wipes data/demo/ and points everything at it and at the emulator."""
    refuse_database_url(settings)
    shutil.rmtree(DEMO_DIR, ignore_errors=True)
    DEMO_DIR.mkdir(parents=True, exist_ok=True)
    return settings.model_copy(
        update={
            "BOT_TOKEN": DEMO_TOKEN,
            "BOT_USERNAME": "lotse_demo_bot",
            "TELEGRAM_API_URL": api_url,
            "DATABASE_URL": f"sqlite+aiosqlite:///{DEMO_DIR / 'lotse-demo.db'}",
            "NOTES_KEY": None,  # a key file is written next to the demo database (0600)
            "TRANSLATOR": "off",  # nothing leaves the machine
            "WEBHOOK_URL": None,  # the demo's emulator is polled
            "BOOKING_LEAD": timedelta(minutes=5),
        }
    )


async def seed(uow_factory: UnitOfWorkFactory, clock: Clock) -> None:
    await add_site(uow_factory, clock, slug="essen", name="Essen (Demo)", kind=SiteKind.CITY)
    ids = {}
    for telegram_id, name, role, locale, mode in STAFF:
        invite = await staff_service.invite_staff(uow_factory, clock, site_slug="essen", role=role)
        member = await staff_service.redeem_staff_invite(
            uow_factory, clock, code=invite.code, telegram_user_id=telegram_id, display_name=name
        )
        assert member.id is not None  # redeeming stores the staff member
        await staff_service.set_staff_locale(uow_factory, staff_id=member.id, locale=locale)
        ids[telegram_id] = member
        for weekday in range(7):  # every day, so the demo works at any time
            await staff_service.add_hours(
                uow_factory,
                staff_id=member.id,
                weekday=weekday,
                start=time(7, 0),
                end=time(21, 0),
                slot_minutes=30,
                mode=mode,
                address="Rathaus Essen, Raum 3 (Beispiel)" if mode is Mode.IN_PERSON else None,
            )
    async with uow_factory() as uow:
        for telegram_id, nickname, locale, manager in CLIENTS:
            await uow.clients.add(
                Client(
                    id=None,
                    telegram_user_id=telegram_id,
                    chat_id=telegram_id,
                    locale=locale,
                    consent_version=CONSENT_VERSION,
                    consented_at=clock.now(),
                    site_id=ids[manager].site_id,
                    case_manager_id=ids[manager].id,
                    nickname=nickname,
                )
            )
        await uow.commit()
    data = await asyncio.to_thread(SAMPLE_OFFERS.read_bytes)
    # The demo site keeps the samples: its coordinator sees them in the console.
    demo_site = ids[STAFF[0][0]].site_id
    await import_offers(uow_factory, clock, name=SAMPLE_OFFERS.name, data=data, site_id=demo_site)


def console_login(
    uow_factory: UnitOfWorkFactory, clock: Clock, base_url: str
) -> Callable[[], Awaitable[str]]:
    """Makes a one-time console login URL for the demo coordinator (each call a new one)."""

    async def issue() -> str:
        token = await issue_login_link(uow_factory, clock, telegram_user_id=COORDINATOR)
        return login_url(base_url, token)

    return issue
