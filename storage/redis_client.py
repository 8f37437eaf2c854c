"""The one way Lotse opens Redis (REDIS_URL): short timeouts and few retries, so a Redis
that has gone away fails an update within about a second (the person is told to try
again; webhook mode answers 5xx and Telegram retries) instead of hanging it, and a Redis
that comes back is used again from the next command on (the pool reconnects)."""

from __future__ import annotations

from redis.asyncio import Redis
from redis.asyncio.retry import Retry
from redis.backoff import ExponentialBackoff
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError


def connect_redis(url: str) -> Redis:
    """A client for `url` (no connection is made before the first command)."""
    return Redis.from_url(
        url,
        socket_connect_timeout=2,
        socket_timeout=5,
        health_check_interval=30,
        retry=Retry(ExponentialBackoff(cap=0.5, base=0.05), 2),
        retry_on_error=[RedisConnectionError, RedisTimeoutError],
    )
