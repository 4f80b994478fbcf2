"""The check-in kiosk at the entrance: a booked citizen checks in with the
booking code (typed or scanned) or the mobile number; anyone else takes a
ticket for an errand that needs no booking. Every answer is on the screen:
the ticket, where to wait, the expected wait, or what to do instead. With
a long wait the citizen may ask for a text message when the turn is near."""

from dataclasses import dataclass

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from skranke.accounts.devices import device_page
from skranke.accounts.models import Device
from skranke.booking.models import Booking
from skranke.core import clock
from skranke.core.errors import InvalidInput
from skranke.core.models import Location
from skranke.core.opening_hours import is_open_at, next_opening
from skranke.notifications.models import Message
from skranke.queueing.checkin import (
    check_in_booking,
    issue_walk_in_ticket,
    walk_in_services,
    walk_in_services_offered,
)
from skranke.queueing.errors import CheckInRefused, QueueRefused
from skranke.queueing.forecast import tell_expected_wait
from skranke.queueing.models import Visit
from skranke.queueing.turn_soon import TURN_SOON_MINUTES, ask_for_turn_soon_message
from skranke.queueing.waiting_room import closed_text
from skranke.rate_limits.limits import CHECK_INS_PER_DEVICE
from skranke.rate_limits.responses import limit_rate

# The kiosk remembers the ticket it just gave, to show it after the
# redirect, without a visit id in the address.
TICKET_KEY = "kiosk_visit"
# … and the late citizen whose code it has just taken, for the ticket
# offered for their errand: the walk-in page takes no code of its own, so
# it tells nobody which codes exist and queues nobody else's booking.
LATE_KEY = "kiosk_late_booking"
# The offer is for the citizen in front of the kiosk now, not the next one.
LATE_OFFER_SECONDS = 120
FIELD_MAX = 30


def _show_ticket(request: HttpRequest, visit: Visit) -> HttpResponse:
    request.session[TICKET_KEY] = visit.pk
    return redirect("kiosk:ticket")


@device_page(Device.Kind.KIOSK)
@limit_rate(CHECK_INS_PER_DEVICE, key=lambda request: str(request.device.pk))  # type: ignore[attr-defined]
@require_http_methods(["GET", "POST"])
def start(request: HttpRequest) -> HttpResponse:
    location: Location = request.device.location  # type: ignore[attr-defined]
    refusal: CheckInRefused | None = None
    # "both": the code and the mobile number together, asked for after a
    # code alone was refused; only then may the kiosk say more (another day
    # or place) about the booking.
    how = request.POST.get("how") if request.POST.get("how") in ("phone", "both") else "code"
    code = request.POST.get("code", "")[:FIELD_MAX].strip() if how != "phone" else ""
    phone = request.POST.get("phone", "")[:FIELD_MAX].strip() if how != "code" else ""
    entered = code or phone
    if request.method == "POST":
        try:
            visit = check_in_booking(location=location, code=code, phone=phone)
        except CheckInRefused as error:
            refusal = error
        else:
            return _show_ticket(request, visit)
    late = refusal is not None and refusal.code == "too_late"
    request.session.pop(LATE_KEY, None)
    hours = _opening(location)
    if late and refusal is not None and refusal.booking is not None:
        request.session[LATE_KEY] = [refusal.booking.pk, clock.now().timestamp()]
    return render(
        request,
        "kiosk/start.html",
        {
            "location": location,
            "refusal": refusal,
            "how": how,
            "entered": entered if refusal is not None and refusal.code != "too_late" else "",
            # A code alone was refused: offer to try it with the mobile number.
            "ask_for_phone_with": code
            if refusal is not None and refusal.code == "not_here_today" and how == "code"
            else "",
            "late_booking": refusal.booking if refusal is not None and late else None,
            # Closed: no tickets offered, and it says so on the first screen.
            "walk_ins": hours.open_now
            and walk_in_services_offered(location=location, day=clock.today()).exists(),
            "closed_notice": hours.notice,
            # Booked citizens who come early on a day it opens may check in.
            "check_in": hours.open_now or hours.opens_today,
        },
    )


@dataclass(frozen=True)
class _Opening:
    open_now: bool
    opens_today: bool
    notice: str


def _opening(location: Location) -> _Opening:
    """Whether the place is open now, whether it opens later today, and
    what a closed kiosk says (when it opens next)."""
    now = clock.now()
    if is_open_at(location=location, moment=now):
        return _Opening(open_now=True, opens_today=False, notice="")
    opens_at = next_opening(location=location, moment=now)
    today = now.astimezone(clock.LOCAL_ZONE).date()
    return _Opening(
        open_now=False,
        opens_today=opens_at is not None and opens_at.astimezone(clock.LOCAL_ZONE).date() == today,
        notice=closed_text(opens_at=opens_at, language=get_language()),
    )


@device_page(Device.Kind.KIOSK)
@limit_rate(CHECK_INS_PER_DEVICE, key=lambda request: str(request.device.pk))  # type: ignore[attr-defined]
@require_http_methods(["GET", "POST"])
def walk_in(request: HttpRequest) -> HttpResponse:
    location: Location = request.device.location  # type: ignore[attr-defined]
    if not _opening(location).open_now and request.method == "GET":
        return redirect("kiosk:start")  # which says it is closed, and when it opens
    error = ""
    if request.method == "POST":
        late_booking = _late_booking_offered(request, location=location)
        # Chosen among all walk-in errands, not only those still offered: a
        # citizen who chose from a list shown before a manager stopped the
        # queue is told so (issue_walk_in_ticket), not to choose again.
        service = (
            late_booking.service
            if late_booking is not None
            else walk_in_services(location=location)
            .filter(slug=request.POST.get("service", "")[:FIELD_MAX])
            .first()
        )
        if service is not None:
            try:
                visit = issue_walk_in_ticket(
                    location=location, service=service, late_booking=late_booking
                )
            except QueueRefused as refused:
                error = str(refused.message)
            else:
                return _show_ticket(request, visit)
        else:
            error = _("Choose an errand from the list.")
    offered = list(walk_in_services_offered(location=location, day=clock.today()))
    return render(
        request,
        "kiosk/walk_in.html",
        {
            "location": location,
            "services": offered,
            # Every walk-in errand here stopped for the day, not none at all.
            "all_stopped": not offered and walk_in_services(location=location).exists(),
            "error": error,
        },
        status=422 if error else 200,
    )


def _late_booking_offered(request: HttpRequest, *, location: Location) -> Booking | None:
    """The booking whose code the start page has just refused as late, when
    the citizen takes the ticket it offered (once, within a few minutes)."""
    offered = request.session.pop(LATE_KEY, None)
    if request.POST.get("late") != "1" or not isinstance(offered, list) or len(offered) != 2:
        return None
    booking_id, at = offered
    if clock.now().timestamp() - float(at) > LATE_OFFER_SECONDS:
        return None
    return Booking.objects.filter(pk=booking_id, location=location).first()


@device_page(Device.Kind.KIOSK)
@require_http_methods(["GET", "POST"])
def ticket(request: HttpRequest) -> HttpResponse:
    """The ticket, and the offer of a text message when the turn is near
    (for a wait long enough to leave the waiting room)."""
    location: Location = request.device.location  # type: ignore[attr-defined]
    visit = (
        Visit.objects.select_related("service", "booking", "location__municipality")
        .filter(pk=request.session.get(TICKET_KEY, 0), location=location)
        .first()
    )
    if visit is None:
        return redirect("kiosk:start")
    error = ""
    if request.method == "POST":
        try:
            ask_for_turn_soon_message(
                visit=visit,
                phone=request.POST.get("phone", "")[:FIELD_MAX],
                language=get_language() or "da",
            )
        except (InvalidInput, QueueRefused) as refused:
            error = str(refused.message)
        else:
            return redirect("kiosk:ticket")
    wait = tell_expected_wait(visit=visit)
    asked = visit.messages.filter(kind=Message.Kind.TURN_SOON).values_list("recipient", flat=True)
    return render(
        request,
        "kiosk/ticket.html",
        {
            "location": location,
            "visit": visit,
            "wait": wait,
            # Only the last digits: the next citizen may read the screen.
            "texting_to": next(iter(asked), "")[-4:],
            "offer_text": visit.status == Visit.Status.WAITING
            and (wait is None or wait > TURN_SOON_MINUTES),
            "turn_soon_minutes": TURN_SOON_MINUTES,
            "error": error,
        },
        status=422 if error else 200,
    )
