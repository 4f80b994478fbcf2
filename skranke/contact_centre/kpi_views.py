"""The contact centre's key figures for a period and a topic group, with
the targets met or not, a chart over the period, and a CSV export."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from skranke.accounts.models import User
from skranke.accounts.permissions import role_allows
from skranke.contact_centre.kpi_sections import read_kpi_sections
from skranke.contact_centre.kpis import ANSWER_STEPS, Kpis, compute_kpis, targets_of
from skranke.contact_centre.models import TopicGroup
from skranke.core import clock
from skranke.core.periods import KINDS, period_containing
from skranke.database.replica import reads_from_replica
from skranke.web.chart import draw_chart
from skranke.web.csv_export import csv_response, decimal_comma
from skranke.web.date_parameters import read_date_parameter


@login_required
@reads_from_replica
def kpis_page(request: HttpRequest) -> HttpResponse:
    user = request.user
    if not isinstance(user, User) or not role_allows(user=user, action="view_contact_kpis"):
        raise PermissionDenied
    municipality = user.municipality
    if municipality is None:  # a superuser of the installation: no centre
        raise PermissionDenied
    kind = request.GET.get("periode", "month")
    kind = kind if kind in KINDS else "month"
    today = clock.today()
    day = read_date_parameter(request.GET.get("dato"), today=today, request=request) or today
    period = period_containing(kind=kind, day=day)
    groups = list(TopicGroup.objects.filter(municipality=municipality))
    chosen = request.GET.get("gruppe", "")
    group = next((g for g in groups if str(g.pk) == chosen), None)
    kpis = compute_kpis(municipality=municipality, period=period, group=group)
    if request.GET.get("format") == "csv":
        return _csv(kpis)
    labels = [period.step_label(step.starts) for step in kpis.steps]
    targets = targets_of(kpis)
    return render(
        request,
        "contact/kpis.html",
        {
            "kpis": kpis,
            "targets": targets,
            "kinds": KINDS,
            "kind": kind,
            "day": day,
            "groups": groups,
            "group": group,
            "answer_steps": ANSWER_STEPS,
            "within": [
                (
                    seconds,
                    kpis.calls.answered_within.get(seconds, 0),
                    kpis.calls.within_share(seconds),
                )
                for seconds in ANSWER_STEPS
            ],
            "rows": list(zip(labels, kpis.steps, strict=True)),
            "service_chart": draw_chart(
                labels=labels,
                values=[step.calls.service_level for step in kpis.steps],
                target=kpis.targets.service_level_percent,
            ),
            "query": request.GET.urlencode(),
            "sections": read_kpi_sections(municipality=municipality, period=period),
        },
    )


def _csv(kpis: Kpis) -> HttpResponse:
    """One row per step and a total row, separated by semicolons, as Danish
    spreadsheets open them."""
    seconds = kpis.targets.answer_seconds
    header = [
        _("From"),
        _("Calls offered"),
        _("Answered"),
        *[_("Answered within %(seconds)d s") % {"seconds": s} for s in ANSWER_STEPS],
        _("Service level (%% answered within %(seconds)d s)") % {"seconds": seconds},
        _("Abandoned"),
        _("Abandoned after %(seconds)d s") % {"seconds": seconds},
        _("Abandoned after %(seconds)d s, %%") % {"seconds": seconds},
        _("Contacts"),
        _("Settled at first contact"),
        _("Transferred"),
        _("Failed transfers"),
        _("Bounced back"),
        _("First-contact resolution, %"),
    ]
    moment = "%Y-%m-%d %H:%M" if kpis.period.step == "hour" else "%Y-%m-%d"
    rows = [(step.starts.strftime(moment), step.calls, step.contacts) for step in kpis.steps]
    rows.append((_("Total"), kpis.calls, kpis.contacts))
    return csv_response(
        filename=f"kontaktcenter-{kpis.period.kind}-{kpis.period.first.isoformat()}.csv",
        rows=[
            header,
            *(
                [
                    label,
                    calls.offered,
                    calls.answered,
                    *[calls.answered_within.get(s, 0) for s in ANSWER_STEPS],
                    decimal_comma(calls.service_level),
                    calls.abandoned,
                    calls.abandoned_after_target,
                    decimal_comma(calls.abandoned_after_share),
                    contacts.total,
                    contacts.settled,
                    contacts.transferred,
                    contacts.failed_transfers,
                    contacts.bounced,
                    decimal_comma(contacts.first_contact_resolution),
                ]
                for label, calls, contacts in rows
            ),
        ],
    )
