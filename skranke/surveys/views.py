"""The survey as citizens see it: the page behind the link, and the
terminal's four faces by the exit."""

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from skranke.accounts.devices import device_page
from skranke.accounts.models import Device
from skranke.surveys.answering import (
    SMILEYS,
    SurveyClosed,
    SurveyRefused,
    answer_at_terminal,
    answer_survey,
    check_open,
    open_invitation,
)
from skranke.surveys.forms import SurveyForm


@require_http_methods(["GET", "POST"])
def answer_page(request: HttpRequest, token: str) -> HttpResponse:
    invitation = open_invitation(token=token)
    if invitation is None:
        raise Http404
    location = invitation.booking.location
    try:
        check_open(invitation=invitation)
    except SurveyClosed as closed:
        return render(
            request, "surveys/closed.html", {"message": closed.message, "location": location}
        )
    form = SurveyForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            answer_survey(invitation=invitation, answers=form.answers())
        except SurveyClosed as closed:
            return render(
                request, "surveys/closed.html", {"message": closed.message, "location": location}
            )
        except SurveyRefused as refused:
            form.add_error(refused.field or None, str(refused.message))
        else:
            return redirect("surveys:thanks")
    return render(
        request,
        "surveys/answer.html",
        {"form": form, "location": location},
        status=422 if form.errors else 200,
    )


@require_GET
def thanks_page(request: HttpRequest) -> HttpResponse:
    return render(request, "surveys/thanks.html")


@device_page(Device.Kind.SURVEY_TERMINAL)
@require_http_methods(["GET", "POST"])
def terminal(request: HttpRequest) -> HttpResponse:
    location = request.device.location  # type: ignore[attr-defined]
    if request.method == "POST":
        try:
            answer_at_terminal(location=location, smiley=int(request.POST.get("smiley", "0")))
        except (SurveyRefused, ValueError):
            return redirect("surveys:terminal")
        return redirect("surveys:terminal_thanks")
    return render(request, "surveys/terminal.html", {"location": location, "faces": SMILEYS})


@device_page(Device.Kind.SURVEY_TERMINAL)
@require_GET
def terminal_thanks(request: HttpRequest) -> HttpResponse:
    location = request.device.location  # type: ignore[attr-defined]
    return render(request, "surveys/terminal_thanks.html", {"location": location})
