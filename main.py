"""Lotse: composition root and command line.

settings -> engine -> catalogs -> bot -> scheduler. See README.md and shared/CONTRACT.md.
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import sys
from collections.abc import Sequence

from bot.domain import SiteKind
from config import ConfigError, Settings, load_settings
from config.logging_setup import setup_logging

log = logging.getLogger("lotse")

EXIT_OK, EXIT_FAILURE, EXIT_USAGE = 0, 1, 2

NO_TOKEN_HELP = (
    "Lotse needs a Telegram bot token to run. Open Telegram, write to @BotFather, "
    "send /newbot and follow the steps; BotFather answers with a token like "
    "123456789:ABC-def. Put it into the environment or into a file named .env as "
    "BOT_TOKEN=123456789:ABC-def (see .env.example), then run `python main.py` again."
)


class ArgumentError(Exception):
    pass


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # one clear line, exit code 2
        raise ArgumentError(f"{self.prog}: {message}")


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="python main.py",
        description="Lotse: messenger assistant for Teilhabemanagement. "
        "Without a command it runs the bot (long polling).",
    )
    commands = parser.add_subparsers(dest="command", parser_class=_Parser)
    commands.add_parser("run", help="run the bot (the default)")
    commands.add_parser("migrate", help="apply database migrations (start-up does it too)")

    site = commands.add_parser("site", help="manage sites (a municipality's THM office)")
    site_commands = site.add_subparsers(dest="site_command", parser_class=_Parser)
    add = site_commands.add_parser("add", help="create a site")
    add.add_argument("slug", help="short name, [a-z0-9-]+, used by every other command")
    add.add_argument("--name", required=True, help='display name, e.g. "Essen"')
    add.add_argument(
        "--kind", choices=[kind.value for kind in SiteKind], default=SiteKind.CITY.value
    )
    site_commands.add_parser("list", help="list the sites")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    try:
        args = build_parser().parse_args(argv)
        if args.command == "site" and args.site_command is None:
            raise ArgumentError("python main.py site: choose a command: add, list")
    except ArgumentError as exc:
        print(str(exc), file=sys.stderr)
        return EXIT_USAGE
    try:
        settings = load_settings()
    except ConfigError as exc:
        print(f"configuration error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    setup_logging(settings.log_level)
    try:
        if args.command == "migrate":
            return asyncio.run(_migrate(settings))
        if args.command == "site":
            return asyncio.run(_site(settings, args))
        if not settings.BOT_TOKEN:
            print(NO_TOKEN_HELP, file=sys.stderr)
            return EXIT_USAGE
        return asyncio.run(_run_bot(settings))
    except KeyboardInterrupt:
        return EXIT_OK
    except Exception as exc:  # noqa: BLE001 - the class is enough; messages may hold data
        log.error("stopped by an error", extra={"error": type(exc).__name__})
        print(f"error: {type(exc).__name__} (see the log above)", file=sys.stderr)
        return EXIT_FAILURE


async def _migrate(settings: Settings) -> int:
    from storage import create_engine, upgrade_database
    from storage.migrate import current_revision

    engine = create_engine(settings.DATABASE_URL)
    try:
        await upgrade_database(engine)
        print(f"database at revision {await current_revision(engine)}")
    finally:
        await engine.dispose()
    return EXIT_OK


async def _site(settings: Settings, args: argparse.Namespace) -> int:
    from bot.ports import SystemClock
    from bot.services.sites import InvalidSlugError, SiteExistsError, add_site, list_sites
    from storage import create_engine, make_uow_factory, session_factory, upgrade_database

    engine = create_engine(settings.DATABASE_URL)
    try:
        await upgrade_database(engine)
        uow_factory = make_uow_factory(session_factory(engine), SystemClock())
        if args.site_command == "list":
            for site in await list_sites(uow_factory):
                print(f"{site.slug}\t{site.kind.value}\t{site.name}")
            return EXIT_OK
        try:
            site = await add_site(
                uow_factory, SystemClock(), slug=args.slug, name=args.name, kind=SiteKind(args.kind)
            )
        except InvalidSlugError:
            print("site add: SLUG must be lower-case letters, digits and '-'", file=sys.stderr)
            return EXIT_USAGE
        except SiteExistsError:
            print(f"site add: a site '{args.slug}' exists already", file=sys.stderr)
            return EXIT_USAGE
        print(f"site {site.slug} created ({site.kind.value}: {site.name})")
        return EXIT_OK
    finally:
        await engine.dispose()


async def _run_bot(settings: Settings) -> int:
    from aiogram import Bot
    from aiogram.client.default import DefaultBotProperties
    from aiogram.client.session.aiohttp import AiohttpSession
    from aiogram.client.telegram import TelegramAPIServer

    from bot.i18n import Catalogs
    from bot.ports import SystemClock
    from handlers import build_dispatcher
    from handlers.commands import set_default_commands
    from storage import create_engine, make_uow_factory, session_factory, upgrade_database

    assert settings.BOT_TOKEN is not None
    clock = SystemClock()
    engine = create_engine(settings.DATABASE_URL)
    await upgrade_database(engine)
    catalogs = Catalogs(default_locale=settings.DEFAULT_LOCALE)
    uow_factory = make_uow_factory(session_factory(engine), clock)
    session = AiohttpSession(api=TelegramAPIServer.from_base(settings.TELEGRAM_API_URL))
    bot = Bot(
        token=settings.BOT_TOKEN,
        session=session,
        default=DefaultBotProperties(parse_mode="HTML"),
    )
    dispatcher = build_dispatcher(
        uow_factory=uow_factory, catalogs=catalogs, clock=clock, settings=settings
    )
    try:
        await set_default_commands(bot, catalogs)
        log.info("bot starting", extra={"database": engine.dialect.name})
        await dispatcher.start_polling(bot, handle_signals=True, close_bot_session=True)
    finally:
        await engine.dispose()
    return EXIT_OK


if __name__ == "__main__":
    sys.exit(main())
