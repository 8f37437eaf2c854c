"""The fake unit of work itself: the port's shape, commit and rollback, unique keys."""

from __future__ import annotations

import asyncio
import inspect
import typing
from datetime import UTC, datetime, timedelta

import pytest

from bot import ports
from bot.domain import Appointment, Client, LifeArea, Mode, Site, SiteKind
from bot.ports import DuplicateError, UnitOfWork
from tests.fake_uow import FakeUnitOfWork, FakeUnitOfWorkFactory, NotFaked
from tests.fakes import FakeClock
from tests.helpers import id_of

#: Repositories the fake leaves out on purpose (calls raise NotImplementedError) ...
NOT_FAKED = {"offers", "relay", "referrals", "ready_replies", "announcements"}
#: ... and those it fakes only in part (the other methods raise NotImplementedError).
PARTLY_FAKED = {"privacy", "waitlist", "later"}


def _methods(protocol: type) -> dict[str, inspect.Signature]:
    return {
        name: inspect.signature(member)
        for name, member in vars(protocol).items()
        if inspect.isfunction(member) and not name.startswith("_")
    }


def _repositories_of_the_port() -> dict[str, type]:
    """The UnitOfWork Protocol's repositories (read-only properties) and their types."""
    members = {
        name: typing.get_type_hints(member.fget)["return"]
        for name, member in vars(ports.UnitOfWork).items()
        if isinstance(member, property) and member.fget is not None
    }
    return {**members, **typing.get_type_hints(ports.UnitOfWork)}


def test_the_fake_has_every_member_of_the_unit_of_work_port(
    uow_factory: FakeUnitOfWorkFactory,
) -> None:
    uow: UnitOfWork = uow_factory()  # mypy checks this structurally
    hints = _repositories_of_the_port()
    missing = [name for name in hints if not hasattr(uow, name)]
    missing += [m for m in ("__aenter__", "__aexit__", "commit", "rollback") if not hasattr(uow, m)]
    assert missing == []
    # Every faked repository has each method of its Protocol, with the same parameters.
    differences = []
    for name, protocol in hints.items():
        repository = getattr(uow, name)
        partial = isinstance(repository, NotFaked)
        for method, signature in _methods(protocol).items():
            own = getattr(type(repository), method, None)
            if own is None and partial:
                continue
            if own is None or list(inspect.signature(own).parameters) != list(signature.parameters):
                differences.append(f"{name}.{method}")
    assert differences == []
    assert {n for n in hints if type(getattr(uow, n)) is NotFaked} == NOT_FAKED
    partly = {n for n in hints if isinstance(getattr(uow, n), NotFaked)} - NOT_FAKED
    assert partly == PARTLY_FAKED


async def test_a_repository_outside_async_with_is_refused(
    uow_factory: FakeUnitOfWorkFactory,
) -> None:
    uow = uow_factory()
    with pytest.raises(RuntimeError, match="async with"):
        await uow.clients.get(1)


async def test_not_faked_repositories_say_so(uow_factory: FakeUnitOfWorkFactory) -> None:
    async with uow_factory() as uow:
        with pytest.raises(NotImplementedError, match="offers.all"):
            await uow.offers.all()


def _client(user: int) -> Client:
    return Client(id=None, telegram_user_id=user, chat_id=user, locale="de")


async def test_uncommitted_work_is_rolled_back_on_exit(uow_factory: FakeUnitOfWorkFactory) -> None:
    async with uow_factory() as uow:
        added = await uow.clients.add(_client(3))
        assert (await uow.clients.get(id_of(added))) == added  # it reads its own writes
    assert uow.committed is False
    assert uow_factory.db.clients() == []


async def test_commit_publishes_and_writes_after_it_are_rolled_back(
    uow_factory: FakeUnitOfWorkFactory, clock: FakeClock
) -> None:
    async with uow_factory() as uow:
        kept = await uow.clients.add(_client(1))
        await uow.commit()
        await uow.clients.add(_client(2))
    assert uow.committed is True
    assert [c.telegram_user_id for c in uow_factory.db.clients()] == [1]
    assert uow_factory.db.clients()[0].created_at == clock.now() and kept.id is not None


async def test_explicit_rollback_drops_writes_and_the_unit_goes_on(
    uow_factory: FakeUnitOfWorkFactory,
) -> None:
    async with uow_factory() as uow:
        await uow.clients.add(_client(1))
        await uow.rollback()
        assert await uow.clients.by_telegram_id(1) is None
        await uow.clients.add(_client(2))
        await uow.commit()
    assert [c.telegram_user_id for c in uow_factory.db.clients()] == [2]


async def test_returned_objects_are_copies(uow_factory: FakeUnitOfWorkFactory) -> None:
    async with uow_factory() as uow:
        client = await uow.clients.add(_client(1))
        client.locale = "en"  # not stored until update()
        stored = await uow.clients.get(id_of(client))
        assert stored is not None and stored.locale == "de"
        await uow.commit()


async def test_duplicates_raise_the_port_error(
    uow_factory: FakeUnitOfWorkFactory, clock: FakeClock
) -> None:
    async with uow_factory() as uow:
        await uow.clients.add(_client(4))
        with pytest.raises(DuplicateError):
            await uow.clients.add(_client(4))
        await uow.sites.add(Site(None, "essen", "Essen", SiteKind.CITY))
        with pytest.raises(DuplicateError):
            await uow.sites.add(Site(None, "essen", "Essen 2", SiteKind.CITY))


def _appointment(client_id: int, starts_at: datetime) -> Appointment:
    return Appointment(
        id=None,
        client_id=client_id,
        staff_id=7,
        starts_at=starts_at,
        ends_at=starts_at + timedelta(minutes=30),
        mode=Mode.PHONE,
        topic=LifeArea.WORK,
    )


async def test_a_booked_slot_is_unique_but_a_cancelled_one_is_free(
    uow_factory: FakeUnitOfWorkFactory, clock: FakeClock
) -> None:
    at = datetime(2026, 11, 26, 8, tzinfo=UTC)
    async with uow_factory() as uow:
        first = await uow.appointments.add(_appointment(1, at), clock.now())
        with pytest.raises(DuplicateError):
            await uow.appointments.add(_appointment(2, at), clock.now())
        cancelled = await uow.appointments.set_status(
            id_of(first), first.status.CANCELLED, clock.now()
        )
        assert cancelled is not None
        assert (
            await uow.appointments.set_status(id_of(first), first.status.CANCELLED, clock.now())
            is None
        )
        second = await uow.appointments.add(_appointment(2, at), clock.now())
        await uow.commit()
    assert [a.client_id for a in uow_factory.db.appointments()] == [1, 2]
    assert second.id != first.id


async def test_an_uncommitted_booking_of_another_unit_is_waited_for(
    uow_factory: FakeUnitOfWorkFactory, clock: FakeClock
) -> None:
    at = datetime(2026, 11, 26, 8, tzinfo=UTC)
    order: list[str] = []

    async def first() -> None:
        async with uow_factory() as uow:
            await uow.appointments.add(_appointment(1, at), clock.now())
            await asyncio.sleep(0.001)  # still open while the other tries
            order.append("first commits")
            await uow.commit()

    async def second() -> None:
        await asyncio.sleep(0)
        async with uow_factory() as uow:
            with pytest.raises(DuplicateError):
                await uow.appointments.add(_appointment(2, at), clock.now())
            order.append("second refused")

    await asyncio.gather(first(), second())
    assert order == ["first commits", "second refused"]


async def test_a_rolled_back_booking_frees_the_waiting_one(
    uow_factory: FakeUnitOfWorkFactory, clock: FakeClock
) -> None:
    at = datetime(2026, 11, 26, 8, tzinfo=UTC)

    async def first() -> None:
        async with uow_factory() as uow:
            await uow.appointments.add(_appointment(1, at), clock.now())
            await asyncio.sleep(0.001)  # then leaves without commit

    async def second() -> Appointment:
        await asyncio.sleep(0)
        async with uow_factory() as uow:
            booked = await uow.appointments.add(_appointment(2, at), clock.now())
            await uow.commit()
            return booked

    _, booked = await asyncio.gather(first(), second())
    assert [a.id for a in uow_factory.db.appointments()] == [booked.id]


def test_the_factory_is_a_unit_of_work_factory(uow_factory: FakeUnitOfWorkFactory) -> None:
    factory: ports.UnitOfWorkFactory = uow_factory
    made = factory()
    assert isinstance(made, FakeUnitOfWork) and uow_factory.last is made
