"""The inquiries as the contact centre works them: the open ones, oldest
first, each with how long it has waited and when it is due by the
municipality's target, and who has taken it. A CPR number a citizen
wrote in the subject is masked in the list; the inquiry's own page shows
the text (and its reading is in the access log)."""

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db.models import Count, Exists, OuterRef, Q, QuerySet

from skranke.accounts.models import User
from skranke.accounts.scoping import visible_locations
from skranke.contact_centre.models import KpiTargets
from skranke.core.cpr import mask_cpr_numbers
from skranke.core.models import Municipality
from skranke.inquiries.models import Inquiry, InquiryMessage
from skranke.inquiries.response_target import answer_due_by

DEFAULT_ANSWER_DAYS = 2


@dataclass(frozen=True)
class WorklistItem:
    inquiry: Inquiry
    messages: int
    waited: timedelta
    due_by: datetime
    overdue: bool
    forward_returned: bool  # sent on to a department, and it came back

    @property
    def subject_shown(self) -> str:
        return mask_cpr_numbers(text=self.inquiry.subject)


def inquiries_for(*, staff: User) -> QuerySet[Inquiry]:
    """The inquiries `staff` may read and act on: their municipality's, of
    the locations they work at, and those no location is guessed for."""
    if not staff.is_superuser and staff.municipality_id is None:
        return Inquiry.objects.none()
    mine = Q(location__isnull=True) | Q(location__in=visible_locations(user=staff))
    found = Inquiry.objects.filter(mine)
    if not staff.is_superuser:
        found = found.filter(municipality=staff.municipality_id)
    return found


def answer_days(*, municipality: Municipality | int) -> int:
    """The municipality's target: answered within this many opening days."""
    municipality_id = municipality if isinstance(municipality, int) else municipality.pk
    days = (
        KpiTargets.objects.filter(municipality_id=municipality_id)
        .values_list("inquiry_answer_days", flat=True)
        .first()
    )
    return days or DEFAULT_ANSWER_DAYS


def read_inquiry_worklist(*, staff: User, now: datetime) -> list[WorklistItem]:
    """The open inquiries `staff` may work, the longest waiting first."""
    open_ones = (
        inquiries_for(staff=staff)
        .filter(status=Inquiry.Status.OPEN)
        .select_related("location", "topic", "claimed_by")
        .annotate(
            message_count=Count("messages"),
            forward_returned=Exists(
                InquiryMessage.objects.filter(
                    inquiry=OuterRef("pk"),
                    direction=InquiryMessage.Direction.FORWARDED,
                    returned_at__isnull=False,
                )
            ),
        )
        .order_by("received_at", "pk")
    )
    days: dict[int, int] = {}
    items = []
    for inquiry in open_ones:
        if inquiry.municipality_id not in days:
            days[inquiry.municipality_id] = answer_days(municipality=inquiry.municipality_id)
        due_by = answer_due_by(
            received_at=inquiry.received_at,
            location=inquiry.location,
            days=days[inquiry.municipality_id],
        )
        items.append(
            WorklistItem(
                inquiry=inquiry,
                messages=inquiry.message_count,
                waited=now - inquiry.received_at,
                due_by=due_by,
                overdue=now > due_by,
                forward_returned=inquiry.forward_returned,
            )
        )
    return items
