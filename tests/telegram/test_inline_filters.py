"""Plain filters run on the event loop (handlers.inline_filters), with the same answers."""

from __future__ import annotations

import threading
from datetime import UTC, datetime

from aiogram import F, Router
from aiogram.types import Chat, Message

from bot.i18n import Catalogs
from bot.ports import UnitOfWorkFactory
from config import Settings
from handlers import build_dispatcher
from handlers.plumbing.inline_filters import check_filters_inline, plain_filters_left
from tests.fakes import FakeClock


def _message(text: str, chat_type: str = "private") -> Message:
    return Message(message_id=1, date=datetime.now(UTC), chat=Chat(id=7, type=chat_type), text=text)


async def test_a_plain_filter_runs_inline_and_answers_as_before() -> None:
    threads: list[int] = []

    def private(message: Message) -> bool:
        threads.append(threading.get_ident())
        return message.chat.type == "private"

    router = Router()
    router.message.filter(private)

    @router.message(~F.text.startswith("/"))
    async def typed(message: Message) -> None:  # pragma: no cover - not called here
        return None

    assert len(plain_filters_left(router)) == 2
    assert check_filters_inline(router) == 2
    assert plain_filters_left(router) == []
    assert check_filters_inline(router) == 0  # a second pass changes nothing

    root_filters = router.message._handler.filters
    assert root_filters is not None  # aiogram keeps None for "no filters yet"
    root = root_filters[0]
    assert await root.call(_message("hi")) is True
    assert await root.call(_message("hi", chat_type="group")) is False
    assert threads == [threading.get_ident()] * 2  # on this thread, not a worker's

    handler_filters = router.message.handlers[0].filters
    assert handler_filters is not None
    not_a_command = handler_filters[0]
    assert await not_a_command.call(_message("hello"))
    assert not await not_a_command.call(_message("/start"))


def test_lotse_leaves_no_filter_to_a_thread(
    uow_factory: UnitOfWorkFactory, catalogs: Catalogs, clock: FakeClock, settings: Settings
) -> None:
    dispatcher = build_dispatcher(
        uow_factory=uow_factory, catalogs=catalogs, clock=clock, settings=settings
    )
    assert plain_filters_left(dispatcher) == []
