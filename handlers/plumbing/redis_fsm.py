"""Conversation state and per-person order in Redis, for several bot processes
(REDIS_URL set): aiogram's RedisStorage and RedisEventIsolation.

- The state's data can hold what a client typed (a time, a word for a topic), so it is
  stored encrypted with the notes key (NOTES_KEY), as the database storage stores it:
  only Fernet tokens reach Redis. The state's name ("BookingSG:time") stays plain.
- Keys start with `lotse:` and expire after FSM_TTL without a change: a flow left
  half-done is forgotten then (the database storage keeps it until an erasure; Redis is
  not meant to keep anything for long). "Delete my data" clears the state at once
  through the handler's FSMContext; an erasure elsewhere (retention, the CLI) leaves at
  most FSM_TTL of encrypted state behind.
- One person's updates are handled one at a time across processes: the FSM middleware
  holds a Redis lock on the person's key while the update is handled (released at its
  end, or after LOCK_TIMEOUT if the process dies holding it). Within a process
  OneAtATime keeps the arrival order in front of it.
- After a key rotation keep the old key in NOTES_KEY for FSM_TTL: older states still
  open with it.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import timedelta
from typing import Any, Protocol

from aiogram.fsm.storage.base import BaseEventIsolation, BaseStorage, DefaultKeyBuilder
from aiogram.fsm.storage.redis import RedisEventIsolation, RedisStorage
from redis.asyncio import Redis

FSM_TTL = timedelta(days=30)
#: Seconds a person's lock outlives a process that died while holding it.
LOCK_TIMEOUT = 60
PREFIX = "lotse"


class Sealer(Protocol):
    """Encryption at rest with the notes key (storage.crypto.NotesCipher)."""

    def encrypt(self, plain: str) -> str: ...

    def decrypt(self, token: str) -> str: ...


@dataclass(frozen=True)
class RedisFsm:
    """What a Dispatcher takes for shared conversation state: `storage=`, `events_isolation=`."""

    storage: BaseStorage
    isolation: BaseEventIsolation


def redis_fsm(redis: Redis, sealer: Sealer, *, ttl: timedelta = FSM_TTL) -> RedisFsm:
    def dumps(data: Any) -> str:
        return sealer.encrypt(json.dumps(data, ensure_ascii=False, separators=(",", ":")))

    def loads(token: str) -> Any:
        return json.loads(sealer.decrypt(token))

    keys = DefaultKeyBuilder(prefix=PREFIX, with_destiny=True)
    storage = RedisStorage(
        redis, key_builder=keys, state_ttl=ttl, data_ttl=ttl, json_dumps=dumps, json_loads=loads
    )
    isolation = RedisEventIsolation(redis, key_builder=keys, lock_kwargs={"timeout": LOCK_TIMEOUT})
    return RedisFsm(storage, isolation)
