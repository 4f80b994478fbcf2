"""What a booking holds about the citizen, declared to privacy
(core/personal_data_registry.py), which discovers this module.

A booking holds the citizen's name, mobile number, e-mail address, note,
the secret part of its link and, when they signed in with MitID, a keyed
hash of the broker's pseudonym for them; the API's record of the request that made
it held them too. They go once the booking period (booking_days) has
passed since the booked time; the booking itself stays, for the
statistics. The bookings are how a citizen is found: by their number or
address on the request for access, also by a booking code on the access
log page, which names bookings by their codes.
"""

from collections.abc import Sequence

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from skranke.booking.models import Booking, BookingRequest
from skranke.booking.search import find_bookings_of_citizen, looks_like_booking_code
from skranke.core import clock
from skranke.core.personal_data_registry import (
    CitizenSearch,
    Erasing,
    PersonalData,
    Retention,
    Shown,
    any_filled,
    exported_moment,
    register_personal_data,
)


def find_bookings(search: CitizenSearch) -> list[Booking]:
    """The bookings with the citizen's number or address, newest first."""
    matches = Q(pk__in=[])
    if search.phone:
        matches |= Q(phone=search.phone)
    if search.email:
        matches |= Q(email__iexact=search.email)
    return list(
        Booking.objects.filter(matches, search.in_municipality("location__municipality"))
        .select_related("location", "service")
        .order_by("-start", "-pk")
    )


def find_bookings_by_text(search: CitizenSearch) -> list[Booking]:
    return find_bookings_of_citizen(
        scope=search.in_municipality("location__municipality"), text=search.text
    )


def records_about_bookings(bookings: Sequence[Booking], search: CitizenSearch) -> Q:
    """The access log names a booking by its code, which outlives the
    booking's details: a code typed also finds the rows of a booking
    erased since."""
    codes = {booking.code for booking in bookings}
    if looks_like_booking_code(search.text):
        codes.add(search.text.strip().upper())
    return Q(booking_code__in=codes)


def bookings_still_to_come(bookings: Sequence[Booking]) -> list[Booking]:
    """The bookings that may not be erased at a request yet: not cancelled,
    and booked for today or later (Copenhagen's day). The citizen cancels
    first, or the centre would keep a time without a name or number to
    call."""
    today = clock.local_now().date()
    return [
        booking
        for booking in bookings
        if booking.status != Booking.Status.CANCELLED
        and booking.start.astimezone(clock.LOCAL_ZONE).date() >= today
    ]


def booking_as_json(booking: Booking) -> dict[str, object]:
    return {
        "code": booking.code,
        "location": booking.location.name,
        "service": booking.service.name,
        "start": exported_moment(booking.start),
        "end": exported_moment(booking.end),
        "status": booking.status,
        "name": booking.name,
        "phone": booking.phone,
        "email": booking.email,
        "language": booking.language,
        "channel": booking.channel,
        "sms_consent": booking.sms_consent,
        "survey_consent": booking.survey_consent,
        "note": booking.note,
        "created_at": exported_moment(booking.created_at),
        "cancelled_at": exported_moment(booking.cancelled_at),
    }


def _booking_ids_to_erase(erasing: Erasing) -> list[int]:
    return [booking.pk for booking in erasing.rows if booking.pk in erasing.booking_ids]


def _requests_to_erase(erasing: Erasing) -> list[int]:
    return list(
        BookingRequest.objects.filter(booking_id__in=erasing.booking_ids).values_list(
            "pk", flat=True
        )
    )


register_personal_data(
    PersonalData(
        kind="bookings",
        label=_("booking details"),
        model=Booking,
        order=10,
        erased={
            "name": "",
            "phone": "",
            "email": "",
            "note": "",
            "token": "",
            "citizen_pseudonym": "",
        },
        retention=Retention(
            setting="booking_days",
            moment="start",
            municipality=("location__municipality_id",),
            still_there=any_filled("name", "phone", "email", "note", "token", "citizen_pseudonym"),
        ),
        shown=Shown(
            key="bookings",
            template="booking/citizen_data.html",
            find=find_bookings,
            as_json=booking_as_json,
            records_about=records_about_bookings,
            are_bookings=True,
            find_by_text=find_bookings_by_text,
        ),
        on_request=_booking_ids_to_erase,
        kept_on_request=bookings_still_to_come,
    ),
    # The API's record of an Idempotency-Key and a hash of the request,
    # which held the citizen's details: only for replays, never counted.
    PersonalData(
        kind="booking_requests",
        label=_("API booking requests"),
        model=BookingRequest,
        order=20,
        erased=None,
        retention=Retention(
            setting="booking_days",
            moment="booking__start",
            municipality=("booking__location__municipality_id",),
        ),
        on_request=_requests_to_erase,
    ),
)
