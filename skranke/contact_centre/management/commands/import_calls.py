"""`manage.py import_calls --municipality <slug> calls.csv`: the import page's
work from the command line, for a phone system that drops its files on the
server every night. It prints the report: counts, and each line not
imported with its reason, never the contents of a line."""

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from skranke.contact_centre.call_import import (
    CallFileError,
    find_call_record_format,
    import_call_records,
)
from skranke.core.models import Municipality


class Command(BaseCommand):
    help = "Import the phone system's call records from a CSV file (see docs/telephony.md)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--municipality", required=True, help="the municipality's slug")
        parser.add_argument("file", help="the CSV file, as the phone system wrote it")

    def handle(self, *args: Any, **options: Any) -> None:
        municipality = Municipality.objects.filter(slug=options["municipality"]).first()
        if municipality is None:
            raise CommandError(f"There is no municipality {options['municipality']!r}.")
        fmt = find_call_record_format(municipality=municipality)
        try:
            with open(options["file"], "rb") as file:
                report = import_call_records(municipality=municipality, file=file, fmt=fmt)
        except (OSError, CallFileError) as error:
            raise CommandError(str(error)) from error
        counts = [
            (
                ngettext("%(count)s line read", "%(count)s lines read", report.rows_read),
                report.rows_read,
            ),
            (
                ngettext("%(count)s call imported", "%(count)s calls imported", report.imported),
                report.imported,
            ),
            (
                ngettext(
                    "%(count)s call was already there",
                    "%(count)s calls were already there",
                    report.already_there,
                ),
                report.already_there,
            ),
            (
                ngettext(
                    "%(count)s line with errors, not imported",
                    "%(count)s lines with errors, not imported",
                    report.error_count,
                ),
                report.error_count,
            ),
        ]
        self.stdout.write(
            f"{municipality.name}: " + ", ".join(text % {"count": count} for text, count in counts)
        )
        for line, reason in report.errors:
            self.stdout.write(_("Line %(line)s: %(reason)s") % {"line": line, "reason": reason})
        if report.errors_not_shown:
            self.stdout.write(
                ngettext(
                    "And %(count)s more line with errors, not shown.",
                    "And %(count)s more lines with errors, not shown.",
                    report.errors_not_shown,
                )
                % {"count": report.errors_not_shown}
            )
