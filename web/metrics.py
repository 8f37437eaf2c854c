"""Prometheus metrics (issue 21, item 3): the bot.ports.Metrics port on prometheus-client.

Each process keeps its own registry (no global state: tests build several). Labels are
fixed words only — the update's type, an outcome, a reminder event — never an id, a name
or a text.
"""

from __future__ import annotations

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram, generate_latest
from prometheus_client.exposition import CONTENT_TYPE_PLAIN_0_0_4

#: Text exposition format 0.0.4, which every Prometheus reads.
CONTENT_TYPE = CONTENT_TYPE_PLAIN_0_0_4

#: Handling an update takes milliseconds; a slow database or Telegram makes it seconds.
_LATENCY_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0)
#: Reminders are claimed every 15 s; late means minutes (an outage, a backlog).
_LAG_BUCKETS = (1.0, 5.0, 15.0, 30.0, 60.0, 120.0, 300.0, 900.0, 3600.0)


class PrometheusMetrics:
    """Implements bot.ports.Metrics; `render()` is the body of GET /metrics."""

    def __init__(self) -> None:
        self.registry = CollectorRegistry()
        self._updates = Counter(
            "lotse_updates",
            "Telegram updates handled, by type and outcome (handled, unhandled, error).",
            ["type", "outcome"],
            registry=self.registry,
        )
        self._latency = Histogram(
            "lotse_update_handling_seconds",
            "Time from an update's arrival in this process to the end of its handling.",
            ["type"],
            buckets=_LATENCY_BUCKETS,
            registry=self.registry,
        )
        self._reminders = Counter(
            "lotse_reminders",
            "Reminders due (claimed), sent, retried (refused for now) and failed (for good).",
            ["event"],
            registry=self.registry,
        )
        self._claim_lag = Histogram(
            "lotse_reminder_claim_lag_seconds",
            "How long after its due time a reminder was claimed.",
            buckets=_LAG_BUCKETS,
            registry=self.registry,
        )
        self._translations = Counter(
            "lotse_translations",
            "Machine translation calls, by outcome (done, failed, timeout, busy, unsupported).",
            ["outcome"],
            registry=self.registry,
        )
        self.console_sessions = Gauge(
            "lotse_console_sessions_open",
            "Web console sessions used within the idle timeout.",
            registry=self.registry,
        )
        # Zero from the start, so that a rate() has a first point and dashboards show 0.
        for event in ("due", "sent", "retried", "failed"):
            self._reminders.labels(event=event)
        for outcome in ("done", "failed"):
            self._translations.labels(outcome=outcome)

    def update_handled(self, kind: str, outcome: str, seconds: float) -> None:
        self._updates.labels(type=kind, outcome=outcome).inc()
        self._latency.labels(type=kind).observe(seconds)

    def reminders(self, event: str, count: int = 1) -> None:
        self._reminders.labels(event=event).inc(count)

    def claim_lag(self, seconds: float) -> None:
        self._claim_lag.observe(seconds)

    def translation(self, outcome: str) -> None:
        self._translations.labels(outcome=outcome).inc()

    def render(self) -> bytes:
        return generate_latest(self.registry)
