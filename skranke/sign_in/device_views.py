"""Signing a kiosk or display in with its device token (made in the admin)."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from skranke.accounts.devices import find_device, sign_in_device
from skranke.accounts.models import Device
from skranke.rate_limits.limits import DEVICE_SIGN_INS_PER_ADDRESS, network_of_caller
from skranke.rate_limits.responses import limit_rate

START_PAGES: dict[str, str] = {
    Device.Kind.KIOSK: "kiosk:start",
    Device.Kind.DISPLAY: "display:screen",
    Device.Kind.SURVEY_TERMINAL: "surveys:terminal",
    Device.Kind.WALLBOARD: "wallboard:board",
}


@limit_rate(DEVICE_SIGN_INS_PER_ADDRESS, key=network_of_caller)
@require_http_methods(["GET", "POST"])
def sign_in(request: HttpRequest) -> HttpResponse:
    error = ""
    if request.method == "POST":
        device = find_device(token=request.POST.get("token", ""))
        if device is not None:
            sign_in_device(request=request, device=device)
            return redirect(START_PAGES[device.kind])
        error = _("This token is unknown or revoked. Make a new one in the administration.")
    return render(
        request,
        "sign_in/device_sign_in.html",
        {"error": error},
        status=400 if error else 200,
    )
