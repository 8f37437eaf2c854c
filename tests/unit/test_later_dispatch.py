"""The ticker's part of answers sent later (issue 23, item 3) on a fake outbox: a blocked
client fails the answer for good and its author is told; a passing refusal comes back
later, never inside quiet hours."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from bot.domain import Client, Staff, StaffRole
from bot.later import LaterAnswer, LaterJob, LaterStatus
from bot.ports import Outcome, SendResult
from bot.reminder_schedule import QuietHours
from bot.services.later import dispatch_later
from bot.slots import BookingPolicy
from tests.fakes import FakeClock, FakeNotifier

BERLIN = ZoneInfo("Europe/Berlin")
POLICY = BookingPolicy(
    lead=timedelta(hours=2), horizon_days=14, max_open=3, zone=BERLIN,
    quiet=QuietHours(time(21), time(8), BERLIN),
)  # fmt: skip


class OneAnswer:
    """An outbox holding one due answer; records how it was finished."""

    def __init__(self, job: LaterJob) -> None:
        self.job, self.claimed = job, False
        self.finished: list[tuple[LaterStatus, datetime | None]] = []

    async def claim_due(
        self, now: datetime, lease_until: datetime, token: str, limit: int
    ) -> list[int]:
        if self.claimed:
            return []
        self.claimed = True
        return [1]

    async def jobs(self, answer_ids: list[int], token: str) -> list[LaterJob]:
        return [self.job]

    async def finish(
        self,
        answer_id: int,
        token: str,
        status: LaterStatus,
        at: datetime,
        *,
        due_at: datetime | None = None,
    ) -> bool:
        self.finished.append((status, due_at))
        return True

    async def add(self, **kwargs: Any) -> None:  # the relay record of a sent answer
        pass


class Uow:
    def __init__(self, outbox: OneAnswer) -> None:
        self.later = self.relay = outbox

    async def __aenter__(self) -> Uow:
        return self

    async def __aexit__(self, *args: object) -> None:
        pass

    async def commit(self) -> None:
        pass


def _job() -> LaterJob:
    staff = Staff(5, 1, StaffRole.THM, 500, "de")
    client = Client(7, 70, 70, "ps", site_id=1)
    answer = LaterAnswer(1, 5, 7, datetime(2026, 11, 25, 9, 0, tzinfo=UTC), text="x")
    return LaterJob(answer, "token", 0, client, staff)


async def test_a_blocked_client_fails_the_answer_and_its_author_is_told() -> None:
    outbox, notifier = OneAnswer(_job()), FakeNotifier()
    notifier.outcomes[70] = SendResult(Outcome.BLOCKED)
    clock = FakeClock(datetime(2026, 11, 25, 9, 0, tzinfo=UTC))
    report = await dispatch_later(lambda: Uow(outbox), clock, notifier, POLICY)  # type: ignore[arg-type, return-value]
    assert outbox.finished == [(LaterStatus.FAILED, None)] and report.failed == 1
    assert notifier.unreachable_told == [7]


async def test_a_passing_refusal_comes_back_after_the_quiet_hours() -> None:
    outbox, notifier = OneAnswer(_job()), FakeNotifier()
    notifier.outcomes[70] = SendResult(Outcome.RETRY, retry_after=600)
    clock = FakeClock(datetime(2026, 11, 25, 19, 55, tzinfo=UTC))  # 20:55 in Berlin
    report = await dispatch_later(lambda: Uow(outbox), clock, notifier, POLICY)  # type: ignore[arg-type, return-value]
    assert report.deferred == 1
    assert outbox.finished == [(LaterStatus.PENDING, datetime(2026, 11, 26, 7, 0, tzinfo=UTC))]
