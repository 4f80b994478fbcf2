"""Giving a service the minutes the planning page recommends: one click,
recorded with who and when (MinutesChange). Bookings already made keep
their length; times offered from now on use the new one."""

from django.db import transaction
from django.utils.translation import gettext as _

from skranke.accounts.models import User
from skranke.accounts.permissions import role_allows
from skranke.core.models import Location, Service
from skranke.planning.models import MinutesChange

MOST_MINUTES = 240


class MinutesRefused(ValueError):
    """Why the minutes were not changed, in words for the manager."""


def change_minutes(
    *, service: Service, minutes: int, user: User, location: Location | None
) -> MinutesChange:
    if not role_allows(user=user, action="plan_staffing") or (
        user.municipality_id != service.municipality_id
    ):
        raise MinutesRefused(_("You may not change this service's minutes."))
    if not 1 <= minutes <= MOST_MINUTES:
        raise MinutesRefused(
            _("A service takes between 1 and %(most)d minutes.") % {"most": MOST_MINUTES}
        )
    with transaction.atomic():
        locked = Service.objects.select_for_update().get(pk=service.pk)
        change = MinutesChange.objects.create(
            service=locked,
            location=location,
            old_minutes=locked.duration_minutes,
            new_minutes=minutes,
            changed_by=user,
        )
        locked.duration_minutes = minutes
        locked.save(update_fields=["duration_minutes"])
    service.duration_minutes = minutes
    return change
