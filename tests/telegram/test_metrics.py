"""GET /metrics (issue 21, item 3): Prometheus's own parser reads it, and the counters
move when an update is handled and a reminder is sent; no label carries a person."""

from __future__ import annotations

from datetime import UTC, datetime

from aiohttp import ClientSession
from aiohttp.test_utils import TestServer
from prometheus_client.parser import text_string_to_metric_families

from bot.domain import LifeArea
from bot.services.console import issue_login_link, log_in
from bot.services.reminders import dispatch_due
from handlers import build_dispatcher
from handlers.plumbing.notifier import TelegramNotifier
from handlers.plumbing.observe import ObserveUpdates
from handlers.plumbing.sending import RateLimitedSender
from tests.helpers import id_of
from tests.telegram.harness import TelegramHarness
from tests.telegram.world import World, add_hours, book_by_buttons, case_manager, consented_client
from web import build_console_app
from web.metrics import PrometheusMetrics
from web.ops import Ops, add_ops_routes

STAFF_ID = 900
CLIENT_ID = 9100
THURSDAY_10 = datetime(2026, 11, 26, 9, 0, tzinfo=UTC)  # 10:00 Berlin


async def _scrape(
    world: World, metrics: PrometheusMetrics
) -> dict[tuple[str, tuple[tuple[str, str], ...]], float]:
    app = build_console_app(
        uow_factory=world.uow_factory,
        catalogs=world.catalogs,
        clock=world.clock,
        settings=world.settings,
    )
    add_ops_routes(app, Ops(metrics, uow_factory=world.uow_factory, clock=world.clock))
    server = TestServer(app, host="127.0.0.1")
    await server.start_server()
    try:
        async with ClientSession() as http, http.get(server.make_url("/metrics")) as response:
            assert response.status == 200
            assert response.headers["Content-Type"].startswith("text/plain; version=0.0.4")
            body = await response.text()
    finally:
        await server.close()
    samples = {}
    for family in text_string_to_metric_families(body):
        for sample in family.samples:
            samples[(sample.name, tuple(sorted(sample.labels.items())))] = sample.value
    return samples


async def test_metrics_parse_and_move_with_updates_and_reminders(world: World) -> None:
    metrics = PrometheusMetrics()
    harness = TelegramHarness(
        build_dispatcher(
            uow_factory=world.uow_factory,
            catalogs=world.catalogs,
            clock=world.clock,
            settings=world.settings,
            policy=world.policy,
            observer=ObserveUpdates(metrics),
        )
    )
    before = await _scrape(world, metrics)
    assert before[("lotse_reminders_total", (("event", "sent"),))] == 0
    assert before[("lotse_console_sessions_open", ())] == 0
    assert not any(name == "lotse_updates_total" for name, _ in before)

    world.__dict__["harness"] = harness  # the world's cached harness: this one
    await case_manager(world, STAFF_ID)
    await add_hours(world, STAFF_ID, weekday=3, hours=(9, 12), address="Rathaus")
    t = world.t("de")
    client = await consented_client(world, CLIENT_ID, "de")
    await book_by_buttons(client, t, "10:00", area=LifeArea.HOUSING, day=THURSDAY_10)
    world.clock.current = datetime(2026, 11, 26, 7, 0, 5, tzinfo=UTC)  # the 2 h reminder
    sender = TelegramNotifier(
        harness.bot,
        world.catalogs,
        RateLimitedSender(1000, per_chat_interval=0),
        world.policy,
        world.uow_factory,
        world.clock,
    )
    report = await dispatch_due(
        world.uow_factory, world.clock, sender, world.policy, metrics=metrics
    )
    assert report.sent == 1
    async with world.uow_factory() as uow:
        staff = await uow.staff.by_telegram_id(STAFF_ID)
    assert staff is not None
    await log_in(
        world.uow_factory,
        world.clock,
        token=await issue_login_link(world.uow_factory, world.clock, staff_id=id_of(staff)),
    )

    after = await _scrape(world, metrics)
    messages = after[("lotse_updates_total", (("outcome", "handled"), ("type", "message")))]
    callbacks = after[("lotse_updates_total", (("outcome", "handled"), ("type", "callback_query")))]
    assert messages >= 2 and callbacks >= 5  # /start of both, and the taps of a booking
    assert (
        after[("lotse_update_handling_seconds_count", (("type", "callback_query"),))] == callbacks
    )
    assert after[("lotse_reminders_total", (("event", "due"),))] == 1
    assert after[("lotse_reminders_total", (("event", "sent"),))] == 1
    assert after[("lotse_reminders_total", (("event", "failed"),))] == 0
    assert after[("lotse_reminder_claim_lag_seconds_count", ())] == 1
    assert after[("lotse_console_sessions_open", ())] == 1
    # Fixed words only: no id, name or text in any label.
    values = {value for _, labels in after for key, value in labels if key != "le"}
    assert not any(str(number) in value for value in values for number in (STAFF_ID, CLIENT_ID))
