"""`notes new-key`, `notes rotate-key` and `audit`: keys and the audit trail."""

from __future__ import annotations

import argparse
from datetime import UTC, datetime, time

from sqlalchemy.ext.asyncio import AsyncEngine

from cli.lookup import site_or_explain
from config import Settings
from config.keys import new_key, notes_keys
from config.settings import ConfigError
from storage import create_engine, make_uow_factory, session_factory, upgrade_database
from storage.crypto import NotesKeyError, check_key, rotate_keys, seal_plain_conversations

EXIT_OK, EXIT_USAGE = 0, 2
WRONG_KEY = "NOTES_KEY: the stored notes do not open with the key(s) given (a wrong key?)"


async def run_notes(settings: Settings, args: argparse.Namespace) -> int:
    if args.notes_command == "new-key":
        print(new_key())
        return EXIT_OK
    engine = create_engine(settings.DATABASE_URL, notes_keys=notes_keys(settings))
    try:
        await upgrade_database(engine)
        try:
            count = await rotate_keys(engine)
        except NotesKeyError:
            raise ConfigError(WRONG_KEY) from None
        print(f"re-encrypted {count} stored text(s) with the first key of NOTES_KEY")
        if settings.NOTES_KEY and "," in settings.NOTES_KEY:
            print("the older keys are no longer needed: remove them from NOTES_KEY")
        return EXIT_OK
    finally:
        await engine.dispose()


async def run_audit(settings: Settings, args: argparse.Namespace) -> int:
    from bot.ports import SystemClock
    from bot.services.notes import audit_log

    engine = create_engine(settings.DATABASE_URL)
    try:
        await upgrade_database(engine)
        uow_factory = make_uow_factory(session_factory(engine), SystemClock())
        site = await site_or_explain(uow_factory, args.site, "audit")
        if site is None or site.id is None:
            return EXIT_USAGE
        since = datetime.combine(args.since, time(0), UTC) if args.since else None
        entries, staff = await audit_log(uow_factory, site_id=site.id, since=since)
        print(f"audit log of {site.slug}: {len(entries)} entr{'y' if len(entries) == 1 else 'ies'}")
        for entry in entries:
            who = staff.get(entry.staff_id or -1)
            person = (
                f"staff {who.telegram_user_id} ({who.display_name or '-'}, {who.role.value})"
                if who
                else "staff -"
            )
            client = f"client #{entry.client_id}" if entry.client_id else "client -"
            note = f"  note #{entry.note_id}" if entry.note_id else ""
            print(
                f"{entry.at.astimezone(UTC):%Y-%m-%d %H:%M:%S} UTC  {person}  "
                f"{entry.action:<14} {client}{note}"
            )
        return EXIT_OK
    finally:
        await engine.dispose()


async def verify_notes_key(engine: AsyncEngine) -> None:
    """At start-up: refuse to run with a key that does not open the stored notes."""
    try:
        await check_key(engine)
    except NotesKeyError:
        raise ConfigError(WRONG_KEY) from None
    await seal_plain_conversations(engine)  # state left in plain JSON before migration 0013
