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
from skranke.accounts.models import CONFIGURING_ROLES, User
from skranke.accounts.scoping import municipality_scope
from skranke.booking.booking import CODE_ALPHABET, CODE_LENGTH
from skranke.booking.details import phone_for_lookup
from skranke.booking.models import Booking

PERMISSION = "access_log.read_access_log"


def may_read_access_log(*, user: object) -> bool:
    if not isinstance(user, User) or not user.is_active:
        return False
    if user.is_superuser:
        return True
    if user.municipality_id is None:
        return False
    return user.role in CONFIGURING_ROLES or user.has_perm(PERMISSION)


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
    if staff_id:
        events = events.filter(user_id=staff_id)
    return events.select_related("user").order_by("-at", "-pk")


def visible_staff(*, user: object) -> QuerySet[User]:
    """The staff members whose rows `user` may look for."""
    if not may_read_access_log(user=user):
        return User.objects.none()
    return User.objects.filter(municipality_scope(user=user, path="municipality")).order_by(
        "username"
    )


def find_citizen_bookings(*, user: object, text: str) -> list[Booking]:
    """The bookings, in `user`'s municipality, with this mobile number,
    e-mail address or booking code."""
    text = text.strip()[:254]
    if len(text) < 2 or not may_read_access_log(user=user):
        return []
    matches = Q(code=text.upper()[:8])
    if "@" in text:
        matches = Q(email__iexact=text)
    else:
        number = phone_for_lookup(text)
        if number is not None:
            matches |= Q(phone=number)
    return list(
        Booking.objects.filter(
            matches, municipality_scope(user=user, path="location__municipality")
        ).only("pk", "code", "location_id")
    )


def records_of_citizen(*, user: object, text: str) -> tuple[list[Booking], QuerySet[AccessRecord]]:
    """The citizen's bookings, and the rows about them, newest first. A
    booking code also finds the rows of an erased booking, which keep it."""
    bookings = find_citizen_bookings(user=user, text=text)
    codes = {booking.code for booking in bookings}
    code = text.strip().upper()
    if len(code) == CODE_LENGTH and set(code) <= set(CODE_ALPHABET):
        codes.add(code)
    records = visible_records(user=user).filter(booking_code__in=codes) if codes else None
    return bookings, _ordered(records if records is not None else AccessRecord.objects.none())


def records_of_staff(*, user: object, staff_id: int) -> QuerySet[AccessRecord]:
    """The rows written by one staff member, newest first."""
    return _ordered(visible_records(user=user).filter(user_id=staff_id))


def _ordered(records: QuerySet[AccessRecord]) -> QuerySet[AccessRecord]:
    return records.select_related("user", "location").order_by("-at", "-pk")
