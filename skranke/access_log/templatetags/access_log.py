"""{% load access_log %} … {% booking_history booking %}: who booked,
cancelled, moved or marked the booking as not come, and when, from the
access log (the booking itself keeps only the latest state)."""

from typing import Any

from django import template

from skranke.access_log.models import AccessRecord
from skranke.access_log.recording import Subject

register = template.Library()


@register.inclusion_tag("access_log/booking_history.html")
def booking_history(booking: Subject) -> dict[str, Any]:
    changes = list(
        AccessRecord.objects.filter(booking=booking, action__in=AccessRecord.CHANGES)
        .select_related("user")
        .order_by("at", "pk")
    )
    return {
        "booking": booking,
        "changes": changes,
        "cancelled_by_staff": any(
            record.action == AccessRecord.Action.CANCELLED for record in changes
        ),
    }
