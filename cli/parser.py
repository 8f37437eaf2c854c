"""Argument parsing. Errors are one line and exit code 2."""

from __future__ import annotations

import argparse
from datetime import date
from typing import NoReturn

from bot.domain import Mode, SiteKind, StaffRole
from bot.i18n import RTL_LOCALES, SUPPORTED_LOCALES


class ArgumentError(Exception):
    pass


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        raise ArgumentError(f"{self.prog}: {message}")


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="python main.py",
        description="Lotse: messenger assistant for Teilhabemanagement. "
        "Without a command it runs the bot (long polling).",
    )
    commands = parser.add_subparsers(dest="command", parser_class=_Parser)
    commands.add_parser("run", help="run the bot (the default)")
    commands.add_parser(
        "worker", help="the scheduler alone (reminders, agendas), no polling: a second process"
    )
    commands.add_parser("migrate", help="apply database migrations (start-up does it too)")
    commands.add_parser(
        "web",
        help="the web console alone on 127.0.0.1:WEB_PORT, without polling (with WEBHOOK_URL: "
        "the webhook too, without the scheduler)",
    )
    backup = commands.add_parser(
        "backup", help="a consistent copy of the SQLite database, also while Lotse runs"
    )
    backup.add_argument("file", metavar="FILE", help="a new file (0600)")
    restore = commands.add_parser(
        "restore", help="put a backup back (Lotse stopped; the replaced database is kept)"
    )
    restore.add_argument("file", metavar="FILE")
    console = commands.add_parser("console", help="the web console")
    console_commands = console.add_subparsers(dest="console_command", parser_class=_Parser)
    console_link = console_commands.add_parser(
        "link", help="print a one-time login link for a staff member (valid 10 minutes)"
    )
    console_link.add_argument("telegram_id", type=int, metavar="TELEGRAM_ID")
    demo = commands.add_parser(
        "demo",
        help="the offline demo: emulator, bot and a web page with two phones on 127.0.0.1 "
        "(its own throw-away SQLite under data/demo/)",
    )
    demo.add_argument("--port", type=int, default=None, help="web page port (default DEMO_PORT)")

    site = commands.add_parser("site", help="manage sites (a municipality's THM office)")
    site_commands = site.add_subparsers(dest="site_command", parser_class=_Parser)
    add = site_commands.add_parser("add", help="create a site")
    add.add_argument("slug", help="short name, [a-z0-9-]+, used by every other command")
    add.add_argument("--name", required=True, help='display name, e.g. "Essen"')
    add.add_argument("--kind", choices=[k.value for k in SiteKind], default=SiteKind.CITY.value)
    site_commands.add_parser("list", help="list the sites")
    link = site_commands.add_parser("link", help="print the site's client deep link")
    link.add_argument("slug")
    link.add_argument("--qr", metavar="FILE.png", help="also write the link as a QR code")

    offers = commands.add_parser("offers", help="the offers catalog")
    offer_commands = offers.add_subparsers(dest="offers_command", parser_class=_Parser)
    imports = offer_commands.add_parser(
        "import", help="validate and import FILE.csv or FILE.json (all or nothing)"
    )
    imports.add_argument("file", metavar="FILE")
    imports.add_argument(
        "--site", metavar="SLUG", help="the offers become this site's (its console keeps them)"
    )
    exports = offer_commands.add_parser("export", help="write the catalog as CSV")
    exports.add_argument("file", metavar="FILE.csv")
    exports.add_argument("--site", metavar="SLUG", help="only this site's offers")

    notes = commands.add_parser("notes", help="the key that encrypts case notes")
    notes_commands = notes.add_subparsers(dest="notes_command", parser_class=_Parser)
    notes_commands.add_parser("new-key", help="print a new key for NOTES_KEY")
    notes_commands.add_parser(
        "rotate-key",
        help="re-encrypt stored notes with the first key of NOTES_KEY (put the new key first)",
    )

    audit = commands.add_parser("audit", help="print the audit log of a site (for coordinators)")
    audit.add_argument("--site", required=True, metavar="SLUG")
    audit.add_argument("--since", type=_day, metavar="DATE", help="from this day on (YYYY-MM-DD)")

    stats = commands.add_parser(
        "stats", help="anonymous statistics of a site: stats.csv and stats.png (counts < 5 hidden)"
    )
    stats.add_argument("--site", required=True, metavar="SLUG")
    stats.add_argument("--from", dest="start", required=True, type=_day, metavar="DATE")
    stats.add_argument("--to", dest="end", required=True, type=_day, metavar="DATE")
    stats.add_argument("--out", required=True, metavar="DIR")
    stats.add_argument(
        "--lang",
        choices=SUPPORTED_LOCALES,
        help="the chart's language (default DEFAULT_LOCALE; "
        + ", ".join(code for code in SUPPORTED_LOCALES if code in RTL_LOCALES)
        + " get English: the chart cannot draw right-to-left script)",
    )

    staff = commands.add_parser("staff", help="manage case managers and coordinators")
    staff_commands = staff.add_subparsers(dest="staff_command", parser_class=_Parser)
    invite = staff_commands.add_parser("invite", help="print a one-time staff link (7 days)")
    invite.add_argument("--site", required=True, metavar="SLUG")
    invite.add_argument("--role", required=True, choices=[r.value for r in StaffRole])
    invite.add_argument("--qr", metavar="FILE.png", help="also write the link as a QR code")
    listing = staff_commands.add_parser("list", help="staff of a site")
    listing.add_argument("--site", required=True, metavar="SLUG")
    deactivate = staff_commands.add_parser("deactivate", help="revoke access at once")
    deactivate.add_argument("telegram_id", type=int, metavar="TELEGRAM_ID")
    hours = staff_commands.add_parser("hours", help="add weekly hours (repeat for more)")
    hours.add_argument("telegram_id", type=int, metavar="TELEGRAM_ID")
    hours.add_argument("--day", choices=["mon", "tue", "wed", "thu", "fri", "sat", "sun"])
    hours.add_argument("--from", dest="start", metavar="HH:MM")
    hours.add_argument("--to", dest="end", metavar="HH:MM")
    hours.add_argument("--slot", type=int, default=30, metavar="MINUTES")
    hours.add_argument("--mode", choices=[m.value for m in Mode], default=Mode.IN_PERSON.value)
    hours.add_argument("--address", help="where in-person appointments take place")
    hours.add_argument("--clear", action="store_true", help="remove all weekly hours first")
    return parser


def _day(value: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"expected a date such as 2026-11-01, got {value!r}"
        ) from None


def check_complete(args: argparse.Namespace) -> None:
    """Sub-commands without their own command, and hours without a window."""
    if args.command == "site" and args.site_command is None:
        raise ArgumentError("python main.py site: choose a command: add, list, link")
    if args.command == "offers" and args.offers_command is None:
        raise ArgumentError("python main.py offers: choose a command: import, export")
    if args.command == "console" and args.console_command is None:
        raise ArgumentError("python main.py console: choose a command: link")
    if args.command == "notes" and args.notes_command is None:
        raise ArgumentError("python main.py notes: choose a command: new-key, rotate-key")
    if args.command == "staff" and args.staff_command is None:
        raise ArgumentError(
            "python main.py staff: choose a command: invite, list, deactivate, hours"
        )
    if args.command == "staff" and args.staff_command == "hours" and not args.clear:
        missing = [
            flag
            for flag, value in (("--day", args.day), ("--from", args.start), ("--to", args.end))
            if value is None
        ]
        if missing:
            raise ArgumentError(f"python main.py staff hours: missing {', '.join(missing)}")
