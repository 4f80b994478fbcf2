"""The contact log: an agent records each contact in a few keystrokes and
sees the day's count. After each contact the form comes back empty, with
the channel kept (most contacts in a row come on the same channel)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from skranke.accounts.models import User
from skranke.accounts.permissions import role_allows
from skranke.contact_centre.access_records import record_contact
from skranke.contact_centre.contact_log import contacts_logged_today, log_contact, topics_for
from skranke.contact_centre.errors import InvalidContact
from skranke.contact_centre.models import Contact

CHANNEL_KEY = "contact_channel"
SHOWN = 10


@login_required
@require_http_methods(["GET", "POST"])
def contact_log(request: HttpRequest) -> HttpResponse:
    agent = request.user
    if not isinstance(agent, User) or not role_allows(user=agent, action="log_contacts"):
        raise PermissionDenied
    error: InvalidContact | None = None
    entered = request.POST if request.method == "POST" else {}
    if request.method == "POST":
        try:
            contact = log_contact(
                agent=agent,
                channel=request.POST.get("channel", ""),
                topic_id=_number(request.POST.get("topic", "")),
                outcome=request.POST.get("outcome", ""),
                booking_code=request.POST.get("booking", "")[:20],
                note=request.POST.get("note", "")[:2000],
                kind=request.POST.get("kind", "")[:20],
            )
        except InvalidContact as refused:
            error = refused
        else:
            record_contact(actor=agent, contact=contact)
            request.session[CHANNEL_KEY] = contact.channel
            messages.success(
                request,
                _("Logged: %(channel)s, %(topic)s, %(outcome)s.")
                % {
                    "channel": contact.get_channel_display(),
                    "topic": contact.topic.name,
                    "outcome": contact.get_outcome_display(),
                },
            )
            return redirect("contact:log")
    today = contacts_logged_today(agent=agent)
    return render(
        request,
        "contact/log.html",
        {
            "channels": Contact.Channel.choices,
            "outcomes": Contact.Outcome.choices,
            "kinds": Contact.Kind.choices,
            "topics": topics_for(agent=agent),
            "channel": entered.get("channel") or request.session.get(CHANNEL_KEY, "phone"),
            "entered": entered,
            "error": error,
            "count_today": today.count(),
            "latest": today[:SHOWN],
            "may_view_kpis": role_allows(user=agent, action="view_contact_kpis"),
        },
        status=422 if error else 200,
    )


def _number(raw: str) -> int | None:
    return int(raw) if raw.isdigit() and len(raw) < 10 else None
