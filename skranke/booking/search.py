"""Finding bookings: a citizen's own, from the code and the mobile number,
and any in a staff member's locations, from a phone number, a name or a
code (the first thing a caller is asked)."""

from django.db.models import Q, QuerySet

from skranke.booking.booking import CODE_ALPHABET, CODE_LENGTH
from skranke.booking.models import Booking
from skranke.core import clock
from skranke.core.models import Location
from skranke.core.phone_numbers import phone_for_lookup

# A search answers a person at the counter or on the phone: a screenful.
SEARCH_LIMIT = 50


def find_own_booking(*, code: str, phone: str) -> Booking | None:
    """The booking still to come with this code and mobile number, or None
    (the same for a wrong code, a wrong number, or a booking that is over,
    so that the answer tells a stranger nothing)."""
    number = phone_for_lookup(phone)
    if number is None:
        return None
    return (
        Booking.objects.filter(
            code=code.strip().upper()[:8],
            phone=number,
            status=Booking.Status.BOOKED,
            end__gt=clock.now(),
            # A held time's number gets its code and nothing else (holds.py).
            held_until__isnull=True,
        )
        .select_related("location", "service")
        .first()
    )


def search_bookings(*, locations: QuerySet[Location], text: str) -> list[Booking]:
    """Bookings at `locations` whose code, mobile number or name matches
    `text`: a code exactly, a number in any usual spelling (20 12 34 56,
    +4520123456), a name by any part of it. Newest time first, the coming
    ones before the past."""
    text = " ".join(text.split())[:100]
    if len(text) < 2:
        return []
    matches = Q(code=text.upper()) | Q(name__icontains=text)
    number = phone_for_lookup(text)
    if number is not None:
        matches |= Q(phone=number)
    found = (
        Booking.objects.filter(matches, location__in=locations)
        .select_related("location", "service")
        .order_by("-start")[:SEARCH_LIMIT]
    )
    now = clock.now()
    coming = sorted((b for b in found if b.end > now), key=lambda b: b.start)
    past = [b for b in found if b.end <= now]
    return coming + past


def find_bookings_of_citizen(*, scope: Q, text: str) -> list[Booking]:
    """The bookings within `scope` (a staff member's municipality) with
    this mobile number, e-mail address or booking code: what a citizen
    gives when they ask who has seen their data."""
    text = text.strip()[:254]
    if len(text) < 2:
        return []
    matches = Q(code=text.upper()[:8])
    if "@" in text:
        matches = Q(email__iexact=text)
    else:
        number = phone_for_lookup(text)
        if number is not None:
            matches |= Q(phone=number)
    return list(Booking.objects.filter(matches, scope).only("pk", "code", "location_id"))


def looks_like_booking_code(text: str) -> bool:
    """Whether `text` could be a booking's code, even one erased since."""
    code = text.strip().upper()
    return len(code) == CODE_LENGTH and set(code) <= set(CODE_ALPHABET)
