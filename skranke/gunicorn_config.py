"""Gunicorn's settings for Skranke: `gunicorn -c python:skranke.gunicorn_config
skranke.wsgi`, as `make run` (manage.py runsystem) and the production unit
(docs/install.md) start it.

Threaded workers (gthread): a bounded number of processes, each with a
bounded number of threads, sized in skranke/settings.py from the machine and
the environment (WEB_PROCESSES, WEB_THREADS; docs/scaling.md). A client
beyond processes × threads waits in the listen backlog rather than getting a
thread, and so a database connection, of its own."""

import os

from skranke import settings

wsgi_app = "skranke.wsgi:application"
bind = [f"127.0.0.1:{os.environ.get('PORT') or '8000'}"]
worker_class = "gthread"
workers = settings.WEB_PROCESSES
threads = settings.WEB_THREADS
# A stopping server lets requests in flight finish, but not for ever.
graceful_timeout = 15
# No control socket: it would be one path in the home directory for every
# server on the machine (and production's home is read-only).
control_socket_disable = True
accesslog = "-"
# The path without its query string, so that nothing a citizen typed ends
# up in a log.
access_log_format = '%(h)s %(t)s "%(m)s %(U)s" %(s)s %(b)s %(L)s'
