"""Handover and deputies through feed_update: who may, who is told, what changes."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import select

from bot.domain import Mode
from bot.services import booking
from bot.services import staff as staff_service
from handlers import views
from handlers.staff import team_views as tv
from storage.models import ClientRow
from storage.note_models import AuditRow, DeputyRow
from tests.helpers import id_of
from tests.telegram.harness import Person
from tests.telegram.world import World, add_hours, case_manager, client_of

ANNA, BEN, OTHER = 830, 831, 832


async def _team(world: World) -> tuple[Person, Person, Person]:
    """Anna and Ben (who reads Dari) at Essen, and a stranger at Borken."""
    anna = await case_manager(world, ANNA)
    ben = await case_manager(world, BEN, locale="fa_AF")
    stranger = await case_manager(world, OTHER, slug="borken")
    for user_id, name in ((ANNA, "Anna"), (BEN, "Ben")):
        async with world.uow_factory() as uow:
            member = await uow.staff.by_telegram_id(user_id)
            assert member is not None
            member.display_name = name
            await uow.staff.update(member)
            await uow.commit()
    return anna, ben, stranger


async def test_handover_tells_the_client_and_the_colleague(world: World) -> None:
    t, harness, uow_factory = world.t("de"), world.harness, world.uow_factory
    anna, ben, stranger = await _team(world)
    ahmad = await client_of(world, ANNA, 1, "Ahmad K.")
    samira = await client_of(world, ANNA, 2, "Samira")
    ben_staff = await staff_service.active_staff(uow_factory, BEN)
    assert ben_staff is not None

    # Someone of another site, and a colleague who is not the case manager: refused.
    for action in ("hto", "hok"):
        other = await staff_service.active_staff(uow_factory, OTHER)
        assert other is not None
        await stranger.press(f"tm:{action}:{ahmad.id}:{other.id}")
        assert harness.answers()[-1].text == views.stale_button(t)
    await ben.press(f"tm:ho:{samira.id}:")
    assert harness.answers()[-1].text == tv.handover_refused(world.t("fa_AF"))

    await anna.press(f"sc:view:{ahmad.id}:")
    await anna.tap(t.p_("button", "🤝 Hand over"))
    sent = await anna.tap("Ben")
    # First the question; nobody is told yet.
    assert not [s for s in sent if s.chat_id in (ahmad.chat_id, BEN)]
    sent = await anna.tap(t.p_("button", "✅ Yes, hand over"))
    ct = world.t("fa_AF")
    to_client = [s for s in sent if s.chat_id == ahmad.chat_id]
    assert to_client and to_client[-1].text == tv.client_new_advisor(ct, ben_staff).text
    to_ben = [s for s in sent if s.chat_id == BEN]
    assert to_ben and to_ben[-1].text is not None
    assert "Ahmad K." in to_ben[-1].text
    async with world.engine.connect() as connection:
        owners = dict(
            (await connection.execute(select(ClientRow.id, ClientRow.case_manager_id)))
            .tuples()
            .all()
        )
        audit = (await connection.execute(select(AuditRow.action, AuditRow.client_id))).all()
    assert owners[id_of(ahmad)] == ben_staff.id and owners[id_of(samira)] != ben_staff.id
    assert ("client.handover", ahmad.id) in audit


async def test_a_deputy_serves_the_clients_for_a_period(world: World) -> None:
    t, engine, uow_factory = world.t("de"), world.engine, world.uow_factory
    clock, policy = world.clock, world.policy
    anna, ben, stranger = await _team(world)
    ahmad = await client_of(world, ANNA, 1, "Ahmad K.")
    ben_staff = await staff_service.active_staff(uow_factory, BEN)
    assert ben_staff is not None
    await add_hours(world, BEN, weekday=4, hours=(9, 10), mode=Mode.PHONE)
    before = await booking.offered_slots(uow_factory, clock, policy, client_id=id_of(ahmad))
    assert all(s.staff_id != ben_staff.id for s in before)

    await anna.send("/start")
    await anna.tap(t.p_("button", "🧳 Absence"))
    await anna.tap(t.p_("button", "➕ Name a deputy"))
    await anna.tap("Ben")
    sent = await anna.tap(t.p_("button", "1 week"))
    until = (clock.now().astimezone(policy.zone) + timedelta(days=6)).date()
    ct = world.t("fa_AF")
    to_client = [s for s in sent if s.chat_id == ahmad.chat_id]
    assert to_client[-1].text == tv.client_deputy(ct, ben_staff, until, policy.zone).text
    anna_staff = await staff_service.active_staff(uow_factory, ANNA)
    assert anna_staff is not None
    bt = world.t("fa_AF")
    assert [s.text for s in sent if s.chat_id == BEN][-1] == tv.deputy_told(
        bt, anna_staff, until, 1, policy.zone
    )

    # The deputy finds the client among their own, and the client is offered the deputy's slots.
    sent = await ben.send("/clients")
    assert "Ahmad K." in sent[-1].labels[0]
    during = await booking.offered_slots(uow_factory, clock, policy, client_id=id_of(ahmad))
    assert any(s.staff_id == ben_staff.id for s in during)

    # A forged end of someone else's period changes nothing; Anna ends hers.
    async with engine.connect() as connection:
        row_id = (await connection.execute(select(DeputyRow.id))).scalar_one()
    await stranger.press(f"tm:dend:{row_id}:")
    async with engine.connect() as connection:
        assert (await connection.execute(select(DeputyRow.id))).tuples().all() == [(row_id,)]
    await anna.tap(t.p_("button", "🧳 Absence"))
    await anna.tap(t.p_("button", "✖️ End: {name}", name="Ben"))
    async with engine.connect() as connection:
        assert (await connection.execute(select(DeputyRow.id))).all() == []
    # And after the period, nothing is left over either.
    clock.current = datetime(2026, 12, 10, 9, tzinfo=UTC)
    after = await booking.offered_slots(uow_factory, clock, policy, client_id=id_of(ahmad))
    assert all(s.staff_id != ben_staff.id for s in after)
