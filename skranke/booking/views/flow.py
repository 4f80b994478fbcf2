"""The citizen's booking flow, one page a step, plain links and forms so it
works without JavaScript:

errand → place (skipped when there is one) → day → time → details → review
→ confirmation (the manage page).

Nothing personal travels in a URL: the details wait in the session between
the details and the review step, each under a key of its own (drafts.py),
so that several tabs never mix up whose booking is confirmed.
"""

from datetime import datetime, timedelta

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from skranke.booking.availability import Policy, Slot, find_slot, find_slots
from skranke.booking.booking import book_appointment, check_service_bookable
from skranke.booking.details import CitizenDetails
from skranke.booking.errors import SlotTaken
from skranke.booking.forms import DetailsForm
from skranke.booking.holds import codes_required
from skranke.booking.models import Booking
from skranke.booking.usual_level import usual_online_bookings_this_hour
from skranke.booking.views.access import remember_access
from skranke.booking.views.choosing import (
    DAYS_PER_PAGE,
    days_with_times,
    first_day_from,
    parse_day,
    parse_start,
    start_parameter,
)
from skranke.booking.views.citizen_sign_in import sign_in_url
from skranke.booking.views.drafts import drop_draft, keep_draft, read_draft, replace_draft
from skranke.booking.views.holds import is_phone_proven
from skranke.challenge.form import FormChallenge
from skranke.core import clock
from skranke.core.context_processors import current_municipality
from skranke.core.errors import DomainError
from skranke.core.models import Location, Municipality, Service
from skranke.database.kept import keep_value, row_fingerprint
from skranke.rate_limits.limits import spend_booking_allowance
from skranke.rate_limits.responses import too_many_page
from skranke.sign_in.citizen_sign_in import broker_for, signed_in_pseudonym

STEPS = 6
# How long a rendered list of errands is kept unasked (skranke/database/kept.py).
KEPT_SECONDS = 3600
# How many other free times a refused or lost time offers instead.
NEAREST_TIMES = 5


def _services() -> list[Service]:
    return list(Service.objects.filter(municipality=current_municipality(), active=True))


def _service(slug: str) -> Service:
    return get_object_or_404(Service, municipality=current_municipality(), slug=slug, active=True)


def _location(service: Service, slug: str) -> Location:
    return get_object_or_404(service.locations.select_related("municipality"), slug=slug)


def _step(number: int, title: str, errand: Service | None = None) -> dict[str, object]:
    """Step `number` of the flow. An errand offered at one place skips the
    choice of place, so its steps are counted without it: a citizen is
    never taken from step 1 to step 3."""
    if errand is not None and number > 2 and errand.locations.count() == 1:
        return {"step": number - 1, "steps": STEPS - 1, "step_title": title}
    return {"step": number, "steps": STEPS, "step_title": title}


def choose_service(request: HttpRequest) -> HttpResponse:
    municipality = current_municipality()
    services = _services()
    # Rendered once for each fingerprint of the rows it lists, as the start
    # page is (skranke/core/views.py).
    content = keep_value(
        name="choose-service",
        fingerprint=(
            get_language(),
            municipality and row_fingerprint(municipality),
            [row_fingerprint(service) for service in services],
        ),
        build=lambda: render_service_choice(municipality=municipality, services=services),
        seconds=KEPT_SECONDS,
    )
    return render(
        request,
        "booking/choose_service.html",
        {**_step(1, _("Choose your errand")), "content": content},
    )


def render_service_choice(*, municipality: Municipality | None, services: list[Service]) -> str:
    bookable = [s for s in services if s.booking_required and s.bookable_online]
    return render_to_string(
        "booking/choose_service_content.html",
        {
            "municipality": municipality,
            "in_person": [s for s in bookable if s.kind == Service.Kind.IN_PERSON],
            "by_phone": [s for s in bookable if s.kind == Service.Kind.PHONE],
            "walk_in": [s for s in services if not s.booking_required],
            "call_us": [s for s in services if s.booking_required and not s.bookable_online],
        },
    )


def _back_unless_bookable(
    request: HttpRequest, place: Location, errand: Service
) -> HttpResponse | None:
    """Back to the errands, with the reason, when a link leads to an errand
    that cannot be booked online here."""
    try:
        check_service_bookable(location=place, service=errand, channel=Booking.Channel.WEB)
    except DomainError as error:
        messages.error(request, str(error.message))
        return redirect("booking:choose_service")
    return None


def choose_location(request: HttpRequest, service: str) -> HttpResponse:
    errand = _service(service)
    if not errand.booking_required:
        return render(request, "booking/no_booking_needed.html", {"service": errand})
    places = list(errand.locations.all())
    if len(places) == 1:
        return _back_unless_bookable(request, places[0], errand) or redirect(
            "booking:choose_day", service=errand.slug, location=places[0].slug
        )
    return render(
        request,
        "booking/choose_location.html",
        {**_step(2, _("Choose a place")), "service": errand, "places": places},
    )


def choose_day(request: HttpRequest, service: str, location: str) -> HttpResponse:
    errand = _service(service)
    place = _location(errand, location)
    if refused := _back_unless_bookable(request, place, errand):
        return refused
    first = first_day_from(request)
    last = first + timedelta(days=DAYS_PER_PAGE - 1)
    policy = Policy.for_citizens(place)
    days = days_with_times(
        find_slots(location=place, service=errand, first_day=first, last_day=last, policy=policy)
    )
    horizon_end = clock.today() + timedelta(days=policy.horizon_days)
    return render(
        request,
        "booking/choose_day.html",
        {
            **_step(3, _("Choose a day"), errand),
            "service": errand,
            "place": place,
            "days": days,
            "first": first,
            "last": last,
            "later": last + timedelta(days=1) if last < horizon_end else None,
            "earlier": max(first - timedelta(days=DAYS_PER_PAGE), clock.today())
            if first > clock.today()
            else None,
            "several_places": errand.locations.count() > 1,
        },
    )


def choose_time(request: HttpRequest, service: str, location: str, day: str) -> HttpResponse:
    errand = _service(service)
    place = _location(errand, location)
    if refused := _back_unless_bookable(request, place, errand):
        return refused
    chosen = parse_day(day)
    slots = find_slots(
        location=place,
        service=errand,
        first_day=chosen,
        last_day=chosen,
        policy=Policy.for_citizens(place),
    )
    return render(
        request,
        "booking/choose_time.html",
        {
            **_step(4, _("Choose a time"), errand),
            "service": errand,
            "place": place,
            "day": chosen,
            "slots": slots,
        },
    )


def nearest_free_times(*, place: Location, errand: Service, start: datetime) -> list[Slot]:
    """The free times closest to `start` in the week around it (from today
    on), in time order: what to offer when `start` cannot be booked."""
    day = start.astimezone(clock.LOCAL_ZONE).date()
    slots = find_slots(
        location=place,
        service=errand,
        first_day=day - timedelta(days=7),
        last_day=day + timedelta(days=7),
        policy=Policy.for_citizens(place),
    )
    closest = sorted(slots, key=lambda slot: abs(slot.start - start))[:NEAREST_TIMES]
    return sorted(closest, key=lambda slot: slot.start)


def _is_offered(*, place: Location, errand: Service, start: datetime) -> bool:
    policy = Policy.for_citizens(place)
    return find_slot(location=place, service=errand, start=start, policy=policy) is not None


@require_http_methods(["GET", "POST"])
def enter_details(request: HttpRequest, service: str, location: str) -> HttpResponse:
    errand = _service(service)
    place = _location(errand, location)
    if refused := _back_unless_bookable(request, place, errand):
        return refused
    start = parse_start(request.GET.get("start", ""))
    local_start = start.astimezone(clock.LOCAL_ZONE)
    time_url = reverse(
        "booking:choose_time", args=[errand.slug, place.slug, local_start.date().isoformat()]
    )
    # A time typed into the address (past, closed, off the grid, taken) is
    # refused here, at the first step, before the citizen types anything.
    # Details already typed are never thrown away: a time lost while they
    # were typed is caught on the review page, which keeps them.
    if request.method == "GET" and not _is_offered(place=place, errand=errand, start=start):
        return render(
            request,
            "booking/time_not_offered.html",
            {
                **_step(5, _("Your details"), errand),
                "service": errand,
                "place": place,
                "start": local_start,
                "nearest": nearest_free_times(place=place, errand=errand, start=start),
                "time_url": time_url,
            },
            status=409,
        )
    broker = broker_for(municipality=place.municipality)
    signed_in = bool(
        signed_in_pseudonym(session=request.session, municipality_id=place.municipality_id)
    )
    if errand.citizen_sign_in_required and not signed_in:
        # Before anything is typed: the details are of no use without it.
        return render(
            request,
            "booking/sign_in_required.html",
            {
                **_step(5, _("Your details"), errand),
                "service": errand,
                "place": place,
                "start": local_start,
                "time_url": time_url,
                "sign_in_url": sign_in_url(next_url=request.get_full_path()) if broker else "",
            },
        )
    phone_meeting = errand.kind == Service.Kind.PHONE
    form = DetailsForm(request.POST or None, phone_meeting=phone_meeting)
    if request.method == "POST" and form.is_valid():
        draft = keep_draft(
            request,
            {
                "service": errand.slug,
                "location": place.slug,
                "start": start.isoformat(),
                "details": form.details.__dict__,
            },
        )
        return redirect("booking:review", draft=draft)
    return render(
        request,
        "booking/enter_details.html",
        {
            **_step(5, _("Your details"), errand),
            "service": errand,
            "place": place,
            "start": local_start,
            "form": form,
            "phone_meeting": phone_meeting,
            "time_url": time_url,
            "signed_in": signed_in,
            # Offered where there is a broker: a signed-in citizen needs no code.
            "sign_in_url": sign_in_url(next_url=request.get_full_path())
            if broker and not signed_in
            else "",
        },
    )


@require_http_methods(["GET", "POST"])
def review(request: HttpRequest, draft: str) -> HttpResponse:
    pending = read_draft(request, draft)
    if not pending:
        messages.info(request, _("Your booking was not finished. Please start again."))
        return redirect("booking:choose_service")
    errand = _service(pending["service"])
    place = _location(errand, pending["location"])
    start = datetime.fromisoformat(pending["start"])
    details = CitizenDetails(**pending["details"])
    day_url = reverse(
        "booking:choose_time",
        args=[errand.slug, place.slug, start.astimezone(clock.LOCAL_ZONE).date().isoformat()],
    )
    # Without a text message or an e-mail the citizen hears nothing from us:
    # no confirmation, no reminder, no word if the time is cancelled. Said
    # plainly, and confirmed once more with a button that says so.
    untold = not details.sms_consent and not details.email
    # Against hoarding (skranke/challenge): while it is on, the form carries a
    # proof of work (read only if the page shows the form).
    challenge = FormChallenge(request, draft=draft, usual_per_hour=usual_online_bookings_this_hour)
    context = {
        **_step(6, _("Check and confirm"), errand),
        "service": errand,
        "place": place,
        "start": start.astimezone(clock.LOCAL_ZONE),
        "end": (start + timedelta(minutes=errand.duration_minutes)).astimezone(clock.LOCAL_ZONE),
        "details": details,
        "details_url": reverse("booking:enter_details", args=[errand.slug, place.slug])
        + f"?start={start_parameter(start)}",
        "day_url": day_url,
        "untold": untold,
        "challenge": challenge,
    }
    if request.method == "GET" and not _is_offered(place=place, errand=errand, start=start):
        # Taken, or never offered, since the details were typed: the same
        # choice as after a lost race, and the details stay.
        context["error"] = _("This time cannot be booked any more. Choose another:")
        context["next_free"] = nearest_free_times(place=place, errand=errand, start=start)
        return render(request, "booking/review.html", context, status=409)
    if request.method == "POST" and request.POST.get("new_start"):
        # "Take this time instead", offered after a lost race: keep the
        # details, change the time, and show the review again.
        pending["start"] = parse_start(request.POST["new_start"]).isoformat()
        replace_draft(request, draft, pending)
        return redirect("booking:review", draft=draft)
    if request.method == "POST" and untold and request.POST.get("without_messages") != "yes":
        context["error"] = _(
            "You have chosen no text message and no e-mail. Add one, or confirm that you "
            "want to book without hearing from us."
        )
        context["untold_refused"] = True
        return render(request, "booking/review.html", context, status=422)
    person = signed_in_pseudonym(session=request.session, municipality_id=place.municipality_id)
    if request.method == "POST" and errand.citizen_sign_in_required and not person:
        # The hour's sign-in ran out on the way: to the details step, which
        # asks the citizen to sign in again.
        return redirect(str(context["details_url"]))
    # Whether the time will be held for a code by text message (holds.py):
    # said on the page before the button is pressed.
    hold = (
        codes_required(service=errand, under_attack=challenge.pressure.under_attack)
        and not is_phone_proven(request, details.phone)
        and not person
    )
    context["code_coming"] = hold
    if request.method == "POST":
        if not challenge.passes(request.POST):  # the form again, with a fresh challenge
            return render(request, "booking/review.html", context, status=428)
        allowance = spend_booking_allowance(request=request, phone=details.phone)
        if not allowance.allowed:  # the details stay in the draft for later
            return too_many_page(request, allowance)
        try:
            booking = book_appointment(
                location=place,
                service=errand,
                start=start,
                citizen=details,
                channel=Booking.Channel.WEB,
                policy=Policy.for_citizens(place),
                hold=hold,
                citizen_pseudonym=person,
            )
        except SlotTaken as error:
            context["error"] = error.message
            context["next_free"] = nearest_free_times(place=place, errand=errand, start=start)
            return render(request, "booking/review.html", context, status=409)
        except DomainError as error:
            context["error"] = error.message
            return render(request, "booking/review.html", context, status=422)
        drop_draft(request, draft)
        remember_access(request, booking)
        if booking.held_until is not None:  # the code comes back first (holds.py)
            return redirect("booking:confirm_held_time", code=booking.code)
        return redirect(reverse("booking:manage", args=[booking.code]) + "?ny=1")
    return render(request, "booking/review.html", context)
