"""The wallboard: the overview of the day for a TV in the back office,
signed in with a device token of its own kind (as the waiting-room
display is), for its place only. Read from across the room at 1920 × 1080;
counts only, no names of citizens or staff. It asks for itself again
every few seconds, as the overview page does, and is answered from the
snapshot all the place's wallboards share (snapshots.py)."""

from datetime import timedelta

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils import translation
from django.views.decorators.http import require_GET

from skranke.accounts.devices import device_page, renew_device_session, signed_in_device
from skranke.accounts.models import Device
from skranke.core import clock
from skranke.core.models import Location
from skranke.overview.contact_centre_now import (
    contact_centre_version,
    read_contact_centre_now,
    read_phones_waiting,
)
from skranke.overview.now import DeskStatus, read_location_now
from skranke.overview.snapshots import Snapshot, read_snapshot, snapshot_key
from skranke.overview.version import overview_version

POLL_SECONDS = 5


@device_page(Device.Kind.WALLBOARD)
@require_GET
def board(request: HttpRequest) -> HttpResponse:
    location: Location = request.device.location  # type: ignore[attr-defined]
    return render(
        request,
        "overview/wallboard.html",
        {"location": location, "live": _snapshot(location, opened=True).read_html()},
    )


@require_GET
def board_live(request: HttpRequest) -> HttpResponse:
    device = signed_in_device(request=request, kind=Device.Kind.WALLBOARD)
    if device is None:
        # htmx leaves the board as it is; its next full load signs in again.
        return HttpResponse(status=401)
    renew_device_session(request=request)
    snapshot = _snapshot(device.location, opened=False)
    if request.GET.get("version") == snapshot.version:
        return HttpResponse(status=204)
    return HttpResponse(snapshot.read_html())


def _snapshot(location: Location, *, opened: bool) -> Snapshot:
    language = translation.get_language()

    def read_version() -> str:
        """The overview's version, and the telephones': telephony that
        sends each call as it ends (the calls API), or its events as they
        happen, moves their figures."""
        base = overview_version(locations=[location], with_system=False, language=language)
        phones = contact_centre_version(
            municipality_id=location.municipality_id, today=clock.today()
        )
        return f"{base}-{phones}"

    def render(version: str) -> str:
        now = read_location_now(location=location)
        return render_to_string(
            "overview/wallboard_live.html",
            {
                "version": version,
                "poll": POLL_SECONDS,
                "at": clock.now(),
                "place": now,
                "serving": sum(desk.status == DeskStatus.SERVING for desk in now.desks),
                "idle": sum(desk.status == DeskStatus.IDLE for desk in now.desks),
                "contact_centre": read_contact_centre_now(
                    municipality=location.municipality, today=clock.today()
                ),
                "phones_waiting": read_phones_waiting(
                    municipality=location.municipality, now=clock.now()
                ),
            },
        )

    key = snapshot_key("wallboard", location.pk, language)
    return read_snapshot(
        key=key,
        # A page opened shows this instant; its polls share the snapshot.
        fresh_for=timedelta(0) if opened else timedelta(seconds=POLL_SECONDS),
        read_version=read_version,
        render=render,
    )
