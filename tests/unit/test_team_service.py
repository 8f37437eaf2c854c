"""Staff accounts, hours, handovers, deputies and the agenda on the fake unit of work."""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from typing import Any

import pytest

from bot.domain import AppointmentStatus, Client, LifeArea, Mode, SiteKind, Staff, StaffRole
from bot.services import agenda, booking, team
from bot.services import staff as staff_service
from bot.services.sites import InvalidSlugError, SiteExistsError, add_site, list_sites
from tests.fake_uow import FakeUnitOfWorkFactory
from tests.fakes import FakeClock
from tests.helpers import id_of
from tests.unit.service_setup import BERLIN, POLICY, add_client, add_staff, book, booking_world

THURSDAY_9 = datetime(2026, 11, 26, 8, 0, tzinfo=UTC)  # 09:00 Berlin
TODAY = date(2026, 11, 25)


async def test_sites(uow_factory: FakeUnitOfWorkFactory, clock: FakeClock) -> None:
    site = await add_site(
        uow_factory, clock, slug="kreis-borken", name=" Kreis Borken ", kind=SiteKind.DISTRICT
    )
    assert site.id is not None and site.created_at == clock.now() and site.name == "Kreis Borken"
    with pytest.raises(SiteExistsError):
        await add_site(uow_factory, clock, slug="kreis-borken", name="x", kind=SiteKind.CITY)
    with pytest.raises(InvalidSlugError):
        await add_site(uow_factory, clock, slug="Kreis Borken", name="x", kind=SiteKind.CITY)
    await add_site(uow_factory, clock, slug="ahaus", name="Ahaus", kind=SiteKind.TOWN)
    assert [s.slug for s in await list_sites(uow_factory)] == ["ahaus", "kreis-borken"]


async def test_staff_invites_work_once_and_expire(
    uow_factory: FakeUnitOfWorkFactory, clock: FakeClock
) -> None:
    await add_site(uow_factory, clock, slug="borken", name="Borken", kind=SiteKind.DISTRICT)
    with pytest.raises(staff_service.UnknownSiteError):
        await staff_service.invite_staff(uow_factory, clock, site_slug="nope", role=StaffRole.THM)
    invite = await staff_service.invite_staff(
        uow_factory, clock, site_slug="borken", role=StaffRole.COORDINATOR
    )
    assert invite.payload.startswith("staff-") and len(invite.payload) <= 64
    person = await staff_service.redeem_staff_invite(
        uow_factory, clock, code=invite.code, telegram_user_id=50, display_name="K" * 150
    )
    assert person.role is StaffRole.COORDINATOR and person.locale == "de"
    assert uow_factory.db.staff() == [person] and len(person.display_name) == 100
    (row,) = uow_factory.db.rows("staff_invites")
    assert (row.invite.used_at, row.used_by_staff_id) == (clock.now(), person.id)
    again = await staff_service.redeem_staff_invite(
        uow_factory, clock, code=invite.code, telegram_user_id=50, display_name="K"
    )
    assert again.id == person.id  # the same person tapping twice
    with pytest.raises(staff_service.InviteError, match="used"):
        await staff_service.redeem_staff_invite(
            uow_factory, clock, code=invite.code, telegram_user_id=51, display_name="X"
        )
    late = await staff_service.invite_staff(
        uow_factory, clock, site_slug="borken", role=StaffRole.THM
    )
    clock.advance(days=7, seconds=1)
    with pytest.raises(staff_service.InviteError, match="expired"):
        await staff_service.redeem_staff_invite(
            uow_factory, clock, code=late.code, telegram_user_id=52, display_name="Y"
        )
    with pytest.raises(staff_service.InviteError, match="unknown"):
        await staff_service.redeem_staff_invite(
            uow_factory, clock, code="nope", telegram_user_id=52, display_name="Y"
        )
    assert [s.telegram_user_id for s in uow_factory.db.staff()] == [50]


async def test_deactivation_hands_clients_to_the_coordinator(
    uow_factory: FakeUnitOfWorkFactory, clock: FakeClock
) -> None:
    (thm,), (client, other, _) = await booking_world(uow_factory, clock)
    coordinator = await add_staff(
        uow_factory, clock, telegram_user_id=77, role=StaffRole.COORDINATOR
    )
    await book(uow_factory, clock, id_of(client), id_of(thm), THURSDAY_9, topic=LifeArea.LEGAL)
    assert await staff_service.deactivate_staff(uow_factory, telegram_user_id=900) == 1
    assert await staff_service.active_staff(uow_factory, 900) is None
    managers = {c.id: c.case_manager_id for c in uow_factory.db.clients()}
    assert managers[client.id] == coordinator.id and managers[other.id] is None
    assert [s.id for s in await staff_service.all_active_staff(uow_factory)] == [coordinator.id]
    with pytest.raises(staff_service.UnknownStaffError):
        await staff_service.deactivate_staff(uow_factory, telegram_user_id=12345)


async def test_without_a_coordinator_clients_are_left_unassigned(
    uow_factory: FakeUnitOfWorkFactory, clock: FakeClock
) -> None:
    anna = await add_staff(uow_factory, clock, telegram_user_id=901)
    client = await add_client(
        uow_factory, clock, telegram_user_id=1, site_id=anna.site_id, case_manager_id=anna.id
    )
    assert await staff_service.deactivate_staff(uow_factory, telegram_user_id=901) == 1
    assert uow_factory.db.clients()[0].case_manager_id is None and client.id is not None


async def test_a_reinvited_staff_member_moves_to_the_invites_site(
    uow_factory: FakeUnitOfWorkFactory, clock: FakeClock
) -> None:
    anna = await add_staff(uow_factory, clock, slug="essen", telegram_user_id=901)
    await staff_service.deactivate_staff(uow_factory, telegram_user_id=901)
    borken = await add_staff(uow_factory, clock, slug="borken", telegram_user_id=902)
    invite = await staff_service.invite_staff(
        uow_factory, clock, site_slug="borken", role=StaffRole.THM
    )
    again = await staff_service.redeem_staff_invite(
        uow_factory, clock, code=invite.code, telegram_user_id=901, display_name="A"
    )
    assert again.id == anna.id and again.active
    assert again.site_id == borken.site_id


async def test_languages_and_locale(uow_factory: FakeUnitOfWorkFactory, clock: FakeClock) -> None:
    anna = await add_staff(uow_factory, clock, telegram_user_id=901)
    await staff_service.toggle_spoken_language(uow_factory, staff_id=id_of(anna), language="fa_AF")
    both = await staff_service.toggle_spoken_language(
        uow_factory, staff_id=id_of(anna), language="ar"
    )
    assert both.languages == "ar,fa_AF" and uow_factory.db.staff()[0].languages == "ar,fa_AF"
    one = await staff_service.toggle_spoken_language(
        uow_factory, staff_id=id_of(anna), language="ar"
    )
    assert one.spoken == {"fa_AF"}
    assert (
        await staff_service.set_staff_locale(uow_factory, staff_id=id_of(anna), locale="en")
    ).locale == "en"
    with pytest.raises(ValueError):
        await staff_service.set_staff_locale(uow_factory, staff_id=id_of(anna), locale="xx")
    with pytest.raises(staff_service.UnknownStaffError):
        await staff_service.set_staff_locale(uow_factory, staff_id=999, locale="en")
    assert uow_factory.db.staff()[0].locale == "en"


def _window(**change: Any) -> dict[str, Any]:
    """add_hours' arguments: Monday 09:00-12:00 by phone in 30 minute slots, but for `change`."""
    return {
        "weekday": 0,
        "start": time(9),
        "end": time(12),
        "slot_minutes": 30,
        "mode": Mode.PHONE,
    } | change


async def test_weekly_hours_are_checked_kept_and_removed(
    uow_factory: FakeUnitOfWorkFactory, clock: FakeClock
) -> None:
    anna = await add_staff(uow_factory, clock, telegram_user_id=901)
    ben = await add_staff(uow_factory, clock, telegram_user_id=902)
    bad: list[dict[str, Any]] = [
        {"weekday": 7},
        {"end": time(9)},
        {"slot_minutes": 5},
        {"mode": Mode.IN_PERSON, "address": "  "},
    ]
    made = len(uow_factory.made)
    for change in bad:
        with pytest.raises(staff_service.HoursError):
            await staff_service.add_hours(uow_factory, staff_id=anna.id, **_window(**change))
    assert uow_factory.db.rows("hours") == [] and len(uow_factory.made) == made  # none opened
    with pytest.raises(staff_service.UnknownStaffError):
        await staff_service.add_hours(uow_factory, telegram_user_id=5, **_window(end=time(10)))
    afternoon = {"start": time(14), "end": time(16), "slot_minutes": 60, "address": " Rathaus "}
    later = await staff_service.add_hours(
        uow_factory, telegram_user_id=901, **_window(weekday=2, mode=Mode.IN_PERSON, **afternoon)
    )
    earlier = await staff_service.add_hours(
        uow_factory,
        staff_id=anna.id,
        **_window(weekday=2, end=time(10), mode=Mode.VIDEO, address="ignored"),
    )
    assert later.address == "Rathaus" and earlier.address is None
    hours = await staff_service.hours_of(uow_factory, staff_id=id_of(anna))
    assert [h.id for h in hours] == [earlier.id, later.id]  # by weekday and start
    assert not await staff_service.remove_hours(
        uow_factory, staff_id=id_of(ben), hours_id=id_of(later)
    )
    assert await staff_service.remove_hours(
        uow_factory, staff_id=id_of(anna), hours_id=id_of(later)
    )
    assert [h.id for h in uow_factory.db.rows("hours")] == [earlier.id]
    assert await staff_service.clear_hours(uow_factory, staff_id=anna.id) == 1
    assert uow_factory.db.rows("hours") == []


async def test_days_off_toggle(uow_factory: FakeUnitOfWorkFactory, clock: FakeClock) -> None:
    anna = await add_staff(uow_factory, clock, telegram_user_id=901)
    day = date(2026, 11, 27)
    assert await staff_service.toggle_day_off(uow_factory, staff_id=id_of(anna), day=day) is True
    off = await staff_service.days_off_of(
        uow_factory, staff_id=id_of(anna), start=TODAY, end=date(2026, 12, 1)
    )
    assert off == {day}
    assert await staff_service.toggle_day_off(uow_factory, staff_id=id_of(anna), day=day) is False
    assert uow_factory.db.rows("days_off") == []


async def test_a_day_off_removes_its_slots(
    uow_factory: FakeUnitOfWorkFactory, clock: FakeClock
) -> None:
    (thm,), (client, *_) = await booking_world(uow_factory, clock)
    await staff_service.toggle_day_off(uow_factory, staff_id=id_of(thm), day=date(2026, 11, 26))
    slots = await booking.slots_of_staff(uow_factory, clock, POLICY, staff=thm)
    assert {s.starts_at.date() for s in slots} == {date(2026, 12, 3)}
    with pytest.raises(booking.SlotUnavailableError):
        await book(uow_factory, clock, id_of(client), id_of(thm), THURSDAY_9)


async def _team(
    uow_factory: FakeUnitOfWorkFactory, clock: FakeClock
) -> tuple[Staff, Staff, Staff, Staff, Client]:
    anna = await add_staff(uow_factory, clock, telegram_user_id=901, name="Anna")
    ben = await add_staff(uow_factory, clock, telegram_user_id=902, name="Ben")
    chef = await add_staff(
        uow_factory, clock, telegram_user_id=903, role=StaffRole.COORDINATOR, name="Chef"
    )
    other = await add_staff(uow_factory, clock, slug="borken", telegram_user_id=904)
    ahmad = await add_client(
        uow_factory,
        clock,
        telegram_user_id=1,
        site_id=anna.site_id,
        case_manager_id=anna.id,
        nickname="Ahmad",
    )
    return anna, ben, chef, other, ahmad


async def test_colleagues_are_the_active_staff_of_the_site(
    uow_factory: FakeUnitOfWorkFactory, clock: FakeClock
) -> None:
    anna, ben, chef, other, _ = await _team(uow_factory, clock)
    assert [s.id for s in await team.colleagues(uow_factory, staff=anna)] == [ben.id, chef.id]
    await staff_service.deactivate_staff(uow_factory, telegram_user_id=902)
    assert [s.id for s in await team.colleagues(uow_factory, staff=anna)] == [chef.id]


async def test_hand_over_by_the_case_manager_and_audited(
    uow_factory: FakeUnitOfWorkFactory, clock: FakeClock
) -> None:
    anna, ben, _, _, ahmad = await _team(uow_factory, clock)
    assert (
        await team.client_for_handover(uow_factory, staff=anna, client_id=id_of(ahmad))
    ).id == ahmad.id
    handover = await team.hand_over(
        uow_factory, clock, staff=anna, client_id=id_of(ahmad), to_staff_id=id_of(ben)
    )
    assert handover.old is not None
    assert (handover.old.id, handover.new.id, handover.client.case_manager_id) == (
        anna.id,
        ben.id,
        ben.id,
    )
    assert uow_factory.db.clients()[0].case_manager_id == ben.id
    assert [(e.action, e.staff_id, e.client_id) for e in uow_factory.db.audit()] == [
        ("client.handover", anna.id, ahmad.id)
    ]


async def test_hand_over_refusals_change_nothing(
    uow_factory: FakeUnitOfWorkFactory, clock: FakeClock
) -> None:
    anna, ben, chef, other, ahmad = await _team(uow_factory, clock)
    with pytest.raises(team.NotAllowedError):  # not Ben's client
        await team.hand_over(
            uow_factory, clock, staff=ben, client_id=id_of(ahmad), to_staff_id=id_of(ben)
        )
    with pytest.raises(team.NotAllowedError):
        await team.client_for_handover(uow_factory, staff=ben, client_id=id_of(ahmad))
    with pytest.raises(team.NoteAccessError):  # another site's staff
        await team.hand_over(
            uow_factory, clock, staff=other, client_id=id_of(ahmad), to_staff_id=id_of(other)
        )
    with pytest.raises(team.TeamError, match="colleague"):  # to another site
        await team.hand_over(
            uow_factory, clock, staff=anna, client_id=id_of(ahmad), to_staff_id=id_of(other)
        )
    with pytest.raises(team.TeamError, match="same"):
        await team.hand_over(
            uow_factory, clock, staff=anna, client_id=id_of(ahmad), to_staff_id=id_of(anna)
        )
    await staff_service.deactivate_staff(uow_factory, telegram_user_id=902)
    with pytest.raises(team.TeamError, match="colleague"):  # to someone inactive
        await team.hand_over(
            uow_factory, clock, staff=anna, client_id=id_of(ahmad), to_staff_id=id_of(ben)
        )
    assert uow_factory.db.clients()[0].case_manager_id == anna.id
    assert uow_factory.db.audit() == []
    # A coordinator may hand over anyone's client.
    done = await team.hand_over(
        uow_factory, clock, staff=chef, client_id=id_of(ahmad), to_staff_id=id_of(chef)
    )
    assert done.client.case_manager_id == chef.id


async def test_deputies_named_listed_and_ended(
    uow_factory: FakeUnitOfWorkFactory, clock: FakeClock
) -> None:
    anna, ben, chef, other, ahmad = await _team(uow_factory, clock)
    with pytest.raises(team.TeamError, match="period"):
        await team.name_deputy(
            uow_factory, clock, staff=anna, deputy_id=id_of(ben), days=2, today=TODAY
        )
    with pytest.raises(team.TeamError, match="colleague"):
        await team.name_deputy(
            uow_factory, clock, staff=anna, deputy_id=id_of(other), days=3, today=TODAY
        )
    with pytest.raises(team.TeamError, match="colleague"):  # oneself
        await team.name_deputy(
            uow_factory, clock, staff=anna, deputy_id=id_of(anna), days=3, today=TODAY
        )
    assert uow_factory.db.rows("deputies") == [] and uow_factory.db.audit() == []
    absence = await team.name_deputy(
        uow_factory, clock, staff=anna, deputy_id=id_of(ben), days=7, today=TODAY
    )
    assert (absence.deputy.id, absence.starts_on, absence.ends_on) == (
        ben.id,
        TODAY,
        date(2026, 12, 1),
    )
    assert [c.id for c in absence.clients] == [ahmad.id]
    listed = await team.absences(uow_factory, staff=anna, today=TODAY)
    assert [(d.id, start, end) for _, d, start, end in listed] == [
        (ben.id, TODAY, date(2026, 12, 1))
    ]
    row_id = listed[0][0]
    assert not await team.end_absence(uow_factory, clock, staff=ben, row_id=row_id)  # not his
    assert await team.end_absence(uow_factory, clock, staff=anna, row_id=row_id)
    assert not await team.end_absence(uow_factory, clock, staff=anna, row_id=row_id)  # gone
    assert await team.absences(uow_factory, staff=anna, today=TODAY) == []
    assert [e.action for e in uow_factory.db.audit()] == ["deputy.named", "deputy.ended"]


async def test_agenda_marks_after_the_start_only_and_once(
    uow_factory: FakeUnitOfWorkFactory, clock: FakeClock
) -> None:
    (thm,), (client, *_) = await booking_world(uow_factory, clock)
    stranger = await add_staff(uow_factory, clock, slug="borken", telegram_user_id=990)
    outcome = await book(uow_factory, clock, id_of(client), id_of(thm), THURSDAY_9)
    ident = id_of(outcome.appointment)
    with pytest.raises(agenda.NotStartedError):
        await agenda.mark(uow_factory, clock, staff=thm, appointment_id=ident, mark="att")
    clock.current = THURSDAY_9
    with pytest.raises(booking.NotYoursError):
        await agenda.mark(uow_factory, clock, staff=stranger, appointment_id=ident, mark="att")
    assert uow_factory.db.appointments()[0].status is AppointmentStatus.BOOKED
    done = await agenda.mark(uow_factory, clock, staff=thm, appointment_id=ident, mark="noshow")
    assert done.appointment.status is AppointmentStatus.NO_SHOW
    assert uow_factory.db.appointments()[0].status is AppointmentStatus.NO_SHOW
    with pytest.raises(booking.NotBookedError):  # a second tap
        await agenda.mark(uow_factory, clock, staff=thm, appointment_id=ident, mark="att")
    assert [e.action for e in uow_factory.db.audit()] == ["appt.noshow"]
    items = await agenda.agenda(uow_factory, clock, BERLIN, staff=thm)
    assert [(i.appointment.id, i.appointment.status) for i in items] == [
        (ident, AppointmentStatus.NO_SHOW)
    ]


async def test_cancel_my_day_cancels_each_booked_one_once(
    uow_factory: FakeUnitOfWorkFactory, clock: FakeClock
) -> None:
    (thm,), (first, second, third) = await booking_world(uow_factory, clock)
    slots = await booking.offered_slots(uow_factory, clock, POLICY, client_id=id_of(first))
    for client, slot in zip((first, second, third), (slots[0], slots[1], slots[4]), strict=True):
        await book(uow_factory, clock, id_of(client), id_of(thm), slot.starts_at)
    await booking.cancel_appointment(
        uow_factory,
        clock,
        appointment_id=id_of(uow_factory.db.appointments()[1]),
        client_id=second.id,
    )
    outcomes = await agenda.cancel_my_day(
        uow_factory, clock, BERLIN, staff=thm, day=date(2026, 11, 26)
    )
    assert [o.client.id for o in outcomes] == [first.id]
    stored = [(a.client_id, a.status, a.cancel_reason) for a in uow_factory.db.appointments()]
    assert stored == [
        (first.id, AppointmentStatus.CANCELLED, "staff_ill"),
        (second.id, AppointmentStatus.CANCELLED, None),
        (third.id, AppointmentStatus.BOOKED, None),  # next week's stays
    ]
    assert (
        await agenda.cancel_my_day(uow_factory, clock, BERLIN, staff=thm, day=date(2026, 11, 26))
        == []
    )
