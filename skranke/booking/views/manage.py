"""A citizen's own booking: see it, add it to a calendar, cancel or move it."""

from datetime import timedelta

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from skranke.booking.availability import Policy, find_slots
from skranke.booking.booking import cancel_appointment, reschedule_appointment
from skranke.booking.calendar_file import booking_calendar
from skranke.booking.models import Booking
from skranke.booking.qr_code import booking_code_svg
from skranke.booking.views.access import citizen_booking_view
from skranke.booking.views.choosing import (
    DAYS_PER_PAGE,
    days_with_times,
    first_day_from,
    parse_day,
    parse_start,
)
from skranke.core import clock
from skranke.core.errors import DomainError


def manage_link(request: HttpRequest, booking: Booking) -> str:
    """The link that opens a booking from anywhere: its code and token."""
    path = reverse("booking:manage", args=[booking.code])
    return request.build_absolute_uri(f"{path}?token={booking.token}")


def calendar_response(
    request: HttpRequest, booking: Booking, *, manage_url: str | None = None
) -> HttpResponse:
    """The booking's calendar file, as a download (web and API alike).
    `manage_url`: the file's link to change the booking; the link with the
    token when not given."""
    response = HttpResponse(
        booking_calendar(booking=booking, manage_url=manage_url or manage_link(request, booking)),
        content_type="text/calendar; charset=utf-8",
    )
    response["Content-Disposition"] = f'attachment; filename="borgerservice-{booking.code}.ics"'
    return response


@citizen_booking_view
def manage(request: HttpRequest, booking: Booking) -> HttpResponse:
    if booking.held_until is not None:  # waiting for its code (holds.py)
        return redirect("booking:confirm_held_time", code=booking.code)
    return render(
        request,
        "booking/manage.html",
        {
            "booking": booking,
            "start": booking.start.astimezone(clock.LOCAL_ZONE),
            "end": booking.end.astimezone(clock.LOCAL_ZONE),
            "just_booked": request.GET.get("ny") == "1",
            "manage_link": manage_link(request, booking),
            "changeable": booking.is_active,
            "code_picture": booking_code_svg(code=booking.code)
            if booking.is_active and booking.service.kind == booking.service.Kind.IN_PERSON
            else "",
        },
    )


def _back_unless_changeable(request: HttpRequest, booking: Booking) -> HttpResponse | None:
    """A cancelled booking, or one whose time has passed, has no move or
    cancel page: back to the booking, which says why."""
    if booking.held_until is not None:
        return redirect("booking:confirm_held_time", code=booking.code)
    if booking.is_active:
        return None
    if booking.status == Booking.Status.CANCELLED:
        messages.info(request, _("This booking is cancelled, so it cannot be moved or cancelled."))
    else:
        messages.info(request, _("This booking can no longer be changed."))
    return redirect("booking:manage", code=booking.code)


@citizen_booking_view
def calendar_file(request: HttpRequest, booking: Booking) -> HttpResponse:
    return calendar_response(request, booking)


@require_http_methods(["GET", "POST"])
@citizen_booking_view
def cancel(request: HttpRequest, booking: Booking) -> HttpResponse:
    if refused := _back_unless_changeable(request, booking):
        return refused
    if request.method == "POST":
        try:
            cancel_appointment(booking=booking)
        except DomainError as error:
            messages.error(request, str(error.message))
        else:
            messages.success(request, _("Your booking is cancelled."))
        return redirect("booking:manage", code=booking.code)
    return render(
        request,
        "booking/cancel.html",
        {"booking": booking, "start": booking.start.astimezone(clock.LOCAL_ZONE)},
    )


@citizen_booking_view
def move_choose_day(request: HttpRequest, booking: Booking) -> HttpResponse:
    if refused := _back_unless_changeable(request, booking):
        return refused
    first = first_day_from(request)
    last = first + timedelta(days=DAYS_PER_PAGE - 1)
    slots = find_slots(
        location=booking.location,
        service=booking.service,
        first_day=first,
        last_day=last,
        policy=Policy.for_citizens(booking.location),
        ignore_booking=booking.pk,
    )
    return render(
        request,
        "booking/move_day.html",
        {
            "booking": booking,
            "days": days_with_times(slots),
            "first": first,
            "last": last,
            "later": last + timedelta(days=1),
        },
    )


@require_http_methods(["GET", "POST"])
@citizen_booking_view
def move_choose_time(request: HttpRequest, booking: Booking, day: str) -> HttpResponse:
    if refused := _back_unless_changeable(request, booking):
        return refused
    chosen = parse_day(day)
    policy = Policy.for_citizens(booking.location)
    if request.method == "POST":
        try:
            reschedule_appointment(
                booking=booking,
                start=parse_start(request.POST.get("start", "")),
                policy=policy,
                channel=Booking.Channel.WEB,
            )
        except DomainError as error:
            messages.error(request, str(error.message))
        else:
            messages.success(request, _("Your booking has been moved."))
            return redirect("booking:manage", code=booking.code)
    slots = find_slots(
        location=booking.location,
        service=booking.service,
        first_day=chosen,
        last_day=chosen,
        policy=policy,
        ignore_booking=booking.pk,
    )
    return render(
        request, "booking/move_time.html", {"booking": booking, "day": chosen, "slots": slots}
    )
