"""The ticker's part of answers sent later (issue 23, item 3) on a fake outbox: a blocked
client fails the answer for good and its author is told; a passing refusal comes back
later, never inside quiet hours; claims carry the process's mark; when the heartbeat
cannot renew the claim, no further answer goes out and the rest is given back."""

from __future__ import annotations

import asyncio
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
    """An outbox holding due answers (one unless more are given); records its claim
    tokens, how each was finished and what was given back."""

    def __init__(self, job: LaterJob, *more: LaterJob) -> None:
        self.all, self.claimed = [job, *more], False
        self.tokens: list[str] = []
        self.finished: list[tuple[LaterStatus, datetime | None]] = []
        self.released: list[int] = []

    async def claim_due(
        self, now: datetime, lease_until: datetime, token: str, limit: int
    ) -> list[int]:
        if self.claimed:
            return []
        self.claimed = True
        self.tokens.append(token)
        return [job.answer.id or 0 for job in self.all]

    async def jobs(self, answer_ids: list[int], token: str) -> list[LaterJob]:
        return self.all

    async def renew(self, token: str, lease_until: datetime) -> int:
        return len(self.all)

    async def release(self, token: str, answer_ids: list[int]) -> int:
        self.released.extend(answer_ids)
        return len(answer_ids)

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


def _job(number: int = 1) -> LaterJob:
    staff = Staff(5, 1, StaffRole.THM, 500, "de")
    client = Client(7, 70, 70, "ps", site_id=1)
    answer = LaterAnswer(number, 5, 7, datetime(2026, 11, 25, 9, 0, tzinfo=UTC), text="x")
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


async def test_claims_carry_the_process_mark_so_that_a_stop_gives_them_back() -> None:
    outbox, notifier = OneAnswer(_job()), FakeNotifier()
    clock = FakeClock(datetime(2026, 11, 25, 9, 0, tzinfo=UTC))
    await dispatch_later(lambda: Uow(outbox), clock, notifier, POLICY, owner="0a1b2c3d")  # type: ignore[arg-type, return-value]
    assert len(outbox.tokens) == 1 and outbox.tokens[0].startswith("0a1b2c3d-")


async def test_a_lost_heartbeat_stops_the_batch_and_gives_the_rest_back() -> None:
    outbox = OneAnswer(_job(1), _job(2), _job(3))

    async def database_away(token: str, lease_until: datetime) -> int:
        raise ConnectionError("database away")

    outbox.renew = database_away  # type: ignore[method-assign]

    class Slow(FakeNotifier):
        async def send_later(self, job: LaterJob) -> SendResult:
            await asyncio.sleep(0.1)  # the heartbeat (every 0.03 s) fails meanwhile
            return await super().send_later(job)

    notifier = Slow()
    clock = FakeClock(datetime(2026, 11, 25, 9, 0, tzinfo=UTC))
    report = await dispatch_later(
        lambda: Uow(outbox),  # type: ignore[arg-type, return-value]
        clock,
        notifier,
        POLICY,
        lease=timedelta(seconds=0.09),
    )
    assert notifier.told == [("later", 1)] and report.sent == 1 and report.held == 2
    assert outbox.released == [2, 3]


async def test_once_stopping_no_further_answer_goes_out() -> None:
    outbox, stopping = OneAnswer(_job(1), _job(2)), asyncio.Event()

    class StopsHalfway(FakeNotifier):
        async def send_later(self, job: LaterJob) -> SendResult:
            stopping.set()  # SIGTERM while the first answer goes out
            return await super().send_later(job)

    notifier = StopsHalfway()
    clock = FakeClock(datetime(2026, 11, 25, 9, 0, tzinfo=UTC))
    report = await dispatch_later(
        lambda: Uow(outbox),  # type: ignore[arg-type, return-value]
        clock,
        notifier,
        POLICY,
        stopping=stopping,
    )
    assert notifier.told == [("later", 1)] and outbox.released == [2] and report.held == 1
