"""Arrival and queue over the API: kiosks check in and take tickets,
displays read the board (both with their device token as a bearer token),
and staff act at their desk (signed in, with the CSRF token)."""

from datetime import datetime
from typing import Literal

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema
from ninja.responses import Status
from ninja.security import django_auth

from skranke.accounts.devices import bearer_device
from skranke.accounts.models import Device, User
from skranke.accounts.permissions import role_allows
from skranke.accounts.scoping import location_scope, visible_desks
from skranke.accounts.tokens import bearer_token
from skranke.api.errors import ApiError
from skranke.core.models import Desk, Location, Service
from skranke.core.phone_numbers import normalize_phone
from skranke.queueing.access_records import record_visit_outcome
from skranke.queueing.calling import call_next
from skranke.queueing.checkin import check_in_booking, issue_walk_in_ticket
from skranke.queueing.forecast import tell_expected_wait
from skranke.queueing.models import Visit
from skranke.queueing.serving import finish_visit, start_visit
from skranke.queueing.turn_soon import ask_for_turn_soon_message
from skranke.queueing.waiting_room import board_etag, board_json_for
from skranke.rate_limits.limits import CHECK_INS_PER_DEVICE, refuse_unless_allowed, spend

router = Router(tags=["queue"])

SLUG_MAX = 50


class CheckInIn(Schema):
    location: str = Field(max_length=SLUG_MAX)
    code: str = Field(default="", max_length=20)
    phone: str = Field(default="", max_length=30)


class CheckInOut(Schema):
    ticket: str
    expected_wait_minutes: int | None
    message: str


class TicketIn(Schema):
    location: str = Field(max_length=SLUG_MAX)
    service: str = Field(max_length=SLUG_MAX)
    # Optional: a text message to this number when the turn is near.
    phone: str = Field(default="", max_length=30)
    language: Literal["da", "en"] = "da"


class TicketOut(Schema):
    ticket: str
    expected_wait_minutes: int | None


class CallOut(Schema):
    ticket: str
    desk: str
    called_at: datetime


class DisplayOut(Schema):
    called: list[CallOut]
    waiting: int
    expected_wait_minutes: int | None
    # Under five minutes: shown as "under 5 min.", not a number.
    short_wait: bool
    open_now: bool
    # When a closed place opens again (Copenhagen time), if within 3 weeks.
    opens_at: str | None
    # What a display shows while closed, in Danish and English.
    closed_text: dict[str, str] | None


class VisitOut(Schema):
    id: int
    ticket: str
    service: str
    status: str
    outcome: str
    desk: str | None
    called_at: datetime | None
    started_at: datetime | None
    ended_at: datetime | None


class CalledOut(Schema):
    visit: VisitOut | None


class FinishIn(Schema):
    outcome: str = Field(max_length=30)


class TransferIn(Schema):
    service: str = Field(max_length=SLUG_MAX)


def _device_location(request: HttpRequest, slug: str, kinds: tuple[str, ...]) -> Location:
    device = bearer_device(request=request, kinds=kinds)
    if device is None:
        raise ApiError(401, "unauthorized", _("A valid device token is needed."))
    if device.location.slug != slug:
        raise ApiError(403, "forbidden", _("This device belongs to another location."))
    return device.location


def _visit_out(visit: Visit) -> dict[str, object]:
    return {
        "id": visit.pk,
        "ticket": visit.ticket,
        "service": visit.service.slug,
        "status": visit.status,
        "outcome": visit.outcome,
        "desk": visit.desk.name if visit.desk else None,
        "called_at": visit.called_at,
        "started_at": visit.started_at,
        "ended_at": visit.ended_at,
    }


@router.post("/checkins", response={201: CheckInOut}, auth=None, url_name="checkins")
def check_in(request: HttpRequest, payload: CheckInIn) -> Status[dict[str, object]]:
    """Check in a booking by code or mobile number (kiosk device token)."""
    location = _device_location(request, payload.location, (Device.Kind.KIOSK,))
    refuse_unless_allowed(spend(CHECK_INS_PER_DEVICE, value=bearer_token(request=request)))
    if not payload.code and not payload.phone:
        raise ApiError(422, "invalid", _("Give the booking code or the mobile number."))
    visit = check_in_booking(location=location, code=payload.code, phone=payload.phone)
    wait = tell_expected_wait(visit=visit)
    return Status(
        201,
        {
            "ticket": visit.ticket,
            "expected_wait_minutes": wait,
            "message": _("You are checked in. Your number is %(ticket)s: watch the screen.")
            % {"ticket": visit.ticket},
        },
    )


@router.post("/tickets", response={201: TicketOut}, auth=None, url_name="tickets")
def take_ticket(request: HttpRequest, payload: TicketIn) -> Status[dict[str, object]]:
    """A ticket for an errand without a booking (kiosk device token)."""
    location = _device_location(request, payload.location, (Device.Kind.KIOSK,))
    service = get_object_or_404(
        Service, municipality_id=location.municipality_id, slug=payload.service
    )
    if payload.phone:  # checked before the ticket is taken: no ticket without its message
        normalize_phone(payload.phone)
    visit = issue_walk_in_ticket(location=location, service=service)
    if payload.phone:
        ask_for_turn_soon_message(visit=visit, phone=payload.phone, language=payload.language)
    return Status(
        201, {"ticket": visit.ticket, "expected_wait_minutes": tell_expected_wait(visit=visit)}
    )


@router.get("/locations/{slug}/display", response={200: DisplayOut}, auth=None, url_name="display")
def display(
    request: HttpRequest, slug: str, response: HttpResponse
) -> HttpResponse | dict[str, object]:
    """The waiting-room board (display or kiosk device token). Send the last
    ETag as If-None-Match: an unchanged board answers 304 without a body."""
    location = _device_location(request, slug, (Device.Kind.DISPLAY, Device.Kind.KIOSK))
    etag = board_etag(location=location)
    if request.headers.get("If-None-Match") == etag:
        unchanged = HttpResponse(status=304)
        unchanged["ETag"] = etag
        return unchanged
    response["ETag"] = etag
    response["Cache-Control"] = "no-cache"
    return board_json_for(location=location, etag=etag)


def _staff_desk(request: HttpRequest, desk_id: int) -> tuple[User, Desk]:
    user = request.user
    if not isinstance(user, User) or not role_allows(user=user, action="serve_at_desk"):
        raise ApiError(403, "forbidden", _("Your role does not serve at a desk."))
    return user, get_object_or_404(visible_desks(user=user), pk=desk_id)


def _staff_visit(request: HttpRequest, visit_id: int) -> tuple[Visit, Desk]:
    """The visit, looked for only where the staff member works: a visit
    elsewhere is 404 before its state is looked at, so a 409 cannot tell
    that it exists, nor how far it has come."""
    user = request.user
    if not isinstance(user, User) or not role_allows(user=user, action="serve_at_desk"):
        raise ApiError(403, "forbidden", _("Your role does not serve at a desk."))
    in_scope = Visit.objects.filter(location_scope(user=user, path="location"))
    visit = get_object_or_404(in_scope.select_related("service", "desk"), pk=visit_id)
    if visit.desk_id is None:
        raise ApiError(409, "not_called", _("This citizen has not been called to a desk."))
    _user, desk = _staff_desk(request, visit.desk_id)
    return visit, desk


def _reread(visit_id: int) -> dict[str, object]:
    return _visit_out(Visit.objects.select_related("service", "desk").get(pk=visit_id))


@router.post(
    "/desks/{desk_id}/call-next", response=CalledOut, auth=django_auth, url_name="call_next"
)
def call_next_citizen(request: HttpRequest, desk_id: int) -> dict[str, object]:
    """Call the next citizen to the desk; `visit` is null when nobody waits.
    Pressing again returns the citizen already called."""
    user, desk = _staff_desk(request, desk_id)
    called = call_next(desk=desk, staff=user)
    return {"visit": _reread(called.pk) if called else None}


@router.post("/visits/{visit_id}/start", response=VisitOut, auth=django_auth, url_name="start")
def start(request: HttpRequest, visit_id: int) -> dict[str, object]:
    visit, desk = _staff_visit(request, visit_id)
    return _reread(start_visit(visit_id=visit.pk, desk=desk).pk)


@router.post("/visits/{visit_id}/finish", response=VisitOut, auth=django_auth, url_name="finish")
def finish(request: HttpRequest, visit_id: int, payload: FinishIn) -> dict[str, object]:
    """End with an outcome: served, assisted_self_service or no_show (use
    transfer for a transfer)."""
    if payload.outcome == Visit.Outcome.TRANSFERRED:
        raise ApiError(422, "invalid", _("Use the transfer action to transfer a citizen."))
    visit, desk = _staff_visit(request, visit_id)
    ended = finish_visit(visit_id=visit.pk, desk=desk, outcome=payload.outcome)
    record_visit_outcome(actor=request.user, visit=ended, outcome=payload.outcome, desk=desk)
    return _reread(ended.pk)


@router.post("/visits/{visit_id}/no-show", response=VisitOut, auth=django_auth, url_name="no_show")
def no_show(request: HttpRequest, visit_id: int) -> dict[str, object]:
    visit, desk = _staff_visit(request, visit_id)
    ended = finish_visit(visit_id=visit.pk, desk=desk, outcome=Visit.Outcome.NO_SHOW)
    record_visit_outcome(actor=request.user, visit=ended, outcome=Visit.Outcome.NO_SHOW, desk=desk)
    return _reread(ended.pk)


@router.post(
    "/visits/{visit_id}/transfer", response=VisitOut, auth=django_auth, url_name="transfer"
)
def transfer(request: HttpRequest, visit_id: int, payload: TransferIn) -> dict[str, object]:
    """End the visit as transferred; the answer is the citizen's new visit,
    waiting for `service` with the same ticket."""
    visit, desk = _staff_visit(request, visit_id)
    service = get_object_or_404(
        Service, municipality_id=desk.location.municipality_id, slug=payload.service
    )
    new = finish_visit(
        visit_id=visit.pk, desk=desk, outcome=Visit.Outcome.TRANSFERRED, transfer_to=service
    )
    return _reread(new.pk)
