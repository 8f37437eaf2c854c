"""What each administration command does. Output for people; errors as one line, exit 2."""

from __future__ import annotations

import argparse
import asyncio
import sys
from datetime import time
from pathlib import Path

from bot.domain import Mode, SiteKind, StaffRole
from bot.ports import SystemClock, UnitOfWorkFactory
from bot.qr import qr_png
from bot.services import staff as staff_service
from bot.services.sites import InvalidSlugError, SiteExistsError, add_site, list_sites
from config import Settings
from storage import create_engine, make_uow_factory, session_factory, upgrade_database
from storage.migrate import current_revision

EXIT_OK, EXIT_FAILURE, EXIT_USAGE = 0, 1, 2


def _fail(message: str) -> int:
    print(message, file=sys.stderr)
    return EXIT_USAGE


async def run_admin(settings: Settings, args: argparse.Namespace) -> int:
    engine = create_engine(settings.DATABASE_URL)
    try:
        await upgrade_database(engine)
        if args.command == "migrate":
            print(f"database at revision {await current_revision(engine)}")
            return EXIT_OK
        uow_factory = make_uow_factory(session_factory(engine), SystemClock())
        if args.command == "site":
            return await _site(settings, uow_factory, args)
        if args.command == "offers":
            return await _offers(uow_factory, args)
        return await _staff(settings, uow_factory, args)
    finally:
        await engine.dispose()


async def bot_username(settings: Settings) -> str | None:
    if settings.BOT_USERNAME:
        return settings.BOT_USERNAME
    if not settings.BOT_TOKEN:
        return None
    from aiogram import Bot
    from aiogram.client.session.aiohttp import AiohttpSession
    from aiogram.client.telegram import TelegramAPIServer

    session = AiohttpSession(api=TelegramAPIServer.from_base(settings.TELEGRAM_API_URL))
    bot = Bot(settings.BOT_TOKEN, session=session)
    try:
        me = await bot.get_me()
        return me.username
    except Exception:  # noqa: BLE001 - offline: say so below
        return None
    finally:
        await session.close()


def _unnamed_bot(command: str) -> int:
    return _fail(
        f"{command}: cannot name the bot for the link: set BOT_USERNAME (offline), or "
        "BOT_TOKEN so that Lotse can ask Telegram"
    )


async def _print_link(username: str, payload: str, qr: str | None) -> int:
    link = f"https://t.me/{username}?start={payload}"
    print(link)
    if qr:
        await asyncio.to_thread(Path(qr).write_bytes, qr_png(link))
        print(f"QR code written to {qr}")
    return EXIT_OK


async def _site(
    settings: Settings, uow_factory: UnitOfWorkFactory, args: argparse.Namespace
) -> int:
    clock = SystemClock()
    if args.site_command == "list":
        for site in await list_sites(uow_factory):
            print(f"{site.slug}\t{site.kind.value}\t{site.name}")
        return EXIT_OK
    if args.site_command == "link":
        if args.slug not in {site.slug for site in await list_sites(uow_factory)}:
            return _fail(f"site link: no site '{args.slug}' (see: python main.py site list)")
        username = await bot_username(settings)
        if username is None:
            return _unnamed_bot("site link")
        return await _print_link(username, f"site-{args.slug}", args.qr)
    try:
        site = await add_site(
            uow_factory, clock, slug=args.slug, name=args.name, kind=SiteKind(args.kind)
        )
    except InvalidSlugError:
        return _fail("site add: SLUG must be lower-case letters, digits and '-'")
    except SiteExistsError:
        return _fail(f"site add: a site '{args.slug}' exists already")
    print(f"site {site.slug} created ({site.kind.value}: {site.name})")
    return EXIT_OK


def _clock_time(value: str, flag: str) -> time:
    try:
        return time.fromisoformat(value)
    except ValueError:
        raise staff_service.HoursError(flag) from None


async def _staff(
    settings: Settings, uow_factory: UnitOfWorkFactory, args: argparse.Namespace
) -> int:
    clock = SystemClock()
    command = args.staff_command
    try:
        if command == "invite":
            # The bot's name first: an invite nobody can open must not be made (nor one
            # more on each try).
            username = await bot_username(settings)
            if username is None:
                return _unnamed_bot("staff invite")
            invite = await staff_service.invite_staff(
                uow_factory, clock, site_slug=args.site, role=StaffRole(args.role)
            )
            print(
                f"one-time link for a {invite.role.value} of {invite.site.name}, "
                f"valid until {invite.expires_at:%Y-%m-%d %H:%M} UTC:"
            )
            return await _print_link(username, invite.payload, args.qr)
        if command == "list":
            people = await staff_service.list_staff(uow_factory, site_slug=args.site)
            if not people:
                print(
                    f"no staff yet at {args.site} (invite someone: python main.py staff invite "
                    f"--site {args.site} --role thm)"
                )
            for person in people:
                state = "active" if person.active else "deactivated"
                print(
                    f"{person.telegram_user_id}\t{person.role.value}\t{state}\t"
                    f"{person.languages or '-'}\t{person.display_name}"
                )
            return EXIT_OK
        if command == "deactivate":
            moved = await staff_service.deactivate_staff(
                uow_factory, telegram_user_id=args.telegram_id, clock=clock
            )
            print(f"deactivated {args.telegram_id}; {moved} client(s) handed to the coordinator")
            return EXIT_OK
        # hours
        if args.clear:
            removed = await staff_service.clear_hours(
                uow_factory, telegram_user_id=args.telegram_id
            )
            print(f"removed {removed} weekly window(s)")
            if args.day is None:
                return EXIT_OK
        hours = await staff_service.add_hours(
            uow_factory,
            telegram_user_id=args.telegram_id,
            weekday=staff_service.parse_weekday(args.day),
            start=_clock_time(args.start, "from"),
            end=_clock_time(args.end, "to"),
            slot_minutes=args.slot,
            mode=Mode(args.mode),
            address=args.address,
        )
        print(
            f"added {args.day} {hours.start:%H:%M}-{hours.end:%H:%M}, "
            f"{hours.slot_minutes} min, {hours.mode.value}"
        )
        return EXIT_OK
    except staff_service.UnknownSiteError:
        return _fail(f"staff {command}: no site '{args.site}' (see: python main.py site list)")
    except staff_service.UnknownStaffError:
        return _fail(f"staff {command}: no staff member with Telegram id {args.telegram_id}")
    except staff_service.HoursError as exc:
        reasons = {
            "day": "--day must be mon, tue, wed, thu, fri, sat or sun",
            "from": "--from must be a time such as 09:00",
            "to": "--to must be a time after --from, such as 12:00",
            "slot": "--slot must be 10 to 240 minutes",
            "address": "--address is needed for in-person hours",
        }
        return _fail(f"staff hours: {reasons.get(str(exc), 'invalid hours')}")


async def _offers(uow_factory: UnitOfWorkFactory, args: argparse.Namespace) -> int:
    from bot.offers_io import OfferFileError
    from bot.services.offers import UnknownSiteError, export_offers, import_offers, site_id_of

    path = Path(args.file)
    try:
        site_id = await site_id_of(uow_factory, args.site) if args.site else None
    except UnknownSiteError:
        return _fail(f"offers {args.offers_command}: no site {args.site!r}")
    if args.offers_command == "export":
        text = await export_offers(uow_factory, site_id=site_id)
        await asyncio.to_thread(path.write_text, text, "utf-8")
        print(f"catalog written to {path}")
        return EXIT_OK
    try:
        data = await asyncio.to_thread(path.read_bytes)
    except OSError as exc:
        return _fail(f"offers import: cannot read {path}: {exc.strerror}")
    try:
        result = await import_offers(
            uow_factory, SystemClock(), name=path.name, data=data, site_id=site_id
        )
    except OfferFileError as exc:
        for error in exc.errors:
            print(f"{path.name}: {error}", file=sys.stderr)
        print(f"nothing imported: {len(exc.errors)} error(s)", file=sys.stderr)
        return EXIT_USAGE
    print(
        f"imported {path.name}: {result.unchanged} unchanged, {result.updated} updated, "
        f"{result.inserted} added"
    )
    return EXIT_OK
