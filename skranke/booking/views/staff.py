"""Booking on a citizen's behalf: contact-centre agents on the phone, front
desk at the counter, managers squeezing someone in. Staff see and change
the bookings of their own locations only."""

from datetime import date, timedelta

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from skranke.access_log.recording import Action, record_access
from skranke.accounts.models import User
from skranke.accounts.permissions import role_allows
from skranke.accounts.scoping import visible_locations
from skranke.booking.availability import Policy, find_slots
from skranke.booking.booking import (
    book_appointment,
    cancel_appointment,
    find_bookings_by_phone,
    reschedule_appointment,
)
from skranke.booking.forms import StaffBookingForm
from skranke.booking.models import Booking
from skranke.booking.search import SEARCH_LIMIT, search_bookings
from skranke.booking.views.choosing import in_reach, parse_day, parse_start
from skranke.core import clock
from skranke.core.errors import DomainError
from skranke.core.models import Location, Service


def _staff(request: HttpRequest) -> User:
    user = request.user
    if not isinstance(user, User) or not role_allows(user=user, action="book_for_citizens"):
        raise PermissionDenied
    return user


def _locations(user: User) -> QuerySet[Location]:
    return visible_locations(user=user).select_related("municipality")


def _services(locations: QuerySet[Location]) -> QuerySet[Service]:
    return (
        Service.objects.filter(locations__in=locations, active=True, booking_required=True)
        .distinct()
        .order_by("position", "name_da")
    )


def _day(request: HttpRequest) -> date:
    try:
        day = date.fromisoformat(request.GET.get("dag", ""))
    except ValueError:
        return clock.today()
    return day if in_reach(day) else clock.today()


@login_required
def find_times(request: HttpRequest) -> HttpResponse:
    """Free times for one service on one day, at every location the staff
    member works at (or one of them)."""
    user = _staff(request)
    locations = _locations(user)
    services = _services(locations)
    day = _day(request)
    chosen_service = services.filter(slug=request.GET.get("ydelse", "")).first()
    chosen_location = locations.filter(slug=request.GET.get("sted", "")).first()
    may_squeeze = role_allows(user=user, action="squeeze_in")
    results = []
    if chosen_service is not None:
        for location in [chosen_location] if chosen_location else locations:
            if not chosen_service.locations.filter(pk=location.pk).exists():
                continue
            free = find_slots(
                location=location,
                service=chosen_service,
                first_day=day,
                last_day=day,
                policy=Policy.for_staff(location),
            )
            full = []
            if may_squeeze:
                free_starts = {slot.start for slot in free}
                full = [
                    slot
                    for slot in find_slots(
                        location=location,
                        service=chosen_service,
                        first_day=day,
                        last_day=day,
                        policy=Policy.for_staff(location),
                        count_bookings=False,
                    )
                    if slot.start not in free_starts
                ]
            results.append({"location": location, "free": free, "full": full})
    return render(
        request,
        "booking/staff/find_times.html",
        {
            "services": services,
            "locations": locations,
            "day": day,
            "chosen_service": chosen_service,
            "chosen_location": chosen_location,
            "results": results,
            "previous_day": day - timedelta(days=1),
            "next_day": day + timedelta(days=1),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def book_for_citizen(request: HttpRequest) -> HttpResponse:
    user = _staff(request)
    locations = _locations(user)
    location = get_object_or_404(locations, slug=request.GET.get("sted", ""))
    service = get_object_or_404(
        location.services.filter(active=True, booking_required=True),
        slug=request.GET.get("ydelse", ""),
    )
    start = parse_start(request.GET.get("start", ""))
    squeeze_in = request.GET.get("klem") == "1"
    if squeeze_in and not role_allows(user=user, action="squeeze_in"):
        raise PermissionDenied
    form = StaffBookingForm(request.POST or None, phone_meeting=service.kind == Service.Kind.PHONE)
    # The number's bookings for this errand: shown before booking another
    # (a parent booking the family's), never a refusal at the desk.
    existing: list[Booking] = []
    if request.method == "POST" and form.is_valid():
        seen_existing = request.POST.get("set_eksisterende") == "1"
        existing = find_bookings_by_phone(
            citizen=form.details, service=service, location=location, now=clock.now()
        )
        if seen_existing or not existing:
            try:
                booking = book_appointment(
                    location=location,
                    service=service,
                    start=start,
                    citizen=form.details,
                    channel=form.cleaned_data["channel"],
                    policy=Policy.for_staff(location),
                    booked_by=user,
                    squeeze_in=squeeze_in,
                    despite_limits=seen_existing,
                )
            except DomainError as error:
                messages.error(request, str(error.message))
            else:
                messages.success(
                    request,
                    _("Booked. Read the booking code to the citizen: %(code)s")
                    % {"code": booking.code},
                )
                return redirect("booking:staff_booking", code=booking.code)
    return render(
        request,
        "booking/staff/book.html",
        {
            "form": form,
            "location": location,
            "service": service,
            "start": start.astimezone(clock.LOCAL_ZONE),
            "squeeze_in": squeeze_in,
            "existing": existing,
        },
    )


def _booking(user: User, code: str) -> Booking:
    booking = (
        Booking.objects.select_related("location__municipality", "service", "desk")
        .filter(code=code.upper()[:8], location__in=_locations(user))
        .first()
    )
    if booking is None:
        raise Http404
    return booking


@login_required
def day_bookings(request: HttpRequest) -> HttpResponse:
    user = _staff(request)
    locations = _locations(user)
    day = _day(request)
    bookings = (
        Booking.objects.filter(Booking.starting_on(day), location__in=locations)
        .select_related("location", "service", "desk")
        .order_by("start", "location__name")
    )
    chosen_location = locations.filter(slug=request.GET.get("sted", "")).first()
    if chosen_location is not None:
        bookings = bookings.filter(location=chosen_location)
    record_access(actor=user, action=Action.VIEWED_DAY_LIST, booking=bookings)  # fills its cache
    return render(
        request,
        "booking/staff/day.html",
        {
            "bookings": bookings,
            "day": day,
            "locations": locations,
            "chosen_location": chosen_location,
            "previous_day": day - timedelta(days=1),
            "next_day": day + timedelta(days=1),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def booking_detail(request: HttpRequest, code: str) -> HttpResponse:
    user = _staff(request)
    booking = _booking(user, code)
    local_start = booking.start.astimezone(clock.LOCAL_ZONE)
    day = parse_day(request.GET["dag"]) if "dag" in request.GET else local_start.date()
    if request.method == "POST":
        try:
            reschedule_appointment(
                booking=booking,
                start=parse_start(request.POST.get("start", "")),
                policy=Policy.for_staff(booking.location),
                channel=Booking.Channel.PHONE,
            )
        except DomainError as error:
            messages.error(request, str(error.message))
        else:
            record_access(actor=user, action=Action.MOVED, booking=booking)
            messages.success(request, _("The booking has been moved."))
            return redirect("booking:staff_booking", code=booking.code)
    free = (
        find_slots(
            location=booking.location,
            service=booking.service,
            first_day=day,
            last_day=day,
            policy=Policy.for_staff(booking.location),
            ignore_booking=booking.pk,
        )
        if booking.is_active
        else []
    )
    record_access(actor=user, action=Action.VIEWED_BOOKING, booking=booking)
    return render(
        request,
        "booking/staff/booking.html",
        {
            "booking": booking,
            "start": local_start,
            "end": booking.end.astimezone(clock.LOCAL_ZONE),
            "day": day,
            "free": free,
            "previous_day": day - timedelta(days=1),
            "next_day": day + timedelta(days=1),
        },
    )


@login_required
@require_POST
def cancel_for_citizen(request: HttpRequest, code: str) -> HttpResponse:
    user = _staff(request)
    booking = _booking(user, code)
    try:
        cancel_appointment(booking=booking)
    except DomainError as error:
        messages.error(request, str(error.message))
    else:
        record_access(actor=user, action=Action.CANCELLED, booking=booking)
        messages.success(request, _("The booking is cancelled."))
    return redirect("booking:staff_booking", code=booking.code)


@login_required
@require_http_methods(["GET", "POST"])
def search(request: HttpRequest) -> HttpResponse:
    """Find a citizen's bookings by mobile number, name or code. Posted,
    not put in the address: a name and a number are personal data, and
    addresses end up in logs and browser histories."""
    user = _staff(request)
    text = request.POST.get("soeg", "") if request.method == "POST" else ""
    results = search_bookings(locations=_locations(user), text=text) if text else []
    record_access(actor=user, action=Action.SEARCHED, booking=results)
    return render(
        request,
        "booking/staff/search.html",
        {"text": text, "results": results, "searched": bool(text), "limit": SEARCH_LIMIT},
    )
