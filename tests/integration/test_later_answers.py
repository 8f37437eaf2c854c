"""The outbox of answers sent later on a real database (SQLite; PostgreSQL with
TEST_DATABASE_URL): two dispatchers racing for the due answers send each once; a crashed
dispatcher's lease runs out and the answer comes back; only a pending answer of its own
author can be cancelled. A batch outliving its lease keeps its claim (heartbeat); a
stopping ticker sends no further answer and gives back its claims; an answer in a final
state keeps no words; a deactivated author's answers are cancelled; key rotation
re-encrypts the kept words (issue 23, review of item 3)."""

from __future__ import annotations

import asyncio
from datetime import time, timedelta

from sqlalchemy import select, text

from bot.later import LaterAnswer, LaterJob, LaterStatus
from bot.ports import Outcome, SendResult
from bot.services import later
from bot.services import staff as staff_service
from bot.services.reminder_claims import claim_token
from bot.services.ticker import Ticker
from config.keys import new_key
from storage import create_engine, make_uow_factory, session_factory
from storage.crypto import rotate_keys
from storage.later_models import LaterAnswerRow
from tests.conftest import NOTES_KEY
from tests.fakes import FakeNotifier
from tests.helpers import id_of
from tests.integration.conftest import Db
from tests.unit.service_setup import POLICY, add_client, add_staff

SHORT = timedelta(seconds=0.09)  # the heartbeat renews every 0.03 s


async def _answers(
    db: Db, count: int, values: dict[str, str] | None = None
) -> tuple[int, list[int]]:
    thm = await add_staff(db.uow_factory, db.clock, telegram_user_id=910)
    clients = [
        await add_client(
            db.uow_factory, db.clock, telegram_user_id=2000 + number, site_id=thm.site_id
        )
        for number in range(count)
    ]
    ids = []
    async with db.uow_factory() as uow:
        for number, client in enumerate(clients):
            stored = await uow.later.add(
                LaterAnswer(
                    None,
                    id_of(thm),
                    id_of(client),
                    db.clock.now(),
                    text=f"Antwort {number}",
                    values=dict(values or {}),
                ),
                db.clock.now(),
            )
            ids.append(id_of(stored))
        await uow.commit()
    return id_of(thm), ids


async def test_two_dispatchers_send_each_answer_once(db: Db) -> None:
    _, ids = await _answers(db, 30)
    notifier = FakeNotifier()
    reports = await asyncio.gather(
        *(
            later.dispatch_later(db.uow_factory, db.clock, notifier, POLICY, batch=7)
            for _ in range(2)
        )
    )
    assert sum(r.sent for r in reports) == 30
    assert (
        sorted(int(str(answer_id)) for kind, answer_id in notifier.told if kind == "later") == ids
    )
    statuses = set(await db.rows(select(LaterAnswerRow.status)))
    assert statuses == {("sent",)}


async def test_a_lost_lease_comes_back_and_cancelling_is_for_the_author_while_pending(
    db: Db,
) -> None:
    staff_id, (first, second) = await _answers(db, 2)
    now = db.clock.now()
    async with db.uow_factory() as uow:
        claimed = await uow.later.claim_due(now, now + timedelta(seconds=30), "crashed", 10)
        await uow.commit()
    assert claimed == [first, second]
    async with db.uow_factory() as uow:  # held: nobody else gets them
        assert await uow.later.claim_due(now, now + timedelta(seconds=30), "other", 10) == []
        assert not await uow.later.cancel(first, staff_id, now)  # being sent: too late
        await uow.commit()
    db.clock.advance(seconds=31)
    async with db.uow_factory() as uow:
        again = await uow.later.claim_due(db.clock.now(), db.clock.now(), "next", 10)
        # Only the token holding them may finish them.
        assert not await uow.later.finish(first, "crashed", LaterStatus.SENT, db.clock.now())
        assert await uow.later.finish(
            second, "next", LaterStatus.PENDING, db.clock.now(), due_at=db.clock.now()
        )
        await uow.commit()
    assert again == [first, second]
    async with db.uow_factory() as uow:
        assert not await uow.later.cancel(second, staff_id + 1, db.clock.now())  # not theirs
        assert await uow.later.cancel(second, staff_id, db.clock.now())
        pending = await uow.later.pending_of_staff(staff_id)
        await uow.commit()
    assert pending == []


def _sent(notifier: FakeNotifier) -> list[int]:
    return sorted(int(str(answer_id)) for kind, answer_id in notifier.told if kind == "later")


async def test_a_batch_outliving_its_lease_is_not_sent_again_by_another_dispatcher(
    db: Db,
) -> None:
    _, ids = await _answers(db, 3)
    other = FakeNotifier()
    others: list[later.LaterReport] = []

    class Slow(FakeNotifier):
        async def send_later(self, job: LaterJob) -> SendResult:
            db.clock.advance(seconds=40)  # each send (a translation, the rate) outlives the lease
            await asyncio.sleep(0.1)
            # Meanwhile another process looks for due answers.
            others.append(
                await later.dispatch_later(db.uow_factory, db.clock, other, POLICY, lease=SHORT)
            )
            return await super().send_later(job)

    first = Slow()
    report = await later.dispatch_later(db.uow_factory, db.clock, first, POLICY, lease=SHORT)
    assert report.sent == 3 and _sent(first) == ids
    assert other.told == [] and sum(r.sent for r in others) == 0  # none went out twice
    assert set(await db.rows(select(LaterAnswerRow.status))) == {("sent",)}


async def test_a_stopping_ticker_sends_no_further_answer_and_gives_its_claims_back(
    db: Db,
) -> None:
    _, ids = await _answers(db, 3)
    stops: list[asyncio.Task[int]] = []

    class StopsHalfway(FakeNotifier):
        async def send_later(self, job: LaterJob) -> SendResult:
            if not stops:  # SIGTERM while the first answer goes out
                stops.append(asyncio.create_task(ticker.stop(grace=5)))
                await asyncio.sleep(0)
            return await super().send_later(job)

    notifier = StopsHalfway()
    ticker = Ticker(db.uow_factory, db.clock, notifier, POLICY, agenda_at=time(7))
    await asyncio.create_task(ticker.tick())  # as the scheduler runs it: its own task
    assert await stops[0] == 0  # nothing left to give back: the batch gave it back
    assert _sent(notifier) == ids[:1]
    rows = await db.rows(
        select(LaterAnswerRow.id, LaterAnswerRow.status, LaterAnswerRow.claim_token).order_by(
            LaterAnswerRow.id
        )
    )
    assert rows == [(ids[0], "sent", None), (ids[1], "pending", None), (ids[2], "pending", None)]


async def test_stop_gives_back_the_answers_this_process_holds(db: Db) -> None:
    _, ids = await _answers(db, 2)
    ticker = Ticker(db.uow_factory, db.clock, FakeNotifier(), POLICY, agenda_at=time(7))
    now = db.clock.now()
    async with db.uow_factory() as uow:  # claimed by this process, its send cut short
        assert await uow.later.claim_due(
            now, now + timedelta(seconds=30), claim_token(ticker.owner), 1
        )
        assert await uow.later.claim_due(now, now + timedelta(seconds=30), "someone-else", 1)
        await uow.commit()
    assert await ticker.stop(grace=0) == 1
    rows = await db.rows(
        select(LaterAnswerRow.id, LaterAnswerRow.status).order_by(LaterAnswerRow.id)
    )
    assert rows == [(ids[0], "pending"), (ids[1], "sending")]  # only its own


async def test_an_answer_sent_failed_or_cancelled_keeps_no_words(db: Db) -> None:
    staff_id, (sent, failed, cancelled, waiting) = await _answers(db, 4, {"zeit": "10:00"})
    async with db.uow_factory() as uow:
        assert await uow.later.cancel(cancelled, staff_id, db.clock.now())
        await uow.commit()
    notifier = FakeNotifier()
    notifier.outcomes[2001] = SendResult(Outcome.BLOCKED)  # the second client left
    notifier.outcomes[2003] = SendResult(Outcome.RETRY, retry_after=60)  # later again
    report = await later.dispatch_later(db.uow_factory, db.clock, notifier, POLICY)
    assert (report.sent, report.failed, report.deferred) == (1, 1, 1)
    rows = await db.rows(
        select(
            LaterAnswerRow.id,
            LaterAnswerRow.status,
            LaterAnswerRow.text,
            LaterAnswerRow.reply_values,
        ).order_by(LaterAnswerRow.id)
    )
    assert rows == [
        (sent, "sent", None, None),
        (failed, "failed", None, None),
        (cancelled, "cancelled", None, None),
        (waiting, "pending", "Antwort 3", '{"zeit": "10:00"}'),  # still to be sent
    ]


async def test_deactivating_a_case_manager_cancels_their_waiting_answers(db: Db) -> None:
    staff_id, ids = await _answers(db, 2, {"zeit": "10:00"})
    await staff_service.deactivate_staff(db.uow_factory, telegram_user_id=910, clock=db.clock)
    rows = await db.rows(
        select(LaterAnswerRow.status, LaterAnswerRow.text, LaterAnswerRow.reply_values)
    )
    assert rows == [("cancelled", None, None)] * 2
    notifier = FakeNotifier()
    report = await later.dispatch_later(db.uow_factory, db.clock, notifier, POLICY)
    assert not report.any and notifier.told == []  # nothing goes out in their name
    async with db.uow_factory() as uow:
        assert await uow.later.pending_of_staff(staff_id) == []


async def test_key_rotation_re_encrypts_the_answers_kept_for_later(db: Db) -> None:
    staff_id, _ = await _answers(db, 1, {"zeit": "10:00"})
    read = text("SELECT text, reply_values FROM later_answers")
    before = (await db.rows(read))[0]
    assert all(token.startswith("gAAAAA") for token in before)  # Fernet tokens
    fresh = new_key()
    rotated = create_engine(db.database_url, notes_keys=[fresh, NOTES_KEY])
    try:
        assert await rotate_keys(rotated) >= 2
    finally:
        await rotated.dispose()
    after = (await db.rows(read))[0]
    assert after[0] != before[0] and after[1] != before[1]
    only_new = create_engine(db.database_url, notes_keys=[fresh])
    try:
        factory = make_uow_factory(session_factory(only_new), db.clock)
        async with factory() as uow:
            (answer,) = await uow.later.pending_of_staff(staff_id)
    finally:
        await only_new.dispose()
    assert answer.text == "Antwort 0" and answer.values == {"zeit": "10:00"}
