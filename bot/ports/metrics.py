"""What the core reports for monitoring (issue 21, item 3), as a port.

The Prometheus side lives in web/metrics.py; bot/ only calls these methods, so it never
depends on prometheus-client. Labels are fixed words (kinds, outcomes), never ids or text.
"""

from __future__ import annotations

from typing import Protocol


class Metrics(Protocol):
    def update_handled(self, kind: str, outcome: str, seconds: float) -> None:
        """One Telegram update: its type (`message`, `callback_query`, ...), its outcome
        (`handled`, `unhandled`, `error`) and how long handling took."""
        ...

    def reminders(self, event: str, count: int = 1) -> None:
        """Reminders that were `due` (claimed), `sent`, `retried` or `failed`."""
        ...

    def claim_lag(self, seconds: float) -> None:
        """How late a reminder was claimed after it was due."""
        ...

    def translation(self, outcome: str) -> None:
        """One machine translation call and its outcome (`done`, `failed`, ...)."""
        ...


class NoMetrics:
    """Reports nothing (tests, commands without a metrics endpoint)."""

    def update_handled(self, kind: str, outcome: str, seconds: float) -> None:
        return None

    def reminders(self, event: str, count: int = 1) -> None:
        return None

    def claim_lag(self, seconds: float) -> None:
        return None

    def translation(self, outcome: str) -> None:
        return None


NO_METRICS = NoMetrics()
