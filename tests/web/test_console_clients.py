"""My clients in the console (issue 20): the signed-in staff member's clients with
language, next appointment and the day of the last note (never its text), and the
nickname, which the chat shows after it is changed here."""

from __future__ import annotations

from datetime import timedelta

from bot.domain import Appointment, Client, LifeArea, Mode, Note, Staff, StaffRole
from bot.i18n import Catalogs
from bot.services import notes
from handlers.staff import caseload_views
from tests.helpers import id_of
from tests.web.conftest import ConsoleWorld

COORDINATOR = StaffRole.COORDINATOR


def de(message: str) -> str:
    return Catalogs().translator("de").raw_p("console", message)


async def client_of(
    console: ConsoleWorld, staff: Staff, number: int, *, nickname: str | None = None
) -> Client:
    async with console.uow_factory() as uow:
        client = Client(None, number, number, "fa_AF", site_id=staff.site_id, nickname=nickname)
        client.consented_at, client.case_manager_id = console.clock.now(), staff.id
        client = await uow.clients.add(client)
        await uow.commit()
    return client


async def test_the_list_shows_what_is_stored_and_no_note_text(console: ConsoleWorld) -> None:
    ben = await console.staff(101, name="Ben")
    dana = await console.staff(102, name="Dana")
    ahmad = await client_of(console, ben, 1, nickname="Ahmad <K.>")
    unnamed = await client_of(console, ben, 2)
    await client_of(console, dana, 3, nickname="Danas Klient")
    now = console.clock.now()
    async with console.uow_factory() as uow:
        starts = now + timedelta(days=2)
        await uow.appointments.add(
            Appointment(
                None, id_of(ahmad), id_of(ben), starts, starts + timedelta(minutes=30),
                Mode.PHONE, LifeArea.HOUSING,
            ),
            now,
        )  # fmt: skip
        await uow.notes.add(
            Note(None, id_of(ahmad), id_of(ben), "Geheimer Notiztext", [LifeArea.HOUSING]),
            now - timedelta(days=5),
        )
        await uow.commit()
    page = await (await console.signed_in(ben)).get("/console/clients")
    assert page.status == 200 and 'href="/console/clients"' in page.text
    assert "<strong><bdi>Ahmad &lt;K.&gt;</bdi></strong>" in page.text
    assert (
        f"<strong><bdi>{de('Client no. {number}').format(number=unnamed.id)}</bdi></strong>"
        in page.text
    )
    assert "دری" in page.text  # the client's language
    assert "27. November 2026 10:00" in page.text  # the next appointment
    assert "20. November 2026" in page.text  # the day of the last note ...
    assert "Geheimer Notiztext" not in page.text  # ... never its text
    assert "Danas Klient" not in page.text  # Dana's client
    assert ("clients.list", ben.id, ben.site_id) in await console.audit()


async def test_a_coordinator_sees_their_own_clients_too(console: ConsoleWorld) -> None:
    cora = await console.staff(100, role=COORDINATOR, name="Cora")
    ben = await console.staff(101, name="Ben")
    await client_of(console, cora, 1, nickname="Coras Klientin")
    await client_of(console, ben, 2, nickname="Bens Klient")
    page = await (await console.signed_in(cora)).get("/console/clients")
    assert "Coras Klientin" in page.text and "Bens Klient" not in page.text


async def test_a_new_nickname_is_stored_and_the_chat_shows_it(console: ConsoleWorld) -> None:
    ben = await console.staff(101, name="Ben")
    client = await client_of(console, ben, 1)
    browser = await console.signed_in(ben)
    page = await browser.get("/console/clients")
    saved = await browser.post(
        "/console/clients/nickname",
        {"csrf": page.csrf, "client": str(client.id), "nickname": "  Samira   M. "},
    )
    assert saved.status == 200 and saved.url.endswith("/console/clients?saved=1")
    assert "<strong><bdi>Samira M.</bdi></strong>" in saved.text
    assert de("The nickname is saved. The chat shows it from now on.") in saved.text
    async with console.uow_factory() as uow:
        stored = await uow.clients.get(id_of(client))
    assert stored is not None and stored.nickname == "Samira M."
    # The chat's "My clients" (the same service, the same view) shows the new name.
    summaries = await notes.list_clients(console.uow_factory, console.clock, staff=ben)
    chat = caseload_views.clients(
        Catalogs().translator("de"), summaries, console.zone, everyone=False, search=""
    )
    assert "Samira M." in chat.text
    assert ("console.client.nickname", ben.id, ben.site_id) in await console.audit()


async def test_a_wrong_nickname_is_shown_on_the_form_with_the_value_kept(
    console: ConsoleWorld,
) -> None:
    ben = await console.staff(101, name="Ben")
    client = await client_of(console, ben, 1, nickname="Samira")
    browser = await console.signed_in(ben)
    csrf = (await browser.get("/console/clients")).csrf
    for wrong in ("x" * 41, "   ", "Sami\u202era", "Sami\x00ra", "/start"):
        page = await browser.post(
            "/console/clients/nickname", {"csrf": csrf, "client": str(client.id), "nickname": wrong}
        )
        assert page.status == 400, repr(wrong)
        assert 'aria-invalid="true"' in page.text
        assert (
            de(
                "Please give a nickname of 1 to {max} characters, without line breaks or "
                "invisible characters."
            ).format(max=40)
            in page.text
        )
    assert 'value="/start"' in page.text  # the value typed, kept
    async with console.uow_factory() as uow:
        stored = await uow.clients.get(id_of(client))
    assert stored is not None and stored.nickname == "Samira"
    # A Dari name may need the zero-width non-joiner.
    dari = "می\u200cنا"
    page = await browser.post(
        "/console/clients/nickname", {"csrf": csrf, "client": str(client.id), "nickname": dari}
    )
    assert page.status == 200 and dari in page.text


async def test_another_case_managers_client_is_refused_and_audited(
    console: ConsoleWorld,
) -> None:
    ben = await console.staff(101, name="Ben")
    dana = await console.staff(102, name="Dana")
    bea = await console.staff(200, slug="borken", name="Bea")
    danas = await client_of(console, dana, 1, nickname="Danas Klient")
    borkens = await client_of(console, bea, 2, nickname="Bors")
    browser = await console.signed_in(ben)
    csrf = (await browser.get("/console/clients")).csrf
    for target in (danas, borkens):
        page = await browser.post(
            "/console/clients/nickname",
            {"csrf": csrf, "client": str(target.id), "nickname": "Umbenannt"},
        )
        assert page.status == 404 and "Umbenannt" not in page.text
    for forged in ("999", "x"):
        page = await browser.post(
            "/console/clients/nickname", {"csrf": csrf, "client": forged, "nickname": "Umbenannt"}
        )
        assert page.status == 404
    async with console.uow_factory() as uow:
        names = [(await uow.clients.get(id_of(c))) for c in (danas, borkens)]
    assert [c.nickname for c in names if c] == ["Danas Klient", "Bors"]
    refusals = [row for row in await console.audit() if row[0].startswith("refused.")]
    assert refusals == [("refused.client", ben.id, ben.site_id)] * 4


async def test_the_nickname_form_needs_a_session_and_its_token(console: ConsoleWorld) -> None:
    ben = await console.staff(101, name="Ben")
    client = await client_of(console, ben, 1, nickname="Samira")
    browser = await console.signed_in(ben)
    fields = {"client": str(client.id), "nickname": "Neu"}
    assert (await browser.post("/console/clients/nickname", fields)).status == 403
    stranger = await console.browser()
    assert (await stranger.post("/console/clients/nickname", fields)).status == 401
    assert (await stranger.get("/console/clients")).status == 401


async def test_a_long_caseload_is_paged_fifty_at_a_time(console: ConsoleWorld) -> None:
    ben = await console.staff(101, name="Ben")
    for number in range(1, 62):
        await client_of(console, ben, number, nickname=f"Person {number:02d}")
    browser = await console.signed_in(ben)
    first = await browser.get("/console/clients")
    assert first.text.count('name="nickname"') == 50
    assert de("Page {page} of {pages}").format(page=1, pages=2) in first.text
    assert 'href="/console/clients?page=2"' in first.text
    second = await browser.get("/console/clients?page=2")
    assert second.text.count('name="nickname"') == 11
    assert "Person 61" in second.text and "Person 61" not in first.text
    assert 'href="/console/clients?page=1"' in second.text
    # A page past the end or no number shows the nearest page, not an error.
    assert (await browser.get("/console/clients?page=99")).text.count('name="nickname"') == 11
    assert (await browser.get("/console/clients?page=x")).text.count('name="nickname"') == 50
