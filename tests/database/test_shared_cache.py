"""The shared cache (REDIS_URL): a value one process keeps, another finds,
on the Redis that runs on the test machine; and a Redis that is down costs
only the making of values afresh (skranke/database/shared_cache.py)."""

import logging
import os
import socket
import subprocess
import sys
import uuid
from pathlib import Path

import pytest

from skranke.database import shared_cache
from skranke.database.shared_cache import FailSoftRedisCache

ROOT = Path(__file__).resolve().parents[2]
REDIS = ("127.0.0.1", 6379)
KEEP = """
from skranke.database.kept import keep_value
print(keep_value(name="probe", fingerprint=1, build=lambda: "made by {who}", seconds=60))
"""


def redis_unavailable() -> str:
    try:
        with socket.create_connection(REDIS, timeout=2) as probe:
            probe.sendall(b"PING\r\n")
            if probe.recv(16).startswith(b"+PONG"):
                return ""
    except OSError as error:
        return f"Redis does not answer on {REDIS[0]}:{REDIS[1]} ({error})"
    return "something other than Redis answers on 127.0.0.1:6379"


def keep_in_a_process_of_its_own(who: str, prefix: str) -> str:
    done = subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", KEEP.format(who=who)],
        cwd=ROOT,
        env={
            **{k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"},
            "REDIS_URL": f"redis://{REDIS[0]}:{REDIS[1]}/15",
            "REDIS_KEY_PREFIX": prefix,
        },
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    return done.stdout.strip().splitlines()[-1]


def test_a_value_one_process_keeps_another_finds() -> None:
    reason = redis_unavailable()
    if reason:
        if os.environ.get("CI") == "true":
            pytest.fail(reason)
        pytest.skip(reason)
    prefix = f"skranke-test-{uuid.uuid4().hex}"  # this run's own keys
    assert keep_in_a_process_of_its_own("the first", prefix) == "made by the first"
    assert keep_in_a_process_of_its_own("the second", prefix) == "made by the first"


def test_a_redis_that_is_down_finds_nothing_and_keeps_nothing(
    caplog: pytest.LogCaptureFixture, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(shared_cache, "_down", False)
    with socket.socket() as closed:  # a port nobody listens on
        closed.bind(("127.0.0.1", 0))
        port = closed.getsockname()[1]
    cache = FailSoftRedisCache(
        f"redis://127.0.0.1:{port}/0",
        {"OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1}},
    )
    with caplog.at_level(logging.WARNING, logger="skranke.database.shared_cache"):
        cache.set("figures", [1, 2, 3], 60)
        assert cache.get("figures") is None
        assert cache.get("figures", "made afresh") == "made afresh"
        assert cache.add("figures", [1], 60) is False
        assert cache.delete("figures") is False
        assert cache.get_many(["figures"]) == {}
    # One warning, not one per use.
    assert [record.getMessage() for record in caplog.records] == [
        "the shared cache (Redis) cannot be used: ConnectionError"
    ]
