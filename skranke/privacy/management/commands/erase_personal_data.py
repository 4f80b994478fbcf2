"""`manage.py erase_personal_data [--dry-run]`: what the worker erases once
an hour, now and to the end. It prints how many rows of each kind are due
(with --dry-run, only that) and then erases them all. Counts only, never
what was erased."""

from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.utils.translation import gettext as _

from skranke.core import clock
from skranke.privacy.erasure import (
    count_due_personal_data,
    erase_all_due_personal_data,
    kind_labels,
)


class Command(BaseCommand):
    help = "Erase the personal data whose retention period is over (see docs/privacy.md)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--dry-run", action="store_true", help="only tell how much would be erased"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        now = clock.now()
        labels = kind_labels()
        due = count_due_personal_data(now=now)
        self.stdout.write(_("Due for erasure:"))
        for kind, count in due.items():
            self.stdout.write(f"  {labels[kind]}: {count}")
        if options["dry_run"]:
            self.stdout.write(_("Dry run: nothing was erased."))
            return
        erased = erase_all_due_personal_data(now=now)
        self.stdout.write(_("Erased:"))
        for kind, count in erased.items():
            self.stdout.write(f"  {labels[kind]}: {count}")
