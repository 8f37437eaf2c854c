"""Ready-made replies and answers sent later (issue 23, items 2 and 3) through feed_update,
for a case manager reading German or Dari: the client (Pashto, Arabic, Sorani) reads the reply as people
translated it (no translator call), a typed answer waits encrypted for its time, goes out
once at a tick, never in quiet hours, and a cancelled one never does."""

from __future__ import annotations

import threading
from datetime import UTC, datetime, time

import pytest
from aiogram.methods import SendMessage
from sqlalchemy import select, text

from bot.domain import Client, Mode, StaffRole
from bot.ready_replies import READY_REPLIES, ready_reply
from bot.services import privacy
from bot.services import ready_replies as ready_service
from bot.services.ticker import Ticker
from bot.translation import TranslationService
from handlers import labels
from handlers import relay_views as rv
from handlers.callbacks import ReadyAction, ReadyCb
from handlers.plumbing.notifier import TelegramNotifier
from handlers.plumbing.sending import RateLimitedSender
from handlers.staff import ready_views as yv
from storage.later_models import LaterAnswerRow
from storage.relay_models import RelayRow
from tests.helpers import id_of
from tests.telegram.harness import Person, Sent, TelegramHarness
from tests.telegram.world import World, add_hours, case_manager, client_of

STAFF, PASHTO, ARABIC, SORANI = 850, 11, 12, 13
ADDRESS = "Rathaus Essen, Raum 3"
#: Thursday 26 November 2026 in Berlin (the fake clock stands at Wednesday 10:00).
THURSDAY = datetime(2026, 11, 26, 12, 0, tzinfo=UTC)


class CountingTranslator:
    """A machine translator that counts every call."""

    def __init__(self) -> None:
        self.name = "counting"
        self.calls = 0
        self.lock = threading.Lock()

    def supports(self, locale: str) -> bool:
        return True

    def translate(self, text: str, source: str, target: str) -> str:
        with self.lock:
            self.calls += 1
        return f"[{target}] {text}"


async def _setup(
    world: World, locale: str
) -> tuple[TelegramHarness, CountingTranslator, Person, Client, Client]:
    machine = CountingTranslator()
    harness = world.new_harness(TranslationService({"*": machine}, timeout=2))
    manager = await case_manager(world, STAFF, locale=locale, harness=harness)
    # Wednesday 9-17 in person (the clock stands inside), Friday 13-17.
    await add_hours(world, STAFF, weekday=2, hours=(9, 17), address=ADDRESS)
    await add_hours(world, STAFF, weekday=4, hours=(13, 17), mode=Mode.PHONE)
    pashto = await client_of(world, STAFF, PASHTO, "Gul", locale="ps")
    arabic = await client_of(world, STAFF, ARABIC, "Samir", locale="ar")
    return harness, machine, manager, pashto, arabic


def _to(sent: list[Sent], chat_id: int) -> list[Sent]:
    return [s for s in sent if s.chat_id == chat_id and isinstance(s.raw, SendMessage)]


def _number(key: str) -> str:
    return str([reply.key for reply in READY_REPLIES].index(key) + 1)


def _notifier(
    world: World, harness: TelegramHarness, machine: CountingTranslator
) -> TelegramNotifier:
    return TelegramNotifier(
        harness.bot,
        world.catalogs,
        RateLimitedSender(1000, per_chat_interval=0),
        world.policy,
        world.uow_factory,
        world.clock,
        translation=TranslationService({"*": machine}, timeout=2),
    )


@pytest.mark.parametrize("locale", ["de", "fa_AF"])
async def test_a_ready_reply_with_a_day_and_a_time_reaches_pashto_and_arabic_without_mt(
    world: World, locale: str
) -> None:
    harness, machine, manager, pashto, arabic = await _setup(world, locale)
    t, zone = world.t(locale), world.zone
    reply = ready_reply("apt")
    assert reply is not None
    values = {"day": "2026-11-26", "time": "10:30"}
    sorani = await client_of(world, STAFF, SORANI, "Dilan", locale="ckb")
    for client in (pashto, arabic, sorani):
        await manager.press(f"rl:reply:{client.id}")
        await manager.tap(t.p_("button", "📋 Ready-made replies"))
        assert manager.last_text() == yv.ready_list(t, client, READY_REPLIES, zone).text
        sent = await manager.tap(_number("apt"))
        assert sent[-1].text == yv.choose_day(t, client.id or 0, THURSDAY.date(), zone).text
        await manager.tap(labels.day_label(t, THURSDAY, zone))
        sent = await manager.tap("10:30")
        # The preview, in the case manager's own language.
        assert sent[-1].text == yv.preview(t, client, reply, values, zone).text
        assert rv.ready_text(t, reply, values, zone) in (sent[-1].text or "")
        sent = await manager.tap(t.p_("button", "✅ Send now"))
        ct = world.t(client.locale)
        (shown,) = _to(sent, client.chat_id)
        assert shown.text == rv.ready_answer(ct, rv.ready_text(ct, reply, values, zone))
        assert ct._("A fixed text, translated by people (not by a machine).") in (shown.text or "")
        assert manager.last_text() == yv.ready_sent(t, client)
    pashto_text = world.t("ps").p_("ready reply", reply.msgid, day="x", time="y")
    assert pashto_text.startswith("زموږ ملاقات")  # right to left from its first word
    sorani_text = rv.ready_text(world.t("ckb"), reply, values, zone)
    assert sorani_text.startswith("چاوپێکەوتنەکەمان") and "\u2068" in sorani_text  # isolated day
    assert machine.calls == 0  # no machine translation at any point
    async with world.engine.connect() as connection:
        outs = (
            await connection.execute(select(RelayRow.client_id).where(RelayRow.direction == "out"))
        ).all()
    assert sorted(c for (c,) in outs) == sorted([id_of(pashto), id_of(arabic), id_of(sorani)])


async def test_a_place_comes_from_the_addresses_of_my_hours(world: World) -> None:
    harness, machine, manager, pashto, _ = await _setup(world, "de")
    t, ps = world.t("de"), world.t("ps")
    await manager.press(f"rl:reply:{pashto.id}")
    await manager.tap(t.p_("button", "📋 Ready-made replies"))
    sent = await manager.tap(_number("com"))
    assert sent[-1].labels[0] == ADDRESS  # the only address of my hours
    await manager.tap(ADDRESS)
    sent = await manager.tap(t.p_("button", "✅ Send now"))
    (shown,) = _to(sent, PASHTO)
    assert "Rathaus Essen, Raum 3" in (shown.text or "")
    assert (shown.text or "").startswith("💬 " + ps._("Answer from your advisor:"))
    assert machine.calls == 0


@pytest.mark.parametrize("locale", ["de", "fa_AF"])
async def test_answers_sent_later_wait_encrypted_go_out_once_and_cancelled_ones_never(
    world: World, locale: str
) -> None:
    harness, machine, manager, pashto, arabic = await _setup(world, locale)
    t, zone = world.t(locale), world.zone

    # A: typed, for tomorrow 09:00.
    await manager.press(f"rl:reply:{pashto.id}")
    await manager.tap(t.p_("button", "⏰ Write now, send later"))
    sent = await manager.send("Bis morgen, bringen Sie den Brief mit.")
    assert _to(sent, PASHTO) == []  # nothing goes out yet
    sent = await manager.tap(t.p_("button", "🌅 Tomorrow: {when}", when="").split("{")[0][:6])
    tomorrow_9 = datetime(2026, 11, 26, 8, 0, tzinfo=UTC)
    assert manager.last_text() == yv.scheduled(t, pashto, tomorrow_9, zone).text
    # B: a ready reply for a typed time inside the quiet hours: moved to 08:00.
    await manager.press(f"rl:reply:{arabic.id}")
    await manager.tap(t.p_("button", "📋 Ready-made replies"))
    await manager.tap(_number("thx"))
    await manager.tap(t.p_("button", "⏰ Send later"))
    await manager.tap(t.p_("button", "⌨️ Type a date and time"))
    sent = await manager.send("morgen irgendwann")
    assert manager.last_text() == yv.bad_when(t)
    await manager.send("25.11. 23:30")
    quiet_end = datetime(2026, 11, 26, 7, 0, tzinfo=UTC)  # Thursday 08:00 in Berlin
    assert manager.last_text() == yv.scheduled(t, arabic, quiet_end, zone).text
    # C: typed, at the start of my next hours (Friday 13:00), then cancelled.
    await manager.press(f"rl:reply:{pashto.id}")
    await manager.tap(t.p_("button", "⏰ Write now, send later"))
    await manager.send("Das hier bitte nicht senden.")
    await manager.tap(t.p_("button", "🕘 My next hours: {when}", when="").split("{")[0][:4])
    friday_13 = datetime(2026, 11, 27, 12, 0, tzinfo=UTC)
    assert manager.last_text() == yv.scheduled(t, pashto, friday_13, zone).text

    sent = await manager.tap(t.p_("button", "⏳ Pending answers"))
    listing = sent[-1].text or ""
    assert listing.startswith(t._("⏳ Your answers waiting to go out:"))
    assert listing.index("Bis morgen") < listing.index("Das hier")  # soonest first
    assert sent[-1].labels[:3] == [t.p_("button", "✖️ Cancel {number}", number=n) for n in (1, 2, 3)]
    async with world.engine.connect() as connection:
        stored = (
            (
                await connection.execute(
                    text("SELECT text FROM later_answers WHERE text IS NOT NULL")
                )
            )
            .scalars()
            .all()
        )
    assert len(stored) == 2 and all(s.startswith("gAAAAA") and "morgen" not in s for s in stored)
    sent = await manager.tap(t.p_("button", "✖️ Cancel {number}", number=3))
    assert harness.answers()[-1].text == yv.cancelled(t)
    assert "Das hier" not in (manager.last_text())

    ticker = Ticker(
        world.uow_factory,
        world.clock,
        _notifier(world, harness, machine),
        world.policy,
        agenda_at=time(6),
    )
    calls = len(harness.session.calls)
    world.clock.current = datetime(2026, 11, 26, 6, 59, tzinfo=UTC)  # 07:59: quiet still
    await ticker.tick()
    assert (
        _to(harness.session.calls[calls:], PASHTO)
        == _to(harness.session.calls[calls:], ARABIC)
        == []
    )
    world.clock.current = quiet_end
    await ticker.tick()
    (to_arabic,) = _to(harness.session.calls[calls:], ARABIC)
    ar = world.t("ar")
    assert ar.p_("ready reply", "Thank you for your message.") in (to_arabic.text or "")
    assert _to(harness.session.calls[calls:], PASHTO) == []
    assert machine.calls == 0
    world.clock.current = tomorrow_9
    await ticker.tick()
    await ticker.tick()  # a second tick sends nothing twice
    (to_pashto,) = _to(harness.session.calls[calls:], PASHTO)
    assert "[ps] Bis morgen, bringen Sie den Brief mit." in (to_pashto.text or "")
    assert world.t("ps")._("This is a machine translation. The original:") in (to_pashto.text or "")
    assert machine.calls == 1  # translated when it went out
    world.clock.current = friday_13
    await ticker.tick()
    assert len(_to(harness.session.calls[calls:], PASHTO)) == 1  # the cancelled one never
    async with world.engine.connect() as connection:
        statuses = (
            (await connection.execute(select(LaterAnswerRow.status).order_by(LaterAnswerRow.id)))
            .scalars()
            .all()
        )
    assert statuses == ["sent", "sent", "cancelled"]
    await manager.send("/menu")
    sent = await manager.tap(t.p_("button", "⏳ Pending answers"))  # from the staff menu too
    assert sent[-1].text == yv.pending(t, [], zone).text


async def test_erasing_a_client_removes_their_pending_answers(world: World) -> None:
    harness, machine, manager, pashto, _ = await _setup(world, "de")
    t = world.t("de")
    await manager.press(f"rl:reply:{pashto.id}")
    await manager.tap(t.p_("button", "⏰ Write now, send later"))
    await manager.send("Bis morgen.")
    await manager.tap(t.p_("button", "⌨️ Type a date and time"))
    await manager.send("26.11. 10:00")
    async with world.engine.connect() as connection:
        assert (await connection.execute(select(LaterAnswerRow.id))).all() != []
    await privacy.erase_client(world.uow_factory, world.clock, telegram_user_id=PASHTO)
    async with world.engine.connect() as connection:
        assert (await connection.execute(select(LaterAnswerRow.id))).all() == []
    ticker = Ticker(
        world.uow_factory,
        world.clock,
        _notifier(world, harness, machine),
        world.policy,
        agenda_at=time(6),
    )
    world.clock.current = datetime(2026, 11, 26, 9, 0, tzinfo=UTC)
    calls = len(harness.session.calls)
    await ticker.tick()
    assert _to(harness.session.calls[calls:], PASHTO) == []


async def test_a_sites_own_reply_reaches_only_clients_whose_language_is_written(
    world: World,
) -> None:
    harness, machine, manager, pashto, arabic = await _setup(world, "de")
    t = world.t("de")
    coordinator = await case_manager(world, 851, role=StaffRole.COORDINATOR, harness=harness)
    assert coordinator is not None
    async with world.uow_factory() as uow:
        cora = await uow.staff.by_telegram_id(851)
    assert cora is not None
    own = "Das Büro ist am 24.12. geschlossen."
    written = "دفتر د 24.12. په نېټه تړلی دی."
    await ready_service.add_site_reply(
        world.uow_factory, world.clock, staff=cora, texts={"de": own, "ps": written}
    )
    await manager.press(f"rl:reply:{arabic.id}")
    sent = await manager.tap(t.p_("button", "📋 Ready-made replies"))
    assert own not in (sent[-1].text or "") and str(len(READY_REPLIES) + 1) not in sent[-1].labels
    await manager.press(f"rl:reply:{pashto.id}")
    sent = await manager.tap(t.p_("button", "📋 Ready-made replies"))
    assert f"{len(READY_REPLIES) + 1}. {own}" in (sent[-1].text or "")
    sent = await manager.tap(str(len(READY_REPLIES) + 1))
    assert own in (sent[-1].text or "")  # the preview, in German
    sent = await manager.tap(t.p_("button", "✅ Send now"))
    (shown,) = _to(sent, PASHTO)
    assert written in (shown.text or "") and own not in (shown.text or "")
    assert world.t("ps")._("A fixed text, translated by people (not by a machine).") in (
        shown.text or ""
    )
    # A forged key of a reply not written in Arabic is refused for the Arabic client.
    await manager.press(f"rl:reply:{arabic.id}")
    await manager.press(f"rr:pick:{arabic.id}:s1")
    assert harness.answers()[-1].text == yv.nothing_to_send(t)
    assert machine.calls == 0


async def test_an_old_send_button_of_another_client_sends_nothing(world: World) -> None:
    """A reply filled for Gul, then one started for Samir: Gul's old "Send now" must not
    send Samir's reply (or anything) to Gul, nor to Samir."""
    harness, machine, manager, pashto, arabic = await _setup(world, "de")
    t = world.t("de")
    await manager.press(f"rl:reply:{pashto.id}")
    await manager.tap(t.p_("button", "📋 Ready-made replies"))
    await manager.tap(_number("apt"))
    await manager.tap(labels.day_label(t, THURSDAY, world.zone))
    await manager.tap("10:30")  # Gul's preview, with its "Send now"
    await manager.press(f"rl:reply:{arabic.id}")
    await manager.tap(t.p_("button", "📋 Ready-made replies"))
    await manager.tap(_number("apt"))  # now Samir's reply is being filled
    await manager.tap(labels.day_label(t, THURSDAY, world.zone))
    await manager.tap("10:30")  # and is complete: Samir's preview
    old_send = ReadyCb(action=ReadyAction.SEND, id=pashto.id or 0).pack()
    sent = await manager.press(old_send)
    assert _to(sent, pashto.chat_id) == [] and _to(sent, arabic.chat_id) == []
    assert yv.nothing_to_send(t) in [s.text for s in sent]
    async with world.engine.connect() as connection:
        outs = (await connection.execute(select(RelayRow.id))).all()
    assert outs == []
