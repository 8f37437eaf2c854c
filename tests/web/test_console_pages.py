"""The console's first pages (issue 20): a home page per role, the coordinator's site and
staff, a case manager's week; German or English, as the staff member chose."""

from __future__ import annotations

from datetime import timedelta

from bot.domain import Appointment, Client, LifeArea, Mode, StaffRole
from bot.i18n import Catalogs
from tests.helpers import id_of
from tests.web.conftest import ConsoleWorld

COORDINATOR = StaffRole.COORDINATOR


def de(message: str) -> str:
    return Catalogs().translator("de").raw_p("console", message)


async def test_the_home_page_follows_the_role(console: ConsoleWorld) -> None:
    coordinator = await console.staff(100, role=COORDINATOR, name="Cora")
    ben = await console.staff(101, name="Ben")
    boss_home = await (await console.signed_in(coordinator)).get("/console/")
    ben_home = await (await console.signed_in(ben)).get("/console/")
    assert "Hallo, Cora" in boss_home.text and "Hallo, Ben" in ben_home.text
    for path in ("/console/site", "/console/staff", "/console/week"):
        assert f'href="{path}"' in boss_home.text
    assert 'href="/console/week"' in ben_home.text
    assert 'href="/console/site"' not in ben_home.text


async def test_the_site_page_shows_the_client_link(console: ConsoleWorld) -> None:
    coordinator = await console.staff(100, role=COORDINATOR)
    page = await (await console.signed_in(coordinator)).get("/console/site")
    assert page.status == 200
    assert "<h1>Essen</h1>" in page.text and de("City") in page.text
    assert "https://t.me/lotse_test_bot?start=site-essen" in page.text


async def test_the_staff_page_lists_the_site_and_invites(console: ConsoleWorld) -> None:
    coordinator = await console.staff(100, role=COORDINATOR, name="Cora")
    await console.staff(101, name="Ben <b>")
    await console.staff(200, slug="borken", name="Bea")
    async with console.uow_factory() as uow:
        ben = await uow.staff.by_telegram_id(101)
        assert ben is not None
        ben.languages, ben.active = "de,fa_AF", False
        await uow.staff.update(ben)
        await uow.commit()
    browser = await console.signed_in(coordinator)
    page = await browser.get("/console/staff")
    assert "Cora" in page.text and "Ben &lt;b&gt;" in page.text and "<b>" not in page.text
    assert "Bea" not in page.text
    assert "Deutsch, دری" in page.text and de("deactivated") in page.text
    # Neither oneself nor someone deactivated has a deactivate link.
    assert "/deactivate" not in page.text

    invited = await browser.post(
        "/console/staff/invite", {"role": "coordinator", "csrf": page.csrf}
    )
    assert invited.status == 200
    assert de("Invitation as {role}").format(role=de("Coordinator")) in invited.text
    expires = (console.clock.now() + timedelta(days=7)).astimezone(console.zone)
    assert f"{expires:%H:%M}" in invited.text and "Dezember 2026" in invited.text
    assert ("console.staff.invite", coordinator.id, coordinator.site_id) in await console.audit()


async def test_my_week_shows_the_next_seven_days(console: ConsoleWorld) -> None:
    ben = await console.staff(101, name="Ben", locale="en")
    async with console.uow_factory() as uow:
        clients = []
        for number, nickname in ((1, "Ahmad K."), (2, None)):
            client = Client(None, number, number, "fa_AF", nickname=nickname)
            client.consented_at, client.site_id = console.clock.now(), ben.site_id
            clients.append(await uow.clients.add(client))
        for client, days, interpreter in (
            (clients[0], 1, "fa_AF"),
            (clients[1], 3, None),
            (clients[0], 9, None),
        ):
            starts = console.clock.now() + timedelta(days=days)
            await uow.appointments.add(
                Appointment(
                    None,
                    id_of(client),
                    id_of(ben),
                    starts,
                    starts + timedelta(minutes=30),
                    Mode.PHONE,
                    LifeArea.HOUSING,
                    interpreter=interpreter,
                ),
                console.clock.now(),
            )
        await uow.commit()
    page = await (await console.signed_in(ben)).get("/console/week")
    assert page.status == 200 and '<html lang="en">' in page.text
    assert "Ahmad K." in page.text and f"Client no. {clients[1].id}" in page.text
    assert "Housing" in page.text and "By phone" in page.text and "Interpreter: دری" in page.text
    assert "26 November 2026" in page.text and "28 November 2026" in page.text
    assert "4 December 2026" not in page.text  # nine days ahead
    assert ("agenda.read", ben.id, ben.site_id) in await console.audit()


async def test_the_console_speaks_german_to_other_languages(console: ConsoleWorld) -> None:
    dari_speaker = await console.staff(101, name="Farid", locale="fa_AF")
    page = await (await console.signed_in(dari_speaker)).get("/console/week")
    assert '<html lang="de">' in page.text
    assert de("No appointments in the next 7 days.") in page.text
