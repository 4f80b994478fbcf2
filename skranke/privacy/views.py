"""The access request page: an administrator (or the data-protection
officer) finds everything held about a citizen by their mobile number
and/or e-mail address, gives it to them as JSON or PDF, and (the
administrator only) erases it at their request.

Every search, export and erasure is posted with the CSRF token: a mobile
number or an e-mail address never goes into an address, which ends up in
logs and browser histories. Each is noted in the access log."""

import json

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from skranke.access_log.models import AccessRecord
from skranke.access_log.recording import record_access
from skranke.accounts.models import User
from skranke.core import clock
from skranke.core.free_text import validate_free_text
from skranke.privacy.access_request import (
    CitizenData,
    citizen_data_as_json,
    find_citizen_data,
    may_erase_citizen_data,
    may_see_citizen_data,
    read_citizen,
    shown_phone,
)
from skranke.privacy.erasure_on_request import ErasureOutcome, erase_citizen_data
from skranke.privacy.pdf import render_citizen_data_pdf

REASON_LENGTH = 1000


@login_required
@require_http_methods(["GET", "POST"])
def access_request_page(request: HttpRequest) -> HttpResponse:
    user = request.user
    if not isinstance(user, User) or not may_see_citizen_data(user=user):
        raise PermissionDenied
    action = request.POST.get("action", "")
    citizen = read_citizen(phone=request.POST.get("phone", ""), email=request.POST.get("email", ""))
    reason = request.POST.get("reason", "").strip()
    outcome: ErasureOutcome | None = None
    reason_error = ""
    if action == "erase":
        if not may_erase_citizen_data(user=user):
            raise PermissionDenied
        reason_error = _reason_error(reason)
        if citizen.given and not reason_error:
            found = find_citizen_data(user=user, citizen=citizen)
            outcome = erase_citizen_data(user=user, data=found, reason=reason)
    data = find_citizen_data(user=user, citizen=citizen)
    context = {
        "citizen": citizen,
        "phone_shown": shown_phone(citizen=citizen),
        "searched": bool(action) and citizen.given,
        "data": data,
        "may_erase": may_erase_citizen_data(user=user),
        "outcome": outcome,
        "reason": "" if outcome else reason,
        "reason_error": reason_error,
        "made_at": clock.now(),
    }
    if action in ("json", "pdf") and citizen.given:
        response = _export(request, kind=action, data=data, context=context)
        recorded = AccessRecord.Action.EXPORTED
    else:
        response = render(request, "privacy/access_request.html", context)
        recorded = AccessRecord.Action.SEARCHED
    # Noted after the answer is made, so that it does not list itself.
    if citizen.given:
        record_access(actor=user, action=recorded, booking=data.bookings)
    return response


def _reason_error(reason: str) -> str:
    if not reason:
        return _("Write the reason for the erasure, e.g. the date and form of the request.")
    if len(reason) > REASON_LENGTH:
        return _("The reason is too long.")
    try:
        validate_free_text(reason)
    except ValidationError as error:
        return " ".join(error.messages)
    return ""


def _export(
    request: HttpRequest, *, kind: str, data: CitizenData, context: dict[str, object]
) -> HttpResponse:
    stamp = f"{clock.local_now():%Y-%m-%d-%H%M}"
    if kind == "json":
        content = json.dumps(citizen_data_as_json(data=data), ensure_ascii=False, indent=2)
        response = HttpResponse(content, content_type="application/json; charset=utf-8")
    else:
        response = HttpResponse(
            render_citizen_data_pdf(request=request, context=context),
            content_type="application/pdf",
        )
    response["Content-Disposition"] = f'attachment; filename="indsigt-{stamp}.{kind}"'
    return response
