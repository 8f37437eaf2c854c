"""`python main.py console link TELEGRAM_ID`: a login link for operators without Telegram."""

from __future__ import annotations

import argparse
import sys

from bot.ports import SystemClock
from bot.services.console import UnknownConsoleStaffError, issue_login_link, login_url
from config import Settings
from storage import create_engine, make_uow_factory, session_factory, upgrade_database

EXIT_OK, EXIT_USAGE = 0, 2


async def run_console(settings: Settings, args: argparse.Namespace) -> int:
    engine = create_engine(settings.DATABASE_URL)
    try:
        await upgrade_database(engine)
        uow_factory = make_uow_factory(session_factory(engine), SystemClock())
        try:
            token = await issue_login_link(
                uow_factory, SystemClock(), telegram_user_id=args.telegram_id
            )
        except UnknownConsoleStaffError:
            print(
                f"console link: no active staff member with Telegram id {args.telegram_id} "
                "(see: python main.py staff list --site SLUG)",
                file=sys.stderr,
            )
            return EXIT_USAGE
        print(login_url(settings.web_base_url, token))
        print("valid for 10 minutes, once; it logs in as that staff member", file=sys.stderr)
        return EXIT_OK
    finally:
        await engine.dispose()
