"""Booking, seeing, moving and cancelling a time. A booking is reached by
its code together with its secret token, sent in the X-Booking-Token
header; either wrong answers 404. The token in the query string (?token=)
still works until its sunset, answered with a Deprecation header: query
strings end up in logs and browser histories. The calendar file's link
carries a calendar key instead, which reads that file and nothing else."""

from datetime import datetime

from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from ninja import Field, Header, Query, Router, Schema
from ninja.responses import Status
from pydantic import field_validator
from pydantic_core import PydanticCustomError

from skranke.api.availability import find_location_and_service
from skranke.api.challenge import CHALLENGE_HEADER, refuse_unless_challenge_solved
from skranke.booking.availability import Policy
from skranke.booking.booking import (
    book_appointment,
    cancel_appointment,
    request_fingerprint,
    reschedule_appointment,
)
from skranke.booking.calendar_file import calendar_key, is_calendar_key
from skranke.booking.details import NAME_MAX, NOTE_MAX, clean_citizen_details
from skranke.booking.holds import codes_required, confirm_hold
from skranke.booking.models import Booking
from skranke.booking.views.access import same_token
from skranke.booking.views.manage import calendar_response, manage_link
from skranke.core import clock
from skranke.core.errors import InvalidInput
from skranke.core.free_text import validate_free_text
from skranke.rate_limits.limits import refuse_unless_allowed, spend_booking_allowance

router = Router(tags=["bookings"])

TOKEN_HEADER = "X-Booking-Token"  # noqa: S105 - the header's name, not a secret
TOKEN_MAX = 200
# ?token= is deprecated since 1 December 2026 (RFC 9745) and goes after
# 1 June 2027 (RFC 8594); docs/api.md says so.
TOKEN_IN_QUERY_DEPRECATION = {
    "Deprecation": "@1796083200",
    "Sunset": "Tue, 01 Jun 2027 00:00:00 GMT",
}


class BookingIn(Schema):
    location: str = Field(max_length=50)
    service: str = Field(max_length=50)
    start: datetime
    name: str = Field(max_length=NAME_MAX)
    phone: str = Field(max_length=30)
    email: str = Field(default="", max_length=254)
    language: str = Field(default="da", max_length=2)
    note: str = Field(default="", max_length=NOTE_MAX)
    sms_consent: bool = False
    survey_consent: bool = False

    @field_validator("note")
    @classmethod
    def no_cpr_number(cls, note: str) -> str:
        try:
            validate_free_text(note)
        except ValidationError as refused:  # answered as 422, the field named
            raise PydanticCustomError(str(refused.code), refused.messages[0]) from refused
        return note


class RescheduleIn(Schema):
    start: datetime


class HoldCodeIn(Schema):
    code: str = Field(max_length=12)


class BookingOut(Schema):
    code: str
    start: datetime
    end: datetime
    location: str
    service: str
    status: str
    # Set while the time is held for its code (POST /bookings/{code}/confirm).
    held_until: datetime | None
    manage_url: str
    ics_url: str


class NewBookingOut(BookingOut):
    token: str


def calendar_url(request: HttpRequest, booking: Booking) -> str:
    path = reverse("api-v1:booking_calendar", args=[booking.code])
    return request.build_absolute_uri(f"{path}?key={calendar_key(booking=booking)}")


def represent(request: HttpRequest, booking: Booking) -> dict[str, object]:
    return {
        "code": booking.code,
        "token": booking.token,
        "start": booking.start.astimezone(clock.LOCAL_ZONE),
        "end": booking.end.astimezone(clock.LOCAL_ZONE),
        "location": booking.location.slug,
        "service": booking.service.slug,
        "status": booking.status,
        "held_until": booking.held_until.astimezone(clock.LOCAL_ZONE)
        if booking.held_until
        else None,
        "manage_url": manage_link(request, booking),
        "ics_url": calendar_url(request, booking),
    }


def _booking_with_code(code: str) -> Booking | None:
    return (
        Booking.objects.select_related("location__municipality", "service")
        .filter(code=code.upper()[:8])
        .first()
    )


def find_booking(code: str, token: str) -> Booking:
    """The booking with this code, if the token is its own. Both a wrong code
    and a wrong token are 404, so neither can be probed."""
    booking = _booking_with_code(code)
    if booking is None or not same_token(booking.token, token):
        raise Http404
    return booking


def find_booking_for(
    code: str, *, header_token: str, query_token: str, response: HttpResponse
) -> Booking:
    """The booking, with the token from the header or, deprecated, from the
    query string (the answer then says so in its headers)."""
    if header_token or not query_token:
        return find_booking(code, header_token)
    booking = find_booking(code, query_token)
    say_token_in_query_is_deprecated(response)
    return booking


def say_token_in_query_is_deprecated(response: HttpResponse) -> None:
    for name, value in TOKEN_IN_QUERY_DEPRECATION.items():
        response[name] = value


@router.post("/bookings", response={201: NewBookingOut})
def create_booking(
    request: HttpRequest,
    payload: BookingIn,
    idempotency_key: str = Header("", alias="Idempotency-Key", max_length=200),
    challenge: str = Header("", alias=CHALLENGE_HEADER, max_length=2000),
) -> Status[dict[str, object]]:
    fingerprint = request_fingerprint(request.body.decode(errors="replace"))
    place, errand = find_location_and_service(payload.location, payload.service)
    if errand.citizen_sign_in_required:
        # Only the booking pages sign a citizen in with MitID.
        raise InvalidInput(
            _("This errand is booked after signing in with MitID, on the booking pages."),
            field="service",
        )
    citizen = clean_citizen_details(
        name=payload.name,
        phone=payload.phone,
        email=payload.email,
        language=payload.language,
        sms_consent=payload.sms_consent,
        note=payload.note,
        survey_consent=payload.survey_consent,
    )
    # Against hoarding (skranke/challenge): while it is on, a solved challenge.
    pressure = refuse_unless_challenge_solved(request=request, solution=challenge)
    refuse_unless_allowed(spend_booking_allowance(request=request, phone=citizen.phone))
    booking = book_appointment(
        location=place,
        service=errand,
        start=payload.start,
        citizen=citizen,
        channel=Booking.Channel.WEB,
        policy=Policy.for_citizens(place),
        hold=codes_required(service=errand, under_attack=pressure.under_attack),
        idempotency_key=idempotency_key,
        fingerprint=fingerprint,
    )
    return Status(201, represent(request, booking))


@router.post("/bookings/{code}/confirm", response=BookingOut)
def confirm_booking(
    request: HttpRequest,
    code: str,
    payload: HoldCodeIn,
    token: str = Header("", alias=TOKEN_HEADER, max_length=TOKEN_MAX),
) -> dict[str, object]:
    """Confirm a held time with the code sent to the citizen's phone by
    text message: 422 for a wrong code, 410 when the hold has lapsed (the
    time is free again)."""
    booking = find_booking(code, token)
    return represent(request, confirm_hold(booking=booking, code=payload.code))


@router.get("/bookings/{code}", response=BookingOut)
def get_booking(
    request: HttpRequest,
    code: str,
    response: HttpResponse,
    token: str = Header("", alias=TOKEN_HEADER, max_length=TOKEN_MAX),
    query_token: str = Query("", alias="token", max_length=TOKEN_MAX, deprecated=True),
) -> dict[str, object]:
    booking = find_booking_for(code, header_token=token, query_token=query_token, response=response)
    return represent(request, booking)


@router.delete("/bookings/{code}", response={204: None})
def delete_booking(
    request: HttpRequest,
    code: str,
    response: HttpResponse,
    token: str = Header("", alias=TOKEN_HEADER, max_length=TOKEN_MAX),
    query_token: str = Query("", alias="token", max_length=TOKEN_MAX, deprecated=True),
) -> Status[None]:
    booking = find_booking_for(code, header_token=token, query_token=query_token, response=response)
    cancel_appointment(booking=booking)
    return Status(204, None)


@router.post("/bookings/{code}/reschedule", response=BookingOut)
def reschedule_booking(
    request: HttpRequest,
    code: str,
    payload: RescheduleIn,
    response: HttpResponse,
    token: str = Header("", alias=TOKEN_HEADER, max_length=TOKEN_MAX),
    query_token: str = Query("", alias="token", max_length=TOKEN_MAX, deprecated=True),
) -> dict[str, object]:
    booking = find_booking_for(code, header_token=token, query_token=query_token, response=response)
    moved = reschedule_appointment(
        booking=booking,
        start=payload.start,
        policy=Policy.for_citizens(booking.location),
        channel=Booking.Channel.WEB,
    )
    return represent(request, moved)


@router.get("/bookings/{code}/calendar.ics", url_name="booking_calendar")
def booking_calendar_file(
    request: HttpRequest,
    code: str,
    key: str = Query("", max_length=TOKEN_MAX),
    token: str = Header("", alias=TOKEN_HEADER, max_length=TOKEN_MAX),
    query_token: str = Query("", alias="token", max_length=TOKEN_MAX, deprecated=True),
) -> HttpResponse:
    """The calendar file, with the calendar key from `ics_url` (or the
    booking's token). The file reached by the key links to the booking's
    page without the token: whoever holds the key may read the time, not
    change or cancel it."""
    if key:
        booking = _booking_with_code(code)
        if booking is None or not is_calendar_key(booking=booking, key=key):
            raise Http404
        page = request.build_absolute_uri(reverse("booking:manage", args=[booking.code]))
        return calendar_response(request, booking, manage_url=page)
    answer = calendar_response(request, find_booking(code, token or query_token))
    if query_token and not token:
        say_token_in_query_is_deprecated(answer)
    return answer
