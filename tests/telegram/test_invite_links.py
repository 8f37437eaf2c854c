"""Personal invitation links (issue 18, item 9): the link a case manager gets is the URL
alone on its line, and a client whose link does not work is told so and goes on."""

from __future__ import annotations

from typing import Any

from aiogram.methods import SendPhoto
from sqlalchemy import Row, select

from bot.services.arrival import Arrival
from handlers import views
from storage.models import ClientRow
from tests.telegram.harness import Person
from tests.telegram.world import World, case_manager, consented_client

STAFF = 870
#: What a URL may hold: printable ASCII, nothing invisible glued on.
URL_CHARACTERS = {chr(c) for c in range(0x21, 0x7F)}


async def _invite(world: World, manager: Person, nickname: str, locale: str = "de") -> str:
    """The case manager (reading `locale`) invites `nickname`; returns the link's line as it
    stands in the caption."""
    t = world.t(locale)
    await manager.tap(t.p_("button", "➕ Invite a client"))
    sent = await manager.send(nickname)
    photo = next(c.raw for c in sent if isinstance(c.raw, SendPhoto))
    assert photo.caption is not None
    lines = [line for line in photo.caption.split("\n") if "?start=" in line]
    assert len(lines) == 1
    return lines[0]


async def _row(world: World, user_id: int) -> Row[Any]:
    async with world.engine.connect() as connection:
        return (
            await connection.execute(select(ClientRow).where(ClientRow.telegram_user_id == user_id))
        ).one()


async def test_the_link_is_bare_even_for_a_right_to_left_case_manager(world: World) -> None:
    manager = await case_manager(world, STAFF, locale="ar")
    await manager.send("/start")
    line = await _invite(world, manager, "Ahmad K.", "ar")
    assert line.startswith("https://t.me/lotse_test_bot?start=c-")
    assert set(line) <= URL_CHARACTERS, [hex(ord(c)) for c in line if c not in URL_CHARACTERS]


async def test_a_used_invite_is_said_so_and_onboarding_goes_on(world: World) -> None:
    manager = await case_manager(world, STAFF)
    await manager.send("/start")
    link = await _invite(world, manager, "Ahmad K.")
    payload = link.split("?start=")[1]
    ps, fa = world.t("ps"), world.t("fa_AF")

    first = await consented_client(world, 8701, "ps", start=f"/start {payload}")
    assert first.last_text() == views.welcome(ps).text  # linked: nothing to warn about
    assert (await _row(world, 8701)).case_manager_id is not None
    # Their own link once more: still theirs, no warning.
    sent = await first.send(f"/start {payload}")
    assert sent[-1].text == views.main_menu(ps).text

    # Someone else with the used link: told in Dari, welcomed, with the menu.
    second = await consented_client(world, 8702, "fa_AF", start=f"/start {payload}")
    note = views.arrival_note(fa, Arrival.INVITE_UNUSABLE)
    assert note is not None and note != views.arrival_note(world.t("de"), Arrival.INVITE_UNUSABLE)
    text = second.last_text()
    assert note in text and fa._("Thank you! Welcome to Lotse.") in text
    assert fa.p_("button", "📅 Book an appointment") in world.harness.session.calls[-1].labels
    row = await _row(world, 8702)
    assert row.consented_at is not None and row.case_manager_id is None and row.start_code is None


async def test_a_wrong_code_is_said_so_before_and_after_consent(world: World) -> None:
    await case_manager(world, STAFF)
    de, ar = world.t("de"), world.t("ar")
    newcomer = await consented_client(world, 8703, "de", start="/start c-not-a-real-code")
    assert newcomer.last_text() == views.welcome(de, Arrival.INVITE_UNUSABLE).text
    # Already a client: a wrong link opened later says so above the menu.
    client = await consented_client(world, 8704, "ar")
    sent = await client.send("/start c-cut-off")
    assert (
        sent[-1].text
        == views.main_menu(ar, intro=views.arrival_note(ar, Arrival.INVITE_UNUSABLE)).text
    )
    # A site link says nothing of the kind.
    sent = await client.send("/start site-essen")
    assert sent[-1].text == views.main_menu(ar).text
