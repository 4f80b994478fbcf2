"""Booking, seeing, moving and cancelling a time. A booking is reached by
its code together with its secret token; either wrong answers 404."""

from datetime import datetime

from django.http import Http404, HttpRequest, HttpResponse
from django.urls import reverse
from ninja import Field, Header, Router, Schema
from ninja.responses import Status

from skranke.api.availability import find_location_and_service
from skranke.booking.availability import Policy
from skranke.booking.booking import (
    book_appointment,
    cancel_appointment,
    request_fingerprint,
    reschedule_appointment,
)
from skranke.booking.details import NAME_MAX, NOTE_MAX, clean_citizen_details
from skranke.booking.models import Booking
from skranke.booking.views.access import same_token
from skranke.booking.views.manage import calendar_response, manage_link
from skranke.core import clock

router = Router(tags=["bookings"])


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


class RescheduleIn(Schema):
    start: datetime


class BookingOut(Schema):
    code: str
    start: datetime
    end: datetime
    location: str
    service: str
    status: str
    manage_url: str
    ics_url: str


class NewBookingOut(BookingOut):
    token: str


def calendar_url(request: HttpRequest, booking: Booking) -> str:
    path = reverse("api-v1:booking_calendar", args=[booking.code])
    return request.build_absolute_uri(f"{path}?token={booking.token}")


def represent(request: HttpRequest, booking: Booking) -> dict[str, object]:
    return {
        "code": booking.code,
        "token": booking.token,
        "start": booking.start.astimezone(clock.LOCAL_ZONE),
        "end": booking.end.astimezone(clock.LOCAL_ZONE),
        "location": booking.location.slug,
        "service": booking.service.slug,
        "status": booking.status,
        "manage_url": manage_link(request, booking),
        "ics_url": calendar_url(request, booking),
    }


def find_booking(code: str, token: str) -> Booking:
    """The booking with this code, if the token is its own. Both a wrong code
    and a wrong token are 404, so neither can be probed."""
    booking = (
        Booking.objects.select_related("location__municipality", "service")
        .filter(code=code.upper()[:8])
        .first()
    )
    if booking is None or not same_token(booking.token, token):
        raise Http404
    return booking


@router.post("/bookings", response={201: NewBookingOut})
def create_booking(
    request: HttpRequest,
    payload: BookingIn,
    idempotency_key: str = Header("", alias="Idempotency-Key", max_length=200),
) -> Status[dict[str, object]]:
    fingerprint = request_fingerprint(request.body.decode(errors="replace"))
    place, errand = find_location_and_service(payload.location, payload.service)
    citizen = clean_citizen_details(
        name=payload.name,
        phone=payload.phone,
        email=payload.email,
        language=payload.language,
        sms_consent=payload.sms_consent,
        note=payload.note,
        survey_consent=payload.survey_consent,
    )
    booking = book_appointment(
        location=place,
        service=errand,
        start=payload.start,
        citizen=citizen,
        channel=Booking.Channel.WEB,
        policy=Policy.for_citizens(place),
        idempotency_key=idempotency_key,
        fingerprint=fingerprint,
    )
    return Status(201, represent(request, booking))


@router.get("/bookings/{code}", response=BookingOut)
def get_booking(request: HttpRequest, code: str, token: str) -> dict[str, object]:
    return represent(request, find_booking(code, token))


@router.delete("/bookings/{code}", response={204: None})
def delete_booking(request: HttpRequest, code: str, token: str) -> Status[None]:
    cancel_appointment(booking=find_booking(code, token))
    return Status(204, None)


@router.post("/bookings/{code}/reschedule", response=BookingOut)
def reschedule_booking(
    request: HttpRequest, code: str, token: str, payload: RescheduleIn
) -> dict[str, object]:
    booking = find_booking(code, token)
    moved = reschedule_appointment(
        booking=booking,
        start=payload.start,
        policy=Policy.for_citizens(booking.location),
        channel=Booking.Channel.WEB,
    )
    return represent(request, moved)


@router.get("/bookings/{code}/calendar.ics", url_name="booking_calendar")
def booking_calendar_file(request: HttpRequest, code: str, token: str) -> HttpResponse:
    return calendar_response(request, find_booking(code, token))
