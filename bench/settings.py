"""Skranke's settings for benchmarks: the same app, plus a bare view that
measures the ceiling (one INSERT) in the same run, on the same server."""

import os

os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/skranke_bench")
os.environ.setdefault("DEBUG", "false")

from skranke.settings import *  # noqa: F403

ROOT_URLCONF = "bench.urls"
ALLOWED_HOSTS = ["127.0.0.1", "localhost"]
LOGGING = {"version": 1, "disable_existing_loggers": False}
