"""LOG_FORMAT=json: every log record as one JSON object on one line, for a
log collector (journald → Loki, Elasticsearch …) to read without parsing.

This module is imported by the logging configuration, in gunicorn's master
process too, so it needs nothing but the standard library: no Django models
and no settings.

No personal data: a record says which route a request took, never its path
or query string (booking codes, tokens and search words live there), and
Django's development server has the query string taken off its request
line (WithoutQueryStrings)."""

import json
import logging
import re
from contextvars import ContextVar
from datetime import UTC, datetime

# The request this thread is serving, so that every line logged while
# serving it carries its id (set by middleware.RequestMetricsMiddleware).
current_request_id: ContextVar[str | None] = ContextVar("skranke_request_id", default=None)

# What a request's own log line adds (middleware.py).
REQUEST_FIELDS = ("route", "method", "status", "duration_ms")

_QUERY_STRING = re.compile(r"\?\S*")


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        # The real time, not the project's clock: a log must say when a line
        # was written even on a training installation.
        written = datetime.fromtimestamp(record.created, tz=UTC)
        entry: dict[str, object] = {
            "time": written.isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        request_id = getattr(record, "request_id", None) or current_request_id.get()
        if request_id:
            entry["request_id"] = request_id
        for field in REQUEST_FIELDS:
            if hasattr(record, field):
                entry[field] = getattr(record, field)
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        elif record.exc_text:
            entry["exception"] = record.exc_text
        return json.dumps(entry, ensure_ascii=False, default=str)


class WithoutQueryStrings(logging.Filter):
    """Takes the query string off the request line Django's development
    server logs ("GET /tid/AB12CD34/?token=… HTTP/1.1"): it may hold a
    booking's token or what a citizen searched for. gunicorn's access log
    leaves it out by its format (gunicorn_config.py)."""

    def filter(self, record: logging.LogRecord) -> bool:
        if record.name == "django.server" and isinstance(record.args, tuple) and record.args:
            first, *rest = record.args
            if isinstance(first, str):
                record.args = (_QUERY_STRING.sub("", first), *rest)
        return True
