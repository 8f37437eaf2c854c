"""The outbox of answers sent later on a real database (SQLite; PostgreSQL with
TEST_DATABASE_URL): two dispatchers racing for the due answers send each once; a crashed
dispatcher's lease runs out and the answer comes back; only a pending answer of its own
author can be cancelled."""

from __future__ import annotations

import asyncio
from datetime import timedelta

from sqlalchemy import select

from bot.later import LaterAnswer, LaterStatus
from bot.services import later
from storage.later_models import LaterAnswerRow
from tests.fakes import FakeNotifier
from tests.helpers import id_of
from tests.integration.conftest import Db
from tests.unit.service_setup import POLICY, add_client, add_staff


async def _answers(db: Db, count: int) -> tuple[int, list[int]]:
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
                    None, id_of(thm), id_of(client), db.clock.now(), text=f"Antwort {number}"
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
