"""Gunicorn's settings for Skranke: `gunicorn -c python:skranke.gunicorn_config
skranke.wsgi`, as `make run` (manage.py runsystem) and the production unit
(docs/install.md) start it.

Threaded workers (gthread): a bounded number of processes, each with a
bounded number of threads, sized in skranke/settings.py from the machine and
the environment (WEB_PROCESSES, WEB_THREADS; docs/scaling.md). A client
beyond processes × threads waits in the listen backlog rather than getting a
thread, and so a database connection, of its own."""

import os
import shutil
import tempfile
from typing import Any

from skranke import settings

wsgi_app = "skranke.wsgi:application"
bind = [f"127.0.0.1:{os.environ.get('PORT') or '8000'}"]
worker_class = "gthread"
workers = settings.WEB_PROCESSES
threads = settings.WEB_THREADS
# A stopping server lets requests in flight finish, but not for ever.
graceful_timeout = 15
# A citizen's browser reuses its connection between clicks seconds apart;
# gunicorn's default (2 s) closed it under them, and a POST sent on a
# connection closed at that moment is dropped, not retried (the release-
# morning load test, docs/benchmarks.md). Above nginx's 60 s upstream
# keep-alive. An idle kept connection waits in the poller, not in a thread.
keepalive = 75
# No control socket: it would be one path in the home directory for every
# server on the machine (and production's home is read-only).
control_socket_disable = True
accesslog: str | None = "-"
# The path without its query string, so that nothing a citizen typed ends
# up in a log.
access_log_format = '%(h)s %(t)s "%(m)s %(U)s" %(s)s %(b)s %(L)s'

if settings.LOG_FORMAT == "json":
    # gunicorn's own lines as JSON too. Skranke's line per request (its
    # route, never its path; skranke/monitoring/middleware.py) takes the
    # access log's place.
    accesslog = None
    logconfig_dict = {
        **settings.LOGGING,
        "loggers": {
            **settings.LOGGING["loggers"],
            # Configured here, it loses the plain handler gunicorn gave it.
            "gunicorn.error": {"level": "INFO", "handlers": ["console"], "propagate": False},
            "gunicorn.access": {"level": "WARNING"},
        },
    }


# /metrics (skranke/monitoring/metrics.py) adds up the request counts of
# every process: prometheus-client's multiprocess mode, in which each
# process writes its counts to files in PROMETHEUS_MULTIPROC_DIR. The folder
# must be new for each start (old files would be counted again), so the
# master makes one before it starts any process, which inherits it, and
# removes it when it stops. It is made in TMPDIR (/tmp); the systemd unit
# gives the service a private one (docs/install.md).
def on_starting(server: Any) -> None:
    os.environ["PROMETHEUS_MULTIPROC_DIR"] = tempfile.mkdtemp(prefix="skranke-metrics-")


def child_exit(server: Any, worker: Any) -> None:
    """A process that stopped (or was replaced) keeps its counts, which
    still count; prometheus-client asks to be told, so that it forgets the
    gauges of processes that are gone."""
    from prometheus_client import multiprocess

    multiprocess.mark_process_dead(worker.pid)


def on_exit(server: Any) -> None:
    folder = os.environ.get("PROMETHEUS_MULTIPROC_DIR")
    if folder:
        shutil.rmtree(folder, ignore_errors=True)
