"""Onboarding, consent, arrival by invite or site link, and the start of each update, on
the fake unit of work (service logic of tests/integration/test_storage.py and more)."""

from __future__ import annotations

import pytest

from bot.domain import Client
from bot.services import arrival, onboarding
from bot.services import staff as staff_service
from bot.services.arrival import Arrival
from bot.services.updates import begin_update, forget_old_updates
from tests.fake_uow import FakeUnitOfWorkFactory
from tests.fakes import FakeClock
from tests.helpers import id_of
from tests.unit.service_setup import add_client, add_staff


def _stored(uow_factory: FakeUnitOfWorkFactory) -> Client:
    (client,) = uow_factory.db.clients()
    return client


async def test_choosing_a_language_stores_only_the_minimal_record(
    uow_factory: FakeUnitOfWorkFactory, clock: FakeClock
) -> None:
    client = await onboarding.choose_language(
        uow_factory, telegram_user_id=5, chat_id=50, locale="fa-AF", start_code="site-essen"
    )
    assert uow_factory.last.committed
    assert _stored(uow_factory) == client
    assert (client.locale, client.chat_id, client.start_code) == ("fa_AF", 50, "site-essen")
    assert client.consented_at is None and client.site_id is None and client.phone is None
    again = await onboarding.choose_language(
        uow_factory, telegram_user_id=5, chat_id=51, locale="en", start_code="bad code!"
    )
    assert again.id == client.id and (again.locale, again.chat_id) == ("en", 51)
    assert again.start_code is None  # an invalid payload is not kept
    assert len(uow_factory.db.clients()) == 1


async def test_an_unknown_language_is_refused_before_any_write(
    uow_factory: FakeUnitOfWorkFactory,
) -> None:
    with pytest.raises(onboarding.UnknownLocaleError):
        await onboarding.choose_language(uow_factory, telegram_user_id=5, chat_id=5, locale="xx")
    assert uow_factory.made == [] and uow_factory.db.clients() == []


@pytest.mark.parametrize(
    ("payload", "kept"),
    [
        ("c-Ab_9-x", "c-Ab_9-x"),
        ("  site-essen ", "site-essen"),
        ("", None),
        (None, None),
        ("a" * 65, None),
        ("ümlaut", None),
        ("a b", None),
    ],
)
def test_start_codes_are_cleaned(payload: str | None, kept: str | None) -> None:
    assert onboarding.clean_start_code(payload) == kept


async def test_consent_once_and_again_for_a_new_notice(
    uow_factory: FakeUnitOfWorkFactory, clock: FakeClock
) -> None:
    assert await onboarding.give_consent(uow_factory, clock, telegram_user_id=5) is None
    await onboarding.choose_language(uow_factory, telegram_user_id=5, chat_id=5, locale="fa-AF")
    consented = await onboarding.give_consent(uow_factory, clock, telegram_user_id=5)
    assert consented is not None and consented.consented_at == clock.now()
    stored = _stored(uow_factory)
    assert (stored.consent_version, stored.consented_at) == (
        onboarding.CONSENT_VERSION,
        clock.now(),
    )
    first = clock.now()
    clock.advance(hours=1)
    again = await onboarding.give_consent(uow_factory, clock, telegram_user_id=5)
    assert again is not None and again.consented_at == first  # a second tap changes nothing
    assert uow_factory.last.committed is False
    async with uow_factory() as uow:  # the notice changed since
        old = await uow.clients.by_telegram_id(5)
        assert old is not None
        old.consent_version = "2020-01"
        await uow.clients.update(old)
        await uow.commit()
    renewed = await onboarding.give_consent(uow_factory, clock, telegram_user_id=5)
    assert renewed is not None and renewed.consent_version == onboarding.CONSENT_VERSION
    assert _stored(uow_factory).consented_at == clock.now()


async def test_start_code_changes_only_before_consent(
    uow_factory: FakeUnitOfWorkFactory, clock: FakeClock
) -> None:
    await onboarding.choose_language(
        uow_factory, telegram_user_id=5, chat_id=5, locale="de", start_code="site-a"
    )
    await onboarding.give_consent(uow_factory, clock, telegram_user_id=5)
    await onboarding.choose_language(
        uow_factory, telegram_user_id=5, chat_id=5, locale="de", start_code="site-b"
    )
    assert _stored(uow_factory).start_code == "site-a"


async def test_refusing_keeps_only_the_language(
    uow_factory: FakeUnitOfWorkFactory, clock: FakeClock
) -> None:
    await onboarding.choose_language(
        uow_factory, telegram_user_id=5, chat_id=5, locale="ar", start_code="site-essen"
    )
    await onboarding.refuse_consent(uow_factory, telegram_user_id=5)
    stored = _stored(uow_factory)
    assert (stored.locale, stored.start_code, stored.consented_at) == ("ar", None, None)
    # After consent, "no thanks" (a stale button) changes nothing.
    await onboarding.choose_language(
        uow_factory, telegram_user_id=6, chat_id=6, locale="ar", start_code="site-essen"
    )
    await onboarding.give_consent(uow_factory, clock, telegram_user_id=6)
    await onboarding.refuse_consent(uow_factory, telegram_user_id=6)
    assert uow_factory.last.committed is False
    assert uow_factory.db.clients()[1].start_code == "site-essen"


async def test_a_phone_number_only_after_consent_and_cleaned(
    uow_factory: FakeUnitOfWorkFactory, clock: FakeClock
) -> None:
    await onboarding.choose_language(uow_factory, telegram_user_id=5, chat_id=5, locale="de")
    await onboarding.save_phone(uow_factory, telegram_user_id=5, phone="+49 170 1234")
    assert _stored(uow_factory).phone is None and uow_factory.last.committed is False
    await onboarding.give_consent(uow_factory, clock, telegram_user_id=5)
    await onboarding.save_phone(uow_factory, telegram_user_id=5, phone="+49 (170) 12-34")
    assert _stored(uow_factory).phone == "+491701234"


async def _consented(
    uow_factory: FakeUnitOfWorkFactory, clock: FakeClock, user: int, code: str | None
) -> None:
    await onboarding.choose_language(
        uow_factory, telegram_user_id=user, chat_id=user, locale="de", start_code=code
    )
    await onboarding.give_consent(uow_factory, clock, telegram_user_id=user)


async def test_a_personal_invite_links_the_case_manager_once(
    uow_factory: FakeUnitOfWorkFactory, clock: FakeClock
) -> None:
    anna = await add_staff(uow_factory, clock, telegram_user_id=901)
    issued = await arrival.invite_client(uow_factory, clock, staff=anna, nickname="  Ahmad   K. ")
    assert issued.nickname == "Ahmad K." and issued.payload.startswith("c-")
    await _consented(uow_factory, clock, 5, issued.payload)
    assert await arrival.arrive(uow_factory, clock, telegram_user_id=5) is Arrival.LINKED
    stored = _stored(uow_factory)
    assert (stored.case_manager_id, stored.site_id, stored.nickname, stored.start_code) == (
        anna.id,
        anna.site_id,
        "Ahmad K.",
        None,
    )
    # Their own link opened again: linked already, nothing to tell.
    again = await arrival.arrive(uow_factory, clock, telegram_user_id=5, code=issued.payload)
    assert again is Arrival.ALREADY
    # The same link a second time (someone else) links nothing; the code is dropped all the same.
    await _consented(uow_factory, clock, 6, issued.payload)
    assert await arrival.arrive(uow_factory, clock, telegram_user_id=6) is Arrival.INVITE_UNUSABLE
    other = uow_factory.db.clients()[1]
    assert (other.case_manager_id, other.site_id, other.start_code) == (None, None, None)


async def test_an_expired_invite_or_one_of_a_gone_colleague_links_nothing(
    uow_factory: FakeUnitOfWorkFactory, clock: FakeClock
) -> None:
    anna = await add_staff(uow_factory, clock, telegram_user_id=901)
    late = await arrival.invite_client(uow_factory, clock, staff=anna, nickname="Late")
    gone = await arrival.invite_client(uow_factory, clock, staff=anna, nickname="Gone")
    clock.advance(days=30, seconds=1)
    await _consented(uow_factory, clock, 5, late.payload)
    assert await arrival.arrive(uow_factory, clock, telegram_user_id=5) is Arrival.INVITE_UNUSABLE
    clock.advance(days=-1)
    await staff_service.deactivate_staff(uow_factory, telegram_user_id=901)
    await _consented(uow_factory, clock, 6, gone.payload)
    assert await arrival.arrive(uow_factory, clock, telegram_user_id=6) is Arrival.INVITE_UNUSABLE
    assert {c.case_manager_id for c in uow_factory.db.clients()} == {None}
    # A code no one issued (mistyped, cut off) is unusable too.
    await _consented(uow_factory, clock, 7, "c-no-such-code")
    assert await arrival.arrive(uow_factory, clock, telegram_user_id=7) is Arrival.INVITE_UNUSABLE


async def test_nicknames_are_checked(uow_factory: FakeUnitOfWorkFactory, clock: FakeClock) -> None:
    anna = await add_staff(uow_factory, clock, telegram_user_id=901)
    for bad in ("", "   ", "/start", "x" * 41):
        with pytest.raises(arrival.NicknameError):
            await arrival.invite_client(uow_factory, clock, staff=anna, nickname=bad)
    assert uow_factory.db.rows("client_invites") == []


async def test_a_site_link_and_a_site_pick(
    uow_factory: FakeUnitOfWorkFactory, clock: FakeClock
) -> None:
    anna = await add_staff(uow_factory, clock, telegram_user_id=901)
    await _consented(uow_factory, clock, 5, "site-essen")
    assert await arrival.arrive(uow_factory, clock, telegram_user_id=5) is Arrival.LINKED
    assert _stored(uow_factory).site_id == anna.site_id
    assert (
        await arrival.arrive(uow_factory, clock, telegram_user_id=5) is Arrival.NOTHING
    )  # code used up
    await _consented(uow_factory, clock, 6, "site-nowhere")
    assert await arrival.arrive(uow_factory, clock, telegram_user_id=6) is Arrival.NOTHING
    assert uow_factory.db.clients()[1].site_id is None
    assert [s.slug for s in await arrival.sites_with_staff(uow_factory)] == ["essen"]
    picked = await arrival.choose_site(uow_factory, telegram_user_id=6, site_id=anna.site_id)
    assert picked is not None and uow_factory.db.clients()[1].site_id == anna.site_id
    assert await arrival.choose_site(uow_factory, telegram_user_id=6, site_id=999) is None


async def test_arrival_needs_consent(uow_factory: FakeUnitOfWorkFactory, clock: FakeClock) -> None:
    await add_staff(uow_factory, clock, telegram_user_id=901)
    await onboarding.choose_language(
        uow_factory, telegram_user_id=5, chat_id=5, locale="de", start_code="site-essen"
    )
    assert await arrival.arrive(uow_factory, clock, telegram_user_id=5) is Arrival.NOTHING
    assert _stored(uow_factory).site_id is None and uow_factory.last.committed is False


async def test_an_update_is_claimed_once(
    uow_factory: FakeUnitOfWorkFactory, clock: FakeClock
) -> None:
    async def fresh(bot_id: int, update_id: int) -> bool:
        context = await begin_update(
            uow_factory, clock, bot_id=bot_id, update_id=update_id, telegram_user_id=None
        )
        return context.fresh

    assert await fresh(1, 10) is True
    assert await fresh(1, 10) is False
    assert uow_factory.last.committed is False
    assert await fresh(2, 10) is True
    clock.advance(days=3)
    assert await fresh(1, 11) is True
    assert await forget_old_updates(uow_factory, clock) == 2
    assert await fresh(1, 10) is True  # forgotten


async def test_an_update_reads_the_person_and_marks_them_reachable(
    uow_factory: FakeUnitOfWorkFactory, clock: FakeClock
) -> None:
    anna = await add_staff(uow_factory, clock, telegram_user_id=901)
    client = await add_client(uow_factory, clock, telegram_user_id=5, site_id=anna.site_id)
    async with uow_factory() as uow:
        assert await uow.clients.mark_unreachable(id_of(client), clock.now())
        assert not await uow.clients.mark_unreachable(id_of(client), clock.now())  # once
        await uow.commit()
    context = await begin_update(uow_factory, clock, bot_id=1, update_id=1, telegram_user_id=5)
    assert context.fresh and context.client is not None and context.client.id == client.id
    assert context.staff is None
    stored = next(c for c in uow_factory.db.clients() if c.id == client.id)
    assert stored.unreachable_at is None and stored.last_seen_at == clock.now()
    seen = clock.now()
    clock.advance(hours=5)
    await begin_update(uow_factory, clock, bot_id=1, update_id=2, telegram_user_id=5)
    assert uow_factory.db.clients()[0].last_seen_at == seen  # at most once a day
    clock.advance(days=1)
    await begin_update(uow_factory, clock, bot_id=1, update_id=3, telegram_user_id=5)
    assert uow_factory.db.clients()[0].last_seen_at == clock.now()
    staff_context = await begin_update(
        uow_factory, clock, bot_id=1, update_id=4, telegram_user_id=901
    )
    assert staff_context.client is None
    assert staff_context.staff is not None and staff_context.staff.id == anna.id


async def test_an_inactive_staff_record_is_not_read_as_staff(
    uow_factory: FakeUnitOfWorkFactory, clock: FakeClock
) -> None:
    await add_staff(uow_factory, clock, telegram_user_id=901)
    await staff_service.deactivate_staff(uow_factory, telegram_user_id=901)
    context = await begin_update(uow_factory, clock, bot_id=1, update_id=1, telegram_user_id=901)
    assert context.fresh and context.staff is None
