"""The cache every app process and server shares, when REDIS_URL is set:
Django's Redis cache, except that a Redis that is down does not take the
pages with it. A read then finds nothing and a write is dropped, so every
value is made afresh as it is without a cache (kept figures, the worker's
heartbeat, a sign-in provider's metadata, a mailbox's access token); one
warning is logged when Redis fails, one line when it is back.

Without REDIS_URL each process keeps its own values in memory (Django's
default), as a single-server installation on SQLite does."""

import logging
import threading
from typing import Any

from django.core.cache.backends.redis import RedisCache
from redis.exceptions import RedisError

logger = logging.getLogger(__name__)

_down_lock = threading.Lock()
_down = False


def _failed(error: RedisError) -> None:
    global _down
    with _down_lock:
        if not _down:
            logger.warning("the shared cache (Redis) cannot be used: %s", type(error).__name__)
        _down = True


def _worked() -> None:
    global _down
    if _down:
        with _down_lock:
            if _down:
                logger.info("the shared cache (Redis) works again")
            _down = False


class FailSoftRedisCache(RedisCache):
    def get(self, key: Any, default: Any = None, version: int | None = None) -> Any:
        try:
            found = super().get(key, default, version)
        except RedisError as error:
            _failed(error)
            return default
        _worked()
        return found

    def get_many(self, keys: Any, version: int | None = None) -> dict[Any, Any]:
        try:
            found = super().get_many(keys, version)
        except RedisError as error:
            _failed(error)
            return {}
        _worked()
        return found

    def set(self, key: Any, value: Any, timeout: Any = None, version: int | None = None) -> None:
        try:
            super().set(key, value, timeout, version)
        except RedisError as error:
            _failed(error)
            return
        _worked()

    def add(self, key: Any, value: Any, timeout: Any = None, version: int | None = None) -> bool:
        try:
            added = super().add(key, value, timeout, version)
        except RedisError as error:
            _failed(error)
            return False
        _worked()
        return added

    def delete(self, key: Any, version: int | None = None) -> bool:
        try:
            deleted = super().delete(key, version)
        except RedisError as error:
            _failed(error)
            return False
        _worked()
        return deleted
