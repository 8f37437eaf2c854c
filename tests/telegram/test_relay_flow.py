"""Client <-> case manager messages through feed_update, with fake translators."""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass
from datetime import UTC, datetime

import pytest
from aiogram.methods import CopyMessage, SendMessage
from sqlalchemy import select, text

from bot.domain import Client, Mode
from bot.formatting import telegram_length
from bot.services import relay as relay_service
from bot.translation import TranslationService
from handlers import labels, views
from handlers import relay_views as rv
from handlers.staff import views as sv
from storage.relay_models import RelayRow
from tests.telegram.harness import Person, Sent, TelegramHarness
from tests.telegram.world import World, add_hours, case_manager, client_of

STAFF, CLIENT, OTHER = 840, 1, 841
DARI = "سلام 👋 فردا ساعت ده وقت دارید؟"


class Fake:
    def __init__(self, *, fail: bool = False, hang: bool = False, grow: int = 1) -> None:
        self.name = "fakeprovider"
        self.fail, self.hang, self.grow = fail, hang, grow
        self.gate = threading.Event()

    def supports(self, locale: str) -> bool:
        return True

    def translate(self, text: str, source: str, target: str) -> str:
        if self.hang:
            self.gate.wait(10)
        if self.fail:
            raise ConnectionError("down")
        return f"[{target}] " + " ".join([text] * self.grow)


def _harness(
    world: World, provider: Fake | None = None, timeout: float = 2.0, **settings: str
) -> TelegramHarness:
    """A dispatcher translating with `provider` (none: translation off)."""
    service = TranslationService({"*": provider} if provider else {}, timeout=timeout)
    return world.new_harness(service, **settings)


async def _pair(
    world: World, harness: TelegramHarness, *, hours: bool = True
) -> tuple[Person, Client, Person]:
    """The case manager STAFF, at work now unless not `hours`, and their client (who
    reads Dari) as a Telegram user of `harness`."""
    manager = await case_manager(world, STAFF, harness=harness)
    if hours:  # Wednesday 09:00-17:00 Berlin; the fake clock stands at 10:00
        await add_hours(world, STAFF, weekday=2, hours=(9, 17), mode=Mode.PHONE)
    client = await client_of(world, STAFF, CLIENT, "Ahmad K.")
    person = harness.person(CLIENT, "fa")
    return manager, client, person


@dataclass(frozen=True)
class Shown:
    """A message the bot sent: unlike any call, it always has a text and an id."""

    text: str
    message_id: int
    labels: list[str]


def _to(sent: list[Sent], chat_id: int) -> list[Shown]:
    shown = []
    for s in sent:
        if s.chat_id == chat_id and isinstance(s.raw, SendMessage):
            assert s.message_id is not None  # the harness numbers every message
            shown.append(Shown(s.raw.text, s.message_id, s.labels))
    return shown


async def test_both_directions_translated_with_the_original(world: World) -> None:
    harness = _harness(world, Fake())
    manager, client, person = await _pair(world, harness)
    _de, dari = world.t("de"), world.t("fa_AF")
    await person.press("menu:write")
    assert person.last_text() == rv.write_prompt(dari, translated=True).text
    sent = await person.send(DARI)
    to_staff = _to(sent, STAFF)
    assert len(to_staff) == 1 and DARI in to_staff[0].text and f"[de] {DARI}" in to_staff[0].text
    assert "fakeprovider" in to_staff[0].text
    ack = _to(sent, CLIENT)[-1].text
    assert ack.startswith(dari._("✅ Sent to your advisor. You can write more at any time."))
    assert rv.emergency(dari) not in ack  # at work, nothing urgent

    answer = "Ja, morgen um 10 Uhr passt. <Raum 3> & Ausweis mitbringen."
    await manager.send("/offers")  # busy looking up offers: a reply is still an answer
    sent = await manager.reply(answer, to_staff[0].message_id)
    to_client = _to(sent, CLIENT)
    assert len(to_client) == 1
    shown = to_client[0].text
    assert "[fa_AF] Ja, morgen" in shown and "&lt;Raum 3&gt; &amp; Ausweis" in shown
    assert dari._("This is a machine translation. The original:") in shown
    assert _to(sent, STAFF)[-1].text.startswith("✓")

    # The Answer button works the same way.
    await manager.press(f"rl:reply:{client.id}")
    sent = await manager.send("Bis morgen!")
    assert "[fa_AF] Bis morgen!" in _to(sent, CLIENT)[0].text

    async with world.engine.connect() as connection:
        rows = (await connection.execute(select(RelayRow.direction, RelayRow.client_id))).all()
        stored = (
            (
                await connection.execute(
                    text("SELECT text FROM relay_messages WHERE text IS NOT NULL")
                )
            )
            .scalars()
            .all()
        )
    assert ("in", client.id) in rows and ("out", client.id) in rows
    assert stored and all(s.startswith("gAAAAA") and "morgen" not in s for s in stored)


async def test_a_long_message_is_split_after_translation_grows_it(world: World) -> None:
    harness = _harness(world, Fake(grow=2))
    manager, client, person = await _pair(world, harness)
    long_text = ("این یک پیام طولانی است 😊 " * 200)[:4000]
    await person.press("menu:write")
    sent = await person.send(long_text)
    to_staff = _to(sent, STAFF)
    assert len(to_staff) >= 3  # the original, then a translation twice as long
    assert all(telegram_length(s.text) <= 4096 for s in to_staff)  # the harness checks too
    words = "".join(s.text for s in to_staff)
    assert words.count("😊") == 3 * long_text.count("😊")
    # A reply to any of the pieces reaches the client.
    sent = await manager.reply("Danke", to_staff[1].message_id)
    assert _to(sent, CLIENT)


@pytest.mark.parametrize("provider", [Fake(fail=True), Fake(hang=True), None])
async def test_without_translation_the_original_arrives_labelled(
    world: World, provider: Fake | None
) -> None:
    harness = _harness(world, provider, timeout=0.3)
    manager, client, person = await _pair(world, harness)
    de = world.t("de")
    await person.press("menu:write")
    started = time.monotonic()
    sent = await person.send(DARI)
    assert time.monotonic() - started < 3
    staff_text = _to(sent, STAFF)[0].text
    assert DARI in staff_text and "⚠️" in staff_text
    reason = (
        de._("⚠️ Not translated: translation is switched off.")
        if provider is None
        else de._("⚠️ Not translated: the translation service did not answer in time.")
    )
    assert reason in staff_text
    # No promise of a translation that will not come; the language named in German.
    translated = provider is not None  # configured (here it hangs), so it will be tried
    assert staff_text.endswith(rv.reply_hint(de, client, translated=translated))
    assert "(\u2068Dari\u2069)" in staff_text
    sent = await manager.reply("Gut.", _to(harness.session.calls, STAFF)[-1].message_id)
    dari = world.t("fa_AF")
    answer = _to(sent, CLIENT)[-1]
    assert dari._("(This answer could not be translated into your language.)") in answer.text
    assert dari.p_("button", "✉️ Message my advisor") in answer.labels
    # The client answers with a Telegram reply: it reaches the case manager.
    sent = await person.reply("ممنون", answer.message_id or 1)
    assert any("ممنون" in (m.text or "") for m in _to(sent, STAFF))
    if provider is not None:
        provider.gate.set()


async def test_other_sites_and_forged_ids_cannot_write(world: World) -> None:
    harness = _harness(world, Fake())
    manager, client, person = await _pair(world, harness)
    stranger = await case_manager(world, OTHER, slug="borken", harness=harness)
    de = world.t("de")
    await stranger.press(f"rl:reply:{client.id}")
    assert harness.answers()[-1].text == sv.not_your_client(de)
    await person.press("menu:write")
    sent = await person.send(DARI)
    relayed = _to(sent, STAFF)[0].message_id
    # Replying "to" that message id from another chat finds nothing.
    sent = await stranger.reply("Hallo", relayed)
    assert _to(sent, CLIENT) == [] and _to(sent, OTHER)[-1].text == rv.not_a_relayed_message(de)
    # A client pressing the staff button reaches no staff handler.
    await person.press(f"rl:reply:{client.id}")
    assert harness.answers()[-1].text == views.stale_button(world.t("fa_AF"))
    async with world.engine.connect() as connection:
        outs = (
            await connection.execute(select(RelayRow.id).where(RelayRow.direction == "out"))
        ).all()
    assert outs == []


async def test_media_is_copied_and_a_voice_outside_a_flow_gets_a_button(world: World) -> None:
    harness = _harness(world, Fake())
    manager, client, person = await _pair(world, harness)
    dari = world.t("fa_AF")
    sent = await person.send_media("voice")
    assert sent[-1].text == rv.offer_to_send(dari, 0).text
    sent = await person.tap(dari.p_("button", "✉️ Send it to my advisor"))
    copies = [s for s in sent if isinstance(s.raw, CopyMessage)]
    assert len(copies) == 1 and copies[0].chat_id == STAFF
    copied = copies[0].raw
    assert isinstance(copied, CopyMessage) and copied.from_chat_id == CLIENT  # as filtered
    assert _to(sent, CLIENT)[-1].text.startswith(
        dari._("✅ Sent to your advisor. You can write more at any time.")
    )
    await person.press("menu:write")
    sent = await person.send_media("photo")
    assert [s for s in sent if isinstance(s.raw, CopyMessage)]
    # The copy can be answered like a text.
    assert copies[0].message_id is not None
    sent = await manager.reply("Danke für das Foto", copies[0].message_id)
    assert _to(sent, CLIENT)


async def _ack_while_away(world: World, *, weekday: int, hours: tuple[int, int]) -> str:
    """What the client is told after writing to the case manager STAFF, who is not at work
    now (the fake clock stands at Wednesday 10:00 Berlin) but on `weekday` during `hours`."""
    harness = _harness(world, Fake())
    _, _, person = await _pair(world, harness, hours=False)
    await add_hours(world, STAFF, weekday=weekday, hours=hours, mode=Mode.PHONE)
    await person.press("menu:write")
    sent = await person.send("سلام")
    return _to(sent, CLIENT)[-1].text


async def test_out_of_office_and_urgent_messages_name_the_emergency_numbers(world: World) -> None:
    # Saturday only: more than 24 hours away
    ack = await _ack_while_away(world, weekday=5, hours=(9, 12))
    dari = world.t("fa_AF")
    saturday = datetime(2026, 11, 28, 8, 0, tzinfo=UTC)  # 09:00 in Berlin
    away = relay_service.Availability(working_now=False, next_start=saturday, out_of_office=True)
    assert ack == rv.sent(dari, away, world.zone, urgent=False).text
    assert rv.emergency(dari) in ack

    harness2 = _harness(world, Fake())
    await add_hours(world, STAFF, weekday=2, hours=(9, 17), mode=Mode.PHONE)
    person2 = harness2.person(CLIENT, "fa")
    await person2.press("menu:write")
    calm = _to(await person2.send("سلام، خوب هستید؟"), CLIENT)[-1].text
    urgent = _to(await person2.send("کمک! فوری"), CLIENT)[-1].text
    assert rv.emergency(dari) not in calm and rv.emergency(dari) in urgent


async def test_retention_purges_texts_and_zero_keeps_none(world: World) -> None:
    harness = _harness(world, Fake())
    _, client, person = await _pair(world, harness)
    await person.press("menu:write")
    await person.send(DARI)
    from datetime import timedelta

    uow_factory, clock = world.uow_factory, world.clock
    clock.advance(days=29)
    assert await relay_service.purge_texts(uow_factory, clock, timedelta(days=30)) == 0
    clock.advance(days=2)
    assert await relay_service.purge_texts(uow_factory, clock, timedelta(days=30)) == 1
    async with world.engine.connect() as connection:
        assert (
            await connection.execute(
                text("SELECT count(*) FROM relay_messages WHERE text IS NOT NULL")
            )
        ).scalar() == 0
        assert (
            await connection.execute(text("SELECT count(*) FROM relay_messages"))
        ).scalar_one() >= 1
    none_kept = _harness(world, Fake(), RELAY_RETENTION="0")
    other = none_kept.person(CLIENT, "fa")
    await other.press("menu:write")
    await other.send("دوباره سلام")
    async with world.engine.connect() as connection:
        assert (
            await connection.execute(
                text("SELECT count(*) FROM relay_messages WHERE text IS NOT NULL")
            )
        ).scalar() == 0


async def test_offers_arrive_machine_translated_and_the_notice_names_the_provider(
    world: World,
) -> None:
    from bot.offers_io import COLUMNS
    from bot.services import offers as offer_service

    harness = _harness(world, Fake())
    manager, client, person = await _pair(world, harness)
    row = {c: "" for c in COLUMNS} | {
        "external_id": "o1",
        "title": "Deutschkurs A1",
        "provider": "VHS (Beispiel)",
        "description": "Abendkurs für Anfänger",
        "life_areas": "language",
        "municipality": "Essen",
    }
    data = ",".join(COLUMNS) + "\n" + ",".join(f'"{row[c]}"' for c in COLUMNS) + "\n"
    await offer_service.import_offers(
        world.uow_factory, world.clock, name="o.csv", data=data.encode()
    )
    offer = (
        await offer_service.search_offers(
            world.uow_factory, world.clock, harness.dispatcher["policy"].zone, text="Deutschkurs"
        )
    ).offers[0]
    sent = await manager.press(f"of:to:{offer.id}.{client.id}")
    shown = _to(sent, CLIENT)[0].text
    assert "[fa_AF] Deutschkurs A1" in shown and "fakeprovider" in shown
    assert "Deutschkurs A1" in shown.split("[fa_AF]")[1]  # the German card follows
    dari = world.t("fa_AF")
    await person.send("/privacy")
    assert views.translation_notice(dari, ["fakeprovider"]) in person.last_text()
    off = _harness(world, None)
    again = off.person(CLIENT, "fa")
    await again.send("/privacy")
    assert views.translation_notice(dari, []) in again.last_text()


async def test_outside_hours_the_client_learns_when_to_expect_an_answer(world: World) -> None:
    ack = await _ack_while_away(world, weekday=2, hours=(15, 17))  # later today
    dari, zone = world.t("fa_AF"), world.zone
    three = datetime(2026, 11, 25, 14, 0, tzinfo=UTC)  # 15:00 in Berlin
    later = relay_service.Availability(working_now=False, next_start=three, out_of_office=False)
    assert ack == rv.sent(dari, later, zone, urgent=False).text
    assert labels.when(dari, three, zone) in ack and rv.emergency(dari) in ack
