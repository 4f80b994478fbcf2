"""A citizen who lost the link to their booking gets it again: the booking
code and the mobile number, and a text message with the link goes to that
number. The page answers the same whether or not they match, so it tells a
stranger nothing; only the phone's owner gets the link."""

from django import forms
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods

from skranke.booking.messages import queue_link_again
from skranke.booking.search import find_own_booking


class FindBookingForm(forms.Form):
    code = forms.CharField(
        label=_("Booking code"),
        max_length=8,
        help_text=_("Six letters and digits, from your confirmation."),
        widget=forms.TextInput(attrs={"class": "form-input", "autocomplete": "off"}),
    )
    phone = forms.CharField(
        label=_("Mobile number"),
        max_length=30,
        help_text=_("The number you booked with."),
        widget=forms.TextInput(
            attrs={"class": "form-input", "autocomplete": "tel", "inputmode": "tel"}
        ),
    )


def find_booking_page(
    request: HttpRequest, *, form: FindBookingForm, status: int = 200, no_access: bool = False
) -> HttpResponse:
    return render(
        request,
        "booking/find_booking.html",
        {"form": form, "no_access": no_access},
        status=status,
    )


@require_http_methods(["GET", "POST"])
def find_booking(request: HttpRequest) -> HttpResponse:
    form = FindBookingForm(request.POST or None)
    if request.method != "POST" or not form.is_valid():
        return find_booking_page(request, form=form, status=422 if form.errors else 200)
    booking = find_own_booking(code=form.cleaned_data["code"], phone=form.cleaned_data["phone"])
    if booking is not None:
        with transaction.atomic():
            queue_link_again(booking=booking)
    return render(request, "booking/find_booking_sent.html")
