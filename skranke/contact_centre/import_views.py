"""The call-record import page: a manager or administrator uploads the
phone system's CSV file and sees what came in and which lines did not, with
the reasons. The page also shows the column mapping it reads the file by,
with a link to change it in the admin."""

from typing import Any, cast

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Field, Max, Min
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from skranke.accounts.models import User
from skranke.accounts.permissions import may_import_calls, role_may
from skranke.contact_centre.call_import import (
    COLUMN_SETTINGS,
    CallFileError,
    ImportReport,
    find_call_record_format,
    import_call_records,
)
from skranke.contact_centre.models import Call, CallRecordFormat


@login_required
@require_http_methods(["GET", "POST"])
def import_calls(request: HttpRequest) -> HttpResponse:
    user = request.user
    if not isinstance(user, User) or not may_import_calls(user=user):
        raise PermissionDenied
    municipality = user.municipality
    if municipality is None:  # may_import_calls made sure of it; for mypy
        raise PermissionDenied
    fmt = find_call_record_format(municipality=municipality)
    report: ImportReport | None = None
    error = ""
    if request.method == "POST":
        upload = request.FILES.get("file")
        if upload is None:
            error = _("Choose the file to import.")
        else:
            try:
                report = import_call_records(municipality=municipality, file=upload, fmt=fmt)
            except CallFileError as refused:
                error = str(refused)
    # The report is shown here and kept nowhere: sending the form again
    # (a reload) imports nothing twice.
    on_record = Call.objects.filter(municipality=municipality).aggregate(
        count=Count("pk"), first=Min("offered_at"), last=Max("offered_at")
    )
    return render(
        request,
        "contact/import_calls.html",
        {
            "report": report,
            "error": error,
            "fmt": fmt,
            "mapping": [
                (
                    cast("Field[Any, Any]", fmt._meta.get_field(setting)).verbose_name,
                    getattr(fmt, setting),
                )
                for setting in COLUMN_SETTINGS.values()
            ],
            "edit_mapping_url": _mapping_url(user, fmt),
            "on_record": on_record,
        },
    )


def _mapping_url(user: User, fmt: CallRecordFormat) -> str:
    """Where in the admin the user may change the mapping, or ""."""
    label = CallRecordFormat._meta.label_lower
    if fmt.pk is not None:
        if not role_may(user=user, action="change", model_label=label):
            return ""
        return reverse("admin:contact_callrecordformat_change", args=[fmt.pk])
    if not role_may(user=user, action="add", model_label=label):
        return ""
    add = reverse("admin:contact_callrecordformat_add")
    return f"{add}?{urlencode({'municipality': fmt.municipality_id})}"
