"""/console and the staff menu's "Open the console" (issue 20): staff get a one-time login
link to the web console; clients get none."""

from __future__ import annotations

import hashlib
import re

from aiogram.methods import SendMessage
from aiogram.types import LinkPreviewOptions
from sqlalchemy import func, select

from bot.services.console import log_in
from handlers import views
from storage.console_models import ConsoleLinkRow
from tests.telegram.world import World, case_manager, consented_client

LINK = re.compile(r"https://lotse\.example\.org/console/login/([A-Za-z0-9_-]{40,})")


async def test_console_sends_staff_a_link_that_logs_them_in_once(world: World) -> None:
    harness = world.new_harness(WEB_BASE_URL="https://lotse.example.org")
    anna = await case_manager(world, 900, harness=harness)
    t = world.t("de")

    sent = await anna.send("/console")
    (reply,) = [s for s in sent if s.chat_id == 900 and s.text]
    match = LINK.search(reply.text or "")
    assert match is not None, reply.text
    assert t._("🖥 Your link to the Lotse console in the browser:") in (reply.text or "")
    assert isinstance(reply.raw, SendMessage) and reply.raw.protect_content is True
    preview = reply.raw.link_preview_options
    assert isinstance(preview, LinkPreviewOptions) and preview.is_disabled  # nothing fetches it
    # Only its digest is stored, and it opens a session for Anna once.
    async with world.engine.connect() as connection:
        digests = (await connection.execute(select(ConsoleLinkRow.digest))).scalars().all()
    assert digests == [hashlib.sha256(match.group(1).encode()).hexdigest()]
    _, staff = await log_in(world.uow_factory, world.clock, token=match.group(1))
    assert staff.telegram_user_id == 900

    # The menu's button does the same, in the staff member's language.
    await anna.send("/menu")
    sent = await anna.tap(t.p_("button", "🖥 Open the console"))
    assert any(LINK.search(s.text or "") for s in sent if s.chat_id == 900)


async def test_console_gives_a_client_no_link(world: World) -> None:
    await case_manager(world, 900)
    client = await consented_client(world, 1, "en")
    sent = await client.send("/console")
    texts = [s.text or "" for s in sent if s.chat_id == 1]
    assert texts and not any("/console/login/" in text for text in texts)
    assert views.not_understood(world.t("en"), "command") in texts
    async with world.engine.connect() as connection:
        assert await connection.scalar(select(func.count()).select_from(ConsoleLinkRow)) == 0
