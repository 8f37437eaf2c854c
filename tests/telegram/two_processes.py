"""Two bot processes on one database and one Redis, at the level of Dispatcher.feed_update:
two dispatchers built as main.py builds them with REDIS_URL, each with its own Redis
client; one recorded bot (Telegram's side is the same for both)."""

from __future__ import annotations

import itertools
from collections.abc import Callable

from aiogram import Dispatcher
from aiogram.types import Update
from redis.asyncio import Redis

from handlers import build_dispatcher
from handlers.plumbing.redis_fsm import redis_fsm
from storage.crypto import cipher_of
from tests.telegram.harness import Sent, TelegramHarness
from tests.telegram.world import World


def process(world: World, redis: Redis) -> Dispatcher:
    """One bot process's dispatcher: the world's database, `redis` for its FSM and locks."""
    return build_dispatcher(
        uow_factory=world.uow_factory,
        catalogs=world.catalogs,
        clock=world.clock,
        settings=world.settings,
        policy=world.policy,
        shared=redis_fsm(redis, cipher_of(world.engine.sync_engine.dialect)),
    )


class TwoProcesses(TelegramHarness):
    """A harness whose updates go to the two processes in turn, as a round-robin load
    balancer sends them; `handled_by` says which process took each update."""

    def __init__(self, world: World, redis_clients: Callable[[], Redis]) -> None:
        self.processes = [process(world, redis_clients()), process(world, redis_clients())]
        super().__init__(self.processes[0])
        self._turns = itertools.cycle(range(len(self.processes)))
        self.handled_by: list[int] = []

    async def feed(self, update: Update) -> list[Sent]:
        before = len(self.session.calls)
        index = next(self._turns)
        self.handled_by.append(index)
        await self.processes[index].feed_update(self.bot, update)
        return self.session.calls[before:]


def on_two_processes(world: World, redis_clients: Callable[[], Redis]) -> TwoProcesses:
    """Makes `world.harness` (and every helper of tests/telegram/world.py that uses it)
    two processes sharing Redis."""
    two = TwoProcesses(world, redis_clients)
    world.__dict__["harness"] = two  # the cached property's slot (World is frozen)
    return two
