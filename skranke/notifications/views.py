"""The managers' view of the messages sent to citizens: how many were
sent, are waiting and have failed, per day and kind; failed ones can be
tried again. And, on a developer's machine, the messages themselves."""

from collections import defaultdict
from datetime import date, datetime, time, timedelta

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q, QuerySet
from django.db.models.functions import TruncDate
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from skranke.accounts.permissions import role_allows
from skranke.accounts.scoping import visible_locations
from skranke.core import clock
from skranke.notifications.delivery import retry_message
from skranke.notifications.masking import mask_tokens
from skranke.notifications.models import Message
from skranke.web.date_parameters import read_date_parameter

DAYS_SHOWN = 14

# The columns of the overview, and the statuses each counts.
COLUMNS = {
    "sent": (Message.Status.SENT, Message.Status.DELIVERED),
    "waiting": (Message.Status.HELD, Message.Status.PENDING, Message.Status.SENDING),
    "failed": (Message.Status.DEAD,),
}


def _visible_messages(request: HttpRequest) -> QuerySet[Message]:
    if not role_allows(user=request.user, action="manage_messages"):
        raise PermissionDenied
    locations = visible_locations(user=request.user)
    return Message.objects.filter(
        Q(booking__location__in=locations) | Q(visit__location__in=locations)
    )


def _first_day(request: HttpRequest) -> date:
    today = clock.today()
    chosen = read_date_parameter(request.GET.get("fra"), today=today, request=request)
    return chosen or today - timedelta(days=DAYS_SHOWN - 2)


@login_required
def overview(request: HttpRequest) -> HttpResponse:
    visible = _visible_messages(request)
    first = _first_day(request)
    since = datetime.combine(first, time(0), tzinfo=clock.LOCAL_ZONE)
    counted = (
        visible.filter(due_at__gte=since, due_at__lt=since + timedelta(days=DAYS_SHOWN))
        .annotate(day=TruncDate("due_at", tzinfo=clock.LOCAL_ZONE))
        .values("day", "kind", "status")
        .annotate(count=Count("id"))
    )
    table: dict[tuple[date, str], dict[str, int]] = defaultdict(lambda: dict.fromkeys(COLUMNS, 0))
    for row in counted:
        for column, statuses in COLUMNS.items():
            if row["status"] in statuses:
                table[(row["day"], row["kind"])][column] += row["count"]
    kinds = dict(Message.Kind.choices)
    rows = [
        {"day": day, "kind": kinds[kind], **counts}
        for (day, kind), counts in sorted(table.items(), key=lambda item: (item[0][0], item[0][1]))
    ]
    failed = (
        visible.filter(status=Message.Status.DEAD)
        .select_related("booking__location", "visit__location")
        .order_by("-due_at")[:100]
    )
    return render(
        request,
        "notifications/overview.html",
        {
            "rows": rows,
            "failed": failed,
            "first": first,
            "last": first + timedelta(days=DAYS_SHOWN - 1),
            "earlier": first - timedelta(days=DAYS_SHOWN),
            "later": first + timedelta(days=DAYS_SHOWN),
        },
    )


@login_required
@require_POST
def retry(request: HttpRequest, message_id: int) -> HttpResponse:
    message = get_object_or_404(_visible_messages(request), pk=message_id)
    if retry_message(message=message):
        messages.success(request, _("The message will be tried again within a minute."))
    else:
        messages.error(
            request, _("This message can no longer be sent: its recipient has been erased.")
        )
    return redirect("notifications:overview")


def sent_in_development(request: HttpRequest) -> HttpResponse:
    """Every message with its text, newest first, tokens cut short: for a
    developer without a phone. Not there unless DEBUG is on (`make dev`)."""
    if not settings.DEBUG:
        raise Http404
    latest = Message.objects.select_related("booking", "visit").order_by("-created_at", "-pk")[:100]
    shown = [(message, mask_tokens(message.body)) for message in latest]
    return render(request, "notifications/development.html", {"latest": shown})
