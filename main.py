"""Lotse: composition root and command line.

settings -> engine -> catalogs -> bot -> web console -> scheduler. See README.md and
docs/CONTRACT.md.
"""

from __future__ import annotations

import asyncio
import gc
import logging
import sys
from collections.abc import Awaitable, Callable, Coroutine, Sequence
from typing import TYPE_CHECKING, Any

import wiring
from cli.parser import ArgumentError, build_parser, check_complete
from config import ConfigError, Settings, StartupError, load_settings
from config.logging_setup import setup_logging

if TYPE_CHECKING:
    from aiohttp.web import Application, AppRunner

    from bot.i18n import Catalogs
    from bot.ports import Clock, UnitOfWorkFactory

log = logging.getLogger("lotse")

EXIT_OK, EXIT_FAILURE, EXIT_USAGE = 0, 1, 2
#: On SIGTERM, updates under way and reminder sends get this long (together) to finish;
#: then the rest of the stop (leases, sessions, engine) fits in the 10 s systemd waits.
STOP_GRACE = 6.0

NO_TOKEN_HELP = (
    "Lotse needs a Telegram bot token to run. Open Telegram, write to @BotFather, "
    "send /newbot and follow the steps; BotFather answers with a token like "
    "123456789:ABC-def. Put it into the environment or into a file named .env as "
    "BOT_TOKEN=123456789:ABC-def (see .env.example), then run `python main.py` again."
)


def _run_loop(coroutine: Coroutine[Any, Any, int]) -> int:
    """asyncio.run, on uvloop where it is installed (not on Windows): the bot process is
    bound by its event loop's CPU, and uvloop's loop costs about 10 % less per update
    (benchmarks/updates.py)."""
    try:
        import uvloop
    except ImportError:  # pragma: no cover - installed with the project on Linux/macOS
        return asyncio.run(coroutine)
    return uvloop.run(coroutine)


def main(argv: Sequence[str] | None = None) -> int:
    try:
        args = build_parser().parse_args(argv)
        check_complete(args)
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
        if args.command in ("migrate", "site", "staff", "offers"):
            from cli.commands import run_admin

            return asyncio.run(run_admin(settings, args))
        if args.command == "notes":
            from cli.notes_commands import run_notes

            return asyncio.run(run_notes(settings, args))
        if args.command == "stats":
            from cli.stats_commands import run_stats

            return asyncio.run(run_stats(settings, args))
        if args.command == "audit":
            from cli.notes_commands import run_audit

            return asyncio.run(run_audit(settings, args))
        if args.command == "console":
            from cli.console_commands import run_console

            return asyncio.run(run_console(settings, args))
        if args.command == "backup" or args.command == "restore":
            from cli.backup import run_backup

            return run_backup(settings, args)
        if args.command == "web" and settings.WEBHOOK_URL and settings.BOT_TOKEN:
            # A web process behind the load balancer: webhook and console, no scheduler.
            return _run_loop(_run_bot(settings, ticks=False))
        if args.command == "web":
            return _run_loop(_run_web(settings))
        if args.command == "demo" or (args.command in (None, "run") and not settings.BOT_TOKEN):
            port = getattr(args, "port", None) or settings.DEMO_PORT
            return _run_loop(_run_demo(settings, port))
        if not settings.BOT_TOKEN:
            print(NO_TOKEN_HELP, file=sys.stderr)
            return EXIT_USAGE
        return _run_loop(_run_bot(settings, poll=args.command != "worker"))
    except ConfigError as exc:
        print(f"configuration error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except StartupError as exc:
        log.error("could not start", extra={"error": type(exc.__cause__).__name__})
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_FAILURE
    except KeyboardInterrupt:
        return EXIT_OK
    except Exception as exc:  # noqa: BLE001 - the class is enough; messages may hold data
        log.error("stopped by an error", extra={"error": type(exc).__name__})
        print(f"error: {type(exc).__name__} (see the log above)", file=sys.stderr)
        return EXIT_FAILURE


async def _run_demo(settings: Settings, port: int) -> int:
    """The offline demo: the emulator and the demo page on 127.0.0.1:port, the real bot
    against it over HTTP, a throw-away database with sample people and offers."""
    from cli.demo import CLIENTS, STAFF, console_login, demo_settings, refuse_database_url, seed
    from emulator.server import EmulatorServer

    refuse_database_url(settings)
    server = EmulatorServer(demo_page=True)
    try:
        await server.start(port=port)
    except OSError as exc:
        raise ConfigError(f"DEMO_PORT: port {port} is not free ({exc.strerror})") from None
    # The sample people have opened the bot before (Telegram would refuse otherwise).
    for telegram_id, name, *_ in (*STAFF, *CLIENTS):
        server.emulator.user(telegram_id, first_name=name.split()[0])
    try:
        demo = demo_settings(settings, server.base_url)
        print(
            f"Lotse demo: open http://127.0.0.1:{server.port} in a browser "
            "(Ctrl+C stops it; nothing leaves this machine)",
            flush=True,
        )

        async def prepare(uow_factory: UnitOfWorkFactory, clock: Clock) -> None:
            await seed(uow_factory, clock)
            server.console_login = console_login(uow_factory, clock, demo.web_base_url)
            print(
                f"Lotse console, logged in as the demo coordinator: {await server.console_login()}"
                f" (works once; the demo page's console link makes a new one each time)",
                flush=True,
            )

        return await _run_bot(demo, poll=True, prepare=prepare)
    finally:
        await server.stop()


async def _start_console(
    settings: Settings,
    uow_factory: UnitOfWorkFactory,
    catalogs: Catalogs,
    clock: Clock,
    bot_username: str | None,
    extend: Callable[[Application], None] | None = None,
) -> AppRunner:
    """The web console on 127.0.0.1:WEB_PORT, in this process's event loop; `extend`
    adds the health and metrics endpoints and the webhook before it starts."""
    from web import build_console_app
    from web.app import PortBusyError, start_console

    app = build_console_app(
        uow_factory=uow_factory,
        catalogs=catalogs,
        clock=clock,
        settings=settings,
        bot_username=bot_username,
    )
    if extend is not None:
        extend(app)
    try:
        runner = await start_console(app, settings.WEB_PORT, shutdown_timeout=STOP_GRACE)
    except PortBusyError as exc:
        raise ConfigError(f"WEB_PORT: {exc}") from None
    log.info("console serving", extra={"port": settings.WEB_PORT})
    return runner


async def _run_web(settings: Settings) -> int:
    """`python main.py web`: the console alone (beside a `worker`, or a bot elsewhere)."""
    from bot.i18n import Catalogs
    from bot.ports import SystemClock
    from cli.commands import bot_username
    from cli.notes_commands import verify_notes_key
    from config.keys import notes_keys
    from storage import create_engine, make_uow_factory, session_factory, upgrade_database
    from web.metrics import PrometheusMetrics

    clock = SystemClock()
    engine = create_engine(settings.DATABASE_URL, notes_keys=notes_keys(settings))
    try:
        await upgrade_database(engine)
        await verify_notes_key(engine)
        catalogs = Catalogs(default_locale=settings.DEFAULT_LOCALE)
        uow_factory = make_uow_factory(session_factory(engine), clock)
        username = await bot_username(settings)
        runner = await _start_console(
            settings,
            uow_factory,
            catalogs,
            clock,
            username,
            extend=wiring.ops(engine, uow_factory, clock, PrometheusMetrics()),
        )
        print(
            f"Lotse console: {settings.web_base_url}/console/ (log in with a link from the bot's "
            "/console, or python main.py console link TELEGRAM_ID; Ctrl+C stops it)",
            flush=True,
        )
        try:
            await asyncio.Event().wait()
        finally:
            await runner.cleanup()
    finally:
        await engine.dispose()
    return EXIT_OK


async def _run_bot(
    settings: Settings,
    *,
    poll: bool = True,
    prepare: Callable[[UnitOfWorkFactory, Clock], Awaitable[None]] | None = None,
    console: bool = True,
    ticks: bool = True,
) -> int:
    """The bot: updates (long polling, or the webhook when WEBHOOK_URL is set), the web
    console and the scheduler; with poll=False the scheduler alone (worker), with
    ticks=False no scheduler (a web process beside a worker).

    SIGTERM stops it gracefully (issue 21, item 4): no new updates, the ones under way and
    the reminder sends under way get STOP_GRACE seconds, the reminders it still holds are
    given back, then the bot's session and the engine are closed."""
    from aiogram import Bot
    from aiogram.client.default import DefaultBotProperties
    from aiogram.client.session.aiohttp import AiohttpSession
    from aiogram.client.telegram import TelegramAPIServer

    from bot.i18n import Catalogs
    from bot.ports import SystemClock
    from bot.services.privacy import RetentionRules
    from bot.services.ticker import Ticker
    from cli.notes_commands import verify_notes_key
    from config.keys import notes_keys
    from handlers import build_dispatcher
    from handlers.plumbing.commands import set_default_commands, set_staff_commands
    from handlers.plumbing.notifier import TelegramNotifier
    from handlers.plumbing.observe import ObserveUpdates
    from handlers.plumbing.sending import RateLimitedSender
    from handlers.plumbing.session import install as install_session_middlewares
    from handlers.plumbing.webhook import mount_webhook, set_webhook
    from scheduler import start_scheduler
    from storage import create_engine, make_uow_factory, session_factory, upgrade_database
    from web.metrics import PrometheusMetrics

    assert settings.BOT_TOKEN is not None
    clock = SystemClock()
    metrics = PrometheusMetrics()
    engine = create_engine(settings.DATABASE_URL, notes_keys=notes_keys(settings))
    await upgrade_database(engine)
    await verify_notes_key(engine)
    catalogs = Catalogs(default_locale=settings.DEFAULT_LOCALE)
    uow_factory = make_uow_factory(session_factory(engine), clock)
    if prepare is not None:
        await prepare(uow_factory, clock)
    session = AiohttpSession(api=TelegramAPIServer.from_base(settings.TELEGRAM_API_URL))
    install_session_middlewares(session, uow_factory, clock)
    bot = Bot(
        token=settings.BOT_TOKEN,
        session=session,
        default=DefaultBotProperties(parse_mode="HTML"),
    )
    policy = settings.booking_policy()
    # SEND_RATE is for all processes on this database (or this Redis) together.
    redis, pace = await wiring.shared_pace(settings, engine)
    translation = settings.translation(metrics)
    sender = TelegramNotifier(
        bot,
        catalogs,
        RateLimitedSender(settings.SEND_RATE, pace=pace),
        policy,
        uow_factory,
        clock,
        translation=translation,
    )
    ticker = Ticker(
        uow_factory,
        clock,
        sender,
        policy,
        agenda_at=settings.agenda_time,
        relay_retention=settings.RELAY_RETENTION,
        retention=RetentionRules(
            inactive_after=settings.CLIENT_INACTIVE_RETENTION,
            audit_after=settings.AUDIT_RETENTION,
            notes_policy=settings.NOTES_ON_ERASURE,
        ),
        metrics=metrics,
        batch=settings.REMINDER_BATCH,
        announcer=sender,
        translation=translation,
    )
    scheduler = start_scheduler(ticker) if ticks else None
    observer = ObserveUpdates(metrics)
    runner: AppRunner | None = None
    stop, stopped = asyncio.Event(), asyncio.Event()

    async def stop_work() -> None:
        """Updates under way and reminder sends under way finish (together, at most
        STOP_GRACE), then this process's reminder claims are given back. Once."""
        if stopped.is_set():
            return
        stopped.set()
        drained, _released = await asyncio.gather(
            observer.drain(STOP_GRACE), ticker.stop(STOP_GRACE), return_exceptions=True
        )
        if scheduler is not None:
            # Only now: APScheduler's shutdown cancels a tick under way.
            scheduler.shutdown(wait=False)
        if drained is not True:
            log.warning("stopped with updates still in flight")

    try:
        if not poll:
            # No console, no webhook: /healthz, /readyz and /metrics (its reminders).
            runner = await wiring.serve_ops(
                settings.WEB_PORT, wiring.ops(engine, uow_factory, clock, metrics, redis)
            )
            log.info("worker starting", extra={"database": engine.dialect.name})
            wiring.on_stop_signals(stop)
            await stop.wait()
            return EXIT_OK
        dispatcher = build_dispatcher(
            uow_factory=uow_factory,
            catalogs=catalogs,
            clock=clock,
            settings=settings,
            policy=policy,
            translation=translation,
            shared=wiring.shared_fsm(settings, engine),
            observer=observer,
        )
        # Polling: after the last getUpdates; webhook: once the server stops listening.
        dispatcher.shutdown.register(stop_work)
        webhook = settings.WEBHOOK_URL
        if console or webhook:
            me = await bot.me()
            ops = wiring.ops(engine, uow_factory, clock, metrics, redis)

            def extend(app: Application) -> None:
                ops(app)
                if webhook:
                    from web.ops import open_path

                    path, secret = settings.webhook_path, settings.webhook_secret
                    mount_webhook(app, dispatcher, bot, path=path, secret=secret)
                    open_path(app, path)

            runner = await _start_console(
                settings, uow_factory, catalogs, clock, me.username, extend=extend
            )
        await set_default_commands(bot, catalogs)
        await set_staff_commands(bot, catalogs, uow_factory)
        # Everything loaded so far lives as long as the process: moved out of the garbage
        # collector's sight, a collection no longer walks it (fewer pauses per update).
        gc.collect()
        gc.freeze()
        # Each update makes a few thousand short-lived objects (aiogram's pydantic models);
        # the young generation is collected every 50,000 allocations instead of every 700
        # (updates benchmark: about 7 % less CPU per update, same peak memory).
        gc.set_threshold(50_000, 20, 50)
        if webhook:
            wiring.on_stop_signals(stop)
            await set_webhook(
                bot,
                url=webhook,
                secret=settings.webhook_secret,
                allowed_updates=dispatcher.resolve_used_update_types(),
            )
            log.info("bot starting", extra={"database": engine.dialect.name, "mode": "webhook"})
            await stop.wait()
        else:
            # A webhook left from an earlier webhook run would make every getUpdates a 409
            # Conflict: polling takes over, and the updates waiting are kept.
            await bot.delete_webhook(drop_pending_updates=False)
            log.info("bot starting", extra={"database": engine.dialect.name})
            await dispatcher.start_polling(bot, handle_signals=True, close_bot_session=False)
    finally:
        if runner is not None:
            await runner.cleanup()  # webhook: stops listening, then stop_work, then waits
        try:
            await stop_work()  # once more for the worker (and after a failed start)
        except Exception as exc:  # noqa: BLE001 - the leases run out instead
            log.warning("reminder claims not released", extra={"error": type(exc).__name__})
        translation.close()
        await bot.session.close()
        if redis is not None:
            await redis.aclose()
        await engine.dispose()
    log.info("stopped")
    return EXIT_OK


if __name__ == "__main__":
    sys.exit(main())
