"""What a visit holds about the citizen, declared to privacy
(core/personal_data_registry.py), which discovers this module.

Nothing personal: the ticket, the errand and the times. Nothing to erase,
then; but a visit made by a booking is the citizen's, so a request for
access shows the visits of their bookings, and who looked at them.
"""

from collections.abc import Sequence

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from skranke.core.personal_data_registry import (
    CitizenSearch,
    PersonalData,
    Shown,
    exported_moment,
    register_personal_data,
)
from skranke.queueing.models import Visit


def find_visits(search: CitizenSearch) -> list[Visit]:
    """The visits of the citizen's bookings, newest first."""
    return list(
        Visit.objects.filter(booking_id__in=search.booking_ids)
        .select_related("location", "service")
        .order_by("-arrived_at", "-pk")
    )


def records_about_visits(visits: Sequence[Visit], search: CitizenSearch) -> Q:
    return Q(visit_id__in=[visit.pk for visit in visits])


def visit_as_json(visit: Visit) -> dict[str, object]:
    return {
        "booking_code": visit.booking.code if visit.booking else "",
        "location": visit.location.name,
        "service": visit.service.name,
        "day": visit.day.isoformat(),
        "ticket": f"{visit.ticket_letter}{visit.ticket_number}",
        "status": visit.status,
        "outcome": visit.outcome,
        "arrived_at": exported_moment(visit.arrived_at),
        "called_at": exported_moment(visit.called_at),
        "started_at": exported_moment(visit.started_at),
        "ended_at": exported_moment(visit.ended_at),
    }


register_personal_data(
    PersonalData(
        kind="visits",
        label=_("visits"),
        model=Visit,
        order=30,
        erased={},  # nothing about the citizen
        shown=Shown(
            key="visits",
            template="queueing/citizen_data.html",
            find=find_visits,
            as_json=visit_as_json,
            records_about=records_about_visits,
        ),
    ),
)
