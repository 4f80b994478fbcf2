"""System checks for what production owes citizens about their data
(`manage.py check`; registered in CoreConfig.ready).

- skranke.E010: messages are printed, not sent. The console and file
  transports write every text message and e-mail, with names, phone
  numbers and links, to the log or to disk; production refuses them unless
  ALLOW_PRINTING_MESSAGES_IN_PRODUCTION says so. Not a deployment-only
  check, so that migrate, the worker and runserver refuse to start too.
- skranke.E011: a municipality has no privacy notice to link to from every
  citizen page (GDPR articles 13 and 14). Only with --deploy, since it
  reads the database.
- skranke.W012: production on SQLite. It works for one small centre, but
  one writer at a time, no replica and no point-in-time recovery is not
  what a municipality's data should rest on (docs/install.md: PostgreSQL).
"""

from typing import Any

from django.conf import settings
from django.core.checks import CheckMessage, Error, Warning, register
from django.db import DatabaseError

PRINTING_TRANSPORTS = ("console", "file")


@register()
def check_message_transports(**kwargs: Any) -> list[CheckMessage]:
    if not settings.PRODUCTION or settings.ALLOW_PRINTING_MESSAGES_IN_PRODUCTION:
        return []
    printing = {
        name: value
        for name, value in (
            ("SMS_TRANSPORT", settings.SMS_TRANSPORT),
            ("EMAIL_TRANSPORT", settings.EMAIL_TRANSPORT),
        )
        if value in PRINTING_TRANSPORTS
    }
    return [
        Error(
            f"{name}={value} prints citizens' messages (names, phone numbers, links) "
            "instead of sending them.",
            hint="Use SMS_TRANSPORT=gatewayapi and EMAIL_TRANSPORT=email, or set "
            "ALLOW_PRINTING_MESSAGES_IN_PRODUCTION=true for a test installation "
            "(docs/configuration.md).",
            id="skranke.E010",
        )
        for name, value in printing.items()
    ]


@register(deploy=True)
def check_privacy_notices(**kwargs: Any) -> list[CheckMessage]:
    if settings.DEBUG:  # blank is fine while developing
        return []
    from skranke.core.models import Municipality

    try:
        missing = list(
            Municipality.objects.filter(privacy_notice_url="").values_list("name", flat=True)
        )
    except DatabaseError:
        # `check --deploy` runs before the first migrate (docs/install.md):
        # no table yet, so no municipality lacks a notice.
        return []
    if not missing:
        return []
    return [
        Error(
            "These municipalities have no privacy notice: " + ", ".join(missing) + ".",
            hint="Give each a privacy notice link in the admin (Municipalities); citizen "
            "pages link to it.",
            id="skranke.E011",
        )
    ]


@register(deploy=True)
def check_database_for_production(**kwargs: Any) -> list[CheckMessage]:
    engine = settings.DATABASES["default"]["ENGINE"]
    if not settings.PRODUCTION or not engine.endswith("sqlite3"):
        return []
    return [
        Warning(
            "Production runs on SQLite.",
            hint="Use PostgreSQL (DATABASE_URL=postgres://…, docs/install.md): one writer "
            "at a time, no replica and no point-in-time recovery do not suit a "
            "municipality's data.",
            id="skranke.W012",
        )
    ]
