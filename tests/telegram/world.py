"""What the Telegram tests stand on: one `World` (the usual fixtures in one object) and the
setup many tests share: a site with a case manager, working hours, consented clients and a
booking walked through button by button."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, time
from functools import cached_property
from typing import Any
from zoneinfo import ZoneInfo

from aiogram.methods import SendDocument
from aiogram.types import BufferedInputFile
from icalendar import Calendar, Event
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.domain import Appointment, Client, LifeArea, Mode, SiteKind, StaffRole
from bot.i18n import NATIVE_NAMES, Catalogs, Translator
from bot.ports import UnitOfWorkFactory
from bot.services import booking
from bot.services import staff as staff_service
from bot.services.sites import add_site
from bot.slots import BookingPolicy
from bot.translation import TranslationService
from config import Settings, load_settings
from handlers import build_dispatcher, labels
from tests.fakes import FakeClock
from tests.helpers import id_of
from tests.telegram.harness import Person, Sent, TelegramHarness

#: Thursday 26 November 2026, 09:00 in Berlin (the fake clock starts Wednesday 10:00 Berlin).
BERLIN_THURSDAY_9 = datetime(2026, 11, 26, 8, 0, tzinfo=UTC)


def settings_with(**overrides: Any) -> Settings:
    """Settings as the tests use them: no .env file, a database URL that is never opened."""
    return load_settings(_env_file=None, DATABASE_URL="sqlite+aiosqlite:///unused.db", **overrides)


@dataclass(frozen=True)
class World:
    """The usual fixtures of a Telegram test in one object: a test takes `world` and reads
    `world.harness`, `world.catalogs`, `world.uow_factory`, `world.clock` and so on."""

    catalogs: Catalogs
    uow_factory: UnitOfWorkFactory
    clock: FakeClock
    engine: AsyncEngine
    settings: Settings

    @cached_property
    def policy(self) -> BookingPolicy:
        """The booking policy of the settings: the one the harness's dispatcher books with."""
        return self.settings.booking_policy()

    @cached_property
    def harness(self) -> TelegramHarness:
        """The dispatcher and recorded bot of this test (built when first asked for)."""
        return self.new_harness()

    @property
    def zone(self) -> ZoneInfo:
        """The zone the harness's dispatcher shows times in."""
        return self.policy.zone

    def t(self, locale: str) -> Translator:
        return self.catalogs.translator(locale)

    def new_harness(
        self, translation: TranslationService | None = None, **overrides: Any
    ) -> TelegramHarness:
        """A new dispatcher and bot on the same database: what a restarted process is. With
        overrides, the settings are read again with them (and the booking policy with them)."""
        settings = settings_with(**overrides) if overrides else self.settings
        return TelegramHarness(
            build_dispatcher(
                uow_factory=self.uow_factory,
                catalogs=self.catalogs,
                clock=self.clock,
                settings=settings,
                policy=settings.booking_policy() if overrides else self.policy,
                translation=translation,
            )
        )


def telegram_code(locale: str) -> str:
    """The language code Telegram reports for a locale's speaker (fa_AF -> fa)."""
    return locale.split("_")[0]


async def case_manager(
    world: World,
    user_id: int,
    *,
    slug: str = "essen",
    locale: str = "de",
    role: StaffRole = StaffRole.THM,
    harness: TelegramHarness | None = None,
) -> Person:
    """A staff member who opened their invite link to the site `slug` (added when missing),
    and switched to `locale` when it is not German; a user of `harness` (the world's if
    none)."""
    async with world.uow_factory() as uow:
        site = await uow.sites.by_slug(slug)
    if site is None:
        await add_site(
            world.uow_factory, world.clock, slug=slug, name=slug.title(), kind=SiteKind.CITY
        )
    invite = await staff_service.invite_staff(
        world.uow_factory, world.clock, site_slug=slug, role=role
    )
    person = (harness or world.harness).person(user_id, "de")
    await person.send(f"/start {invite.payload}")
    if locale != "de":
        await person.press(f"st:setlang:{locale}")
    return person


async def add_hours(
    world: World,
    staff_user: int,
    *,
    weekday: int,
    hours: tuple[int, int],
    mode: Mode = Mode.IN_PERSON,
    address: str | None = None,
    slot_minutes: int = 30,
) -> None:
    """Weekly working hours (whole hours, Berlin time) for the staff member `staff_user`."""
    await staff_service.add_hours(
        world.uow_factory,
        telegram_user_id=staff_user,
        weekday=weekday,
        start=time(hours[0]),
        end=time(hours[1]),
        slot_minutes=slot_minutes,
        mode=mode,
        address=address,
    )


async def language_chosen(
    world: World, user_id: int, locale: str, start: str = "/start", code: str | None = None
) -> Person:
    """A Telegram user who sent `start` and chose `locale`: the consent notice is next."""
    person = world.harness.person(user_id, code or telegram_code(locale))
    await person.send(start)
    await person.tap(NATIVE_NAMES[locale])
    return person


async def consented_client(
    world: World, user_id: int, locale: str, start: str = "/start site-essen"
) -> Person:
    """A client who sent `start`, chose `locale` and agreed, all by buttons."""
    person = await language_chosen(world, user_id, locale, start)
    await person.tap(world.t(locale).p_("button", "✅ I agree"))
    return person


async def client_of(
    world: World, staff_user: int, user_id: int, nickname: str, locale: str = "fa_AF"
) -> Client:
    """A consented client of `staff_user`'s site and case load, stored directly."""
    async with world.uow_factory() as uow:
        staff = await uow.staff.by_telegram_id(staff_user)
        assert staff is not None
        client = Client(id=None, telegram_user_id=user_id, chat_id=user_id, locale=locale)
        client.consented_at, client.nickname = world.clock.now(), nickname
        client.site_id, client.case_manager_id = staff.site_id, staff.id
        client = await uow.clients.add(client)
        await uow.commit()
    return client


async def pick_day(
    client: Person,
    t: Translator,
    *,
    area: LifeArea = LifeArea.WORK,
    mode: Mode = Mode.IN_PERSON,
    day: datetime = BERLIN_THURSDAY_9,
) -> list[Sent]:
    """Book an appointment -> topic -> mode -> day; returns what the day's tap sent."""
    await client.tap(t.p_("button", "📅 Book an appointment"))
    await client.tap(labels.life_area(t, area))
    await client.tap(labels.mode(t, mode))
    zone = client.harness.dispatcher["policy"].zone
    return await client.tap(labels.day_label(t, day, zone))


async def book_by_buttons(
    client: Person,
    t: Translator,
    at: str,
    *,
    area: LifeArea = LifeArea.WORK,
    day: datetime = BERLIN_THURSDAY_9,
    interpreter: bool = False,
) -> list[Sent]:
    """A whole booking in person by buttons, the time `at` on `day`; returns what the
    confirmation sent."""
    await pick_day(client, t, area=area, day=day)
    await client.tap(at)
    await client.tap(t.p_("button", "Yes, please" if interpreter else "No, thank you"))
    return await client.tap(t.p_("button", "✅ Book this appointment"))


async def booked_by_the_service(
    world: World,
    client: Client,
    staff_user: int,
    starts_at: datetime,
    *,
    interpreter: str | None = None,
) -> Appointment:
    """An appointment about housing with the staff member `staff_user`, booked through the
    booking service (not by buttons)."""
    staff = await staff_service.active_staff(world.uow_factory, staff_user)
    assert staff is not None
    outcome = await booking.book_appointment(
        world.uow_factory,
        world.clock,
        world.policy,
        client_id=id_of(client),
        staff_id=id_of(staff),
        starts_at=starts_at,
        topic=LifeArea.HOUSING,
        interpreter=interpreter,
    )
    return outcome.appointment


def calendar_files(sent: list[Sent], chat_id: int) -> list[tuple[Sent, Calendar, Event]]:
    """The calendar files (.ics) among `sent` to `chat_id`: each with its calendar and its
    one event, oldest first."""
    files = []
    for each in sent:
        if isinstance(each.raw, SendDocument) and each.chat_id == chat_id:
            assert isinstance(each.raw.document, BufferedInputFile)  # the bot uploads it
            calendar = Calendar.from_ical(each.raw.document.data)
            (event,) = calendar.events
            files.append((each, calendar, event))
    return files
