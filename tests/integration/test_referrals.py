"""Referrals on a real database (issue 22): the follow-up question's schedule (once, a
blocked client never again, a refused send later), the statistics with small counts
suppressed, and the flags the console will list."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from bot.domain import Client, Offer, Staff
from bot.ports import Outcome, SendResult, UnitOfWorkFactory
from bot.referrals import ReferralAnswer, ReferralReason
from bot.reminder_schedule import QuietHours
from bot.services import offers as offer_service
from bot.services import privacy
from bot.services import referrals as referral_service
from bot.stats_chart import to_csv
from config.settings import parse_quiet_hours
from tests.fakes import FakeClock, FakeNotifier
from tests.helpers import id_of
from tests.unit.service_setup import add_staff

SAMPLE = Path(__file__).resolve().parents[2] / "samples" / "offers_sample.csv"
ZONE = ZoneInfo("Europe/Berlin")
QUIET = QuietHours(*parse_quiet_hours("21:00-08:00"), ZONE)


async def _offers(uow_factory: UnitOfWorkFactory, clock: FakeClock) -> tuple[Offer, Offer]:
    await offer_service.import_offers(uow_factory, clock, name="s.csv", data=SAMPLE.read_bytes())
    page = await offer_service.search_offers(uow_factory, clock, ZONE, text="Deutschkurs")
    return page.offers[0], page.offers[1]


async def _clients(
    uow_factory: UnitOfWorkFactory, clock: FakeClock, staff: Staff, count: int
) -> list[Client]:
    async with uow_factory() as uow:
        clients = [
            await uow.clients.add(
                Client(
                    id=None,
                    telegram_user_id=500 + i,
                    chat_id=500 + i,
                    locale="ar",
                    consented_at=clock.now(),
                    site_id=staff.site_id,
                    case_manager_id=staff.id,
                )
            )
            for i in range(count)
        ]
        await uow.commit()
    return clients


async def _send(
    uow_factory: UnitOfWorkFactory, clock: FakeClock, staff: Staff, client: Client, offer: Offer
) -> int:
    referral = await referral_service.record_referral(
        uow_factory, clock, QUIET, delay=timedelta(days=14), staff=staff, client=client, offer=offer
    )
    return id_of(referral)


async def test_asked_once_a_blocked_client_never_again_a_refusal_later(
    uow_factory: UnitOfWorkFactory, clock: FakeClock
) -> None:
    staff = await add_staff(uow_factory, clock, telegram_user_id=900)
    offer, _ = await _offers(uow_factory, clock)
    ok, blocked, busy = await _clients(uow_factory, clock, staff, 3)
    for client in (ok, blocked, busy):
        await _send(uow_factory, clock, staff, client, offer)
    notifier = FakeNotifier()
    notifier.outcomes[blocked.telegram_user_id] = SendResult(Outcome.BLOCKED)
    notifier.outcomes[busy.telegram_user_id] = SendResult(Outcome.RETRY, retry_after=30)
    clock.advance(days=14, seconds=1)
    report = await referral_service.dispatch_followups(uow_factory, clock, notifier, QUIET)
    assert (report.asked, report.failed, report.retried) == (1, 1, 1)
    # A second process's tick, a restart: nothing is asked twice, the refused one waits.
    again = await referral_service.dispatch_followups(uow_factory, clock, notifier, QUIET)
    assert (again.asked, again.failed, again.retried) == (0, 0, 0)
    del notifier.outcomes[busy.telegram_user_id]
    clock.advance(seconds=31)
    later = await referral_service.dispatch_followups(uow_factory, clock, notifier, QUIET)
    assert later.asked == 1
    assert [v for k, v in notifier.told if k == "followup"] == [1, 3]


async def test_stats_count_referrals_and_outcomes_per_offer_and_life_area_with_suppression(
    uow_factory: UnitOfWorkFactory, clock: FakeClock
) -> None:
    staff = await add_staff(uow_factory, clock, telegram_user_id=900)
    course, other = await _offers(uow_factory, clock)
    clients = await _clients(uow_factory, clock, staff, 7)
    sent = [await _send(uow_factory, clock, staff, c, course) for c in clients]
    extra = [await _send(uow_factory, clock, staff, c, other) for c in clients[:2]]
    clock.advance(days=14, seconds=1)
    report = await referral_service.dispatch_followups(uow_factory, clock, FakeNotifier(), QUIET)
    assert report.asked == 9
    for client, referral in zip(clients, sent, strict=True):
        helped = referral != sent[-1] and referral != sent[-2]
        result = await referral_service.answer_followup(
            uow_factory,
            clock,
            client_id=id_of(client),
            referral_id=referral,
            answer=ReferralAnswer.HELPED if helped else ReferralAnswer.NOT_WENT,
        )
        assert result.outcome is referral_service.Answered.STORED
        if not helped:
            await referral_service.give_reason(
                uow_factory,
                clock,
                client_id=id_of(client),
                referral_id=referral,
                reason=ReferralReason.FAR,
            )
    await referral_service.answer_followup(
        uow_factory,
        clock,
        client_id=id_of(clients[0]),
        referral_id=extra[0],
        answer=ReferralAnswer.NO_HELP,
    )
    figures = await privacy.site_stats(
        uow_factory,
        site_id=staff.site_id,
        start=(clock.now() - timedelta(days=20)).date(),
        end=clock.now().date(),
        zone=ZONE,
    )
    assert figures["referrals_by_offer"] == {course.title: 7, other.title: "<5"}
    assert figures["referral_outcomes"] == {
        "helped": 5,
        "far": "<5",
        "no_help": "<5",
        "no_answer": "<5",
    }
    assert figures["referral_outcomes_by_offer"][f"{course.title} | helped"] == 5
    assert figures["referral_outcomes_by_offer"][f"{course.title} | far"] == "<5"
    for area in course.life_areas:
        both = area in other.life_areas  # the other offer's two count there too
        assert figures["referrals_by_life_area"][area.value] == (9 if both else 7)
        assert figures["referral_outcomes_by_life_area"][f"{area.value} | helped"] == 5
    csv = to_csv(figures)
    assert "referral_outcomes,helped,5\n" in csv and "referral_outcomes,far,<5\n" in csv
    assert "2" not in figures["referral_outcomes"].values()  # two "far": never the number


async def test_the_console_lists_the_flags_of_a_site(
    uow_factory: UnitOfWorkFactory, clock: FakeClock
) -> None:
    staff = await add_staff(uow_factory, clock, telegram_user_id=900)
    offer, _ = await _offers(uow_factory, clock)
    clients = await _clients(uow_factory, clock, staff, 3)
    sent = [await _send(uow_factory, clock, staff, c, offer) for c in clients]
    clock.advance(days=14, seconds=1)
    await referral_service.dispatch_followups(uow_factory, clock, FakeNotifier(), QUIET)
    raised = []
    for client, referral in zip(clients, sent, strict=True):
        await referral_service.answer_followup(
            uow_factory,
            clock,
            client_id=id_of(client),
            referral_id=referral,
            answer=ReferralAnswer.NOT_WENT,
        )
        result = await referral_service.give_reason(
            uow_factory,
            clock,
            client_id=id_of(client),
            referral_id=referral,
            reason=ReferralReason.FULL,
        )
        raised.append(result.flag is not None)
    assert raised == [False, False, True]
    (flag,) = await referral_service.offer_flags(uow_factory, clock, site_id=staff.site_id)
    assert (flag.offer_id, flag.reason, flag.count, flag.offer_title) == (
        offer.id,
        ReferralReason.FULL,
        3,
        offer.title,
    )
    clock.advance(days=91)  # the window has passed
    assert await referral_service.offer_flags(uow_factory, clock, site_id=staff.site_id) == []
