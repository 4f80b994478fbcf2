"""Reading the access log: who may, which rows they see, and finding the
rows of one citizen or one staff member.

Administrators and managers read the log of their municipality, as does
anyone given the data-protection permission (`access_log.read_access_log`,
granted in the admin, e.g. to the municipality's data-protection officer).
The municipality, not the manager's own locations: a citizen's question is
put to the municipality, and staff work across its locations.
"""

from django.db.models import Q, QuerySet

from skranke.access_log.models import AccessRecord, SignInEvent
from skranke.accounts.models import CONFIGURING_ROLES, Role, User
from skranke.accounts.scoping import municipality_scope

PERMISSION = "access_log.read_access_log"


def may_read_access_log(*, user: object) -> bool:
    if not isinstance(user, User) or not user.is_active:
        return False
    if user.is_superuser:
        return True
    if user.municipality_id is None:
        return False
    return user.role in CONFIGURING_ROLES or user.has_perm(PERMISSION)


def reads_every_location(*, user: object) -> bool:
    """Whether `user` searches the citizens of every location of their
    municipality: an administrator, and whoever holds the data-protection
    permission. A manager searches their own locations' only."""
    if not may_read_access_log(user=user) or not isinstance(user, User):
        return False
    return user.is_superuser or user.role == Role.ADMINISTRATOR or user.has_perm(PERMISSION)


def visible_records(*, user: object) -> QuerySet[AccessRecord]:
    """The rows `user` may read (none for those who may not)."""
    if not may_read_access_log(user=user):
        return AccessRecord.objects.none()
    return AccessRecord.objects.filter(municipality_scope(user=user, path="municipality"))


def visible_sign_in_events(*, user: object, staff_id: int = 0) -> QuerySet[SignInEvent]:
    """The sign-ins, sign-outs and failures `user` may read, newest first:
    their municipality's staff (all, or the one with `staff_id`). Attempts
    with an unknown user name belong to no municipality: superusers only."""
    if not may_read_access_log(user=user):
        return SignInEvent.objects.none()
    events = SignInEvent.objects.filter(municipality_scope(user=user, path="municipality"))
    if not reads_every_location(user=user):  # a manager: their locations' staff
        events = events.filter(user__in=visible_staff(user=user))
    if staff_id:
        events = events.filter(user_id=staff_id)
    return events.select_related("user").order_by("-at", "-pk")


def visible_staff(*, user: object) -> QuerySet[User]:
    """The staff members whose rows `user` may look for: a manager those of
    their own locations, others the whole municipality's."""
    if not may_read_access_log(user=user):
        return User.objects.none()
    staff = User.objects.filter(municipality_scope(user=user, path="municipality"))
    if not reads_every_location(user=user) and isinstance(user, User):
        # A manager: the staff of their own locations.
        staff = staff.filter(locations__in=user.locations.all()).distinct()
    return staff.order_by("username")


def records_about(*, user: object, about: Q) -> QuerySet[AccessRecord]:
    """The rows `about` picks (by the bookings, contacts and visits they
    name), newest first. The rows keep a booking's code, so an erased
    booking's rows are found by it too."""
    return _ordered(visible_records(user=user).filter(about))


def records_of_staff(*, user: object, staff_id: int) -> QuerySet[AccessRecord]:
    """The rows written by one staff member, newest first."""
    return _ordered(visible_records(user=user).filter(user_id=staff_id))


def _ordered(records: QuerySet[AccessRecord]) -> QuerySet[AccessRecord]:
    return records.select_related("user", "location").order_by("-at", "-pk")
