"""The waiting-room display: the latest calls (ticket → desk), the number
waiting and the expected wait. The page polls status/ every second with the
last ETag; while nothing changed the answer is an empty 304 after three
primary-key lookups (the session, the device, the queue's version)."""

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from skranke.accounts.devices import device_page, renew_device_session, signed_in_device
from skranke.accounts.models import Device
from skranke.core.models import Location
from skranke.queueing.waiting_room import board_as_json, board_etag, board_json_for, read_board

POLL_MILLISECONDS = 1000


@device_page(Device.Kind.DISPLAY)
@require_GET
def screen(request: HttpRequest) -> HttpResponse:
    location: Location = request.device.location  # type: ignore[attr-defined]
    board = read_board(location=location)
    return render(
        request,
        "display/screen.html",
        {
            "location": location,
            "board": board,
            "closed": board_as_json(board)["closed_text"] or {},
            "poll": POLL_MILLISECONDS,
        },
    )


@require_GET
def status(request: HttpRequest) -> HttpResponse:
    device = signed_in_device(request=request, kind=Device.Kind.DISPLAY)
    if device is None:
        # The page reloads and lands on the sign-in page.
        return JsonResponse({"error": "signed_out"}, status=401)
    # A screen may show one page for months: its polling keeps it signed in.
    renew_device_session(request=request)
    location = device.location
    etag = board_etag(location=location)
    if request.headers.get("If-None-Match") == etag:
        response = HttpResponse(status=304)
    else:
        response = JsonResponse(board_json_for(location=location, etag=etag))
    response["ETag"] = etag
    response["Cache-Control"] = "no-cache"
    return response
