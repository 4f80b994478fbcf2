"""The citizen's details form. The domain's clean_citizen_details decides
what is valid; the form only carries the fields to it and back."""

from typing import Any

from django import forms
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from skranke.booking.details import NAME_MAX, NOTE_MAX, CitizenDetails, clean_citizen_details
from skranke.booking.errors import InvalidBooking
from skranke.booking.models import Booking


class DetailsForm(forms.Form):
    name = forms.CharField(
        label=_("Full name"),
        max_length=NAME_MAX,
        widget=forms.TextInput(attrs={"autocomplete": "name", "class": "form-input"}),
    )
    phone = forms.CharField(
        label=_("Mobile number"),
        max_length=30,
        help_text=_("We send the confirmation and a reminder here."),
        widget=forms.TextInput(
            attrs={"autocomplete": "tel", "inputmode": "tel", "class": "form-input"}
        ),
    )
    email = forms.CharField(
        label=_("E-mail (optional)"),
        required=False,
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email", "class": "form-input"}),
    )
    sms_consent = forms.BooleanField(
        label=_("Yes, send me the confirmation and a reminder by text message"),
        required=False,
        initial=True,
    )
    note = forms.CharField(
        label=_("What would you like to talk about?"),
        help_text=_("A few words, so that the right person calls you. At most 500 characters."),
        required=False,
        max_length=NOTE_MAX,
        widget=forms.Textarea(attrs={"rows": 4, "class": "form-input"}),
    )

    def __init__(self, *args: Any, phone_meeting: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not phone_meeting:
            del self.fields["note"]
        else:
            self.fields["note"].required = True

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if self.errors:
            return data
        try:
            self.details = clean_citizen_details(
                name=data.get("name", ""),
                phone=data.get("phone", ""),
                email=data.get("email", ""),
                language=get_language() or "da",
                sms_consent=bool(data.get("sms_consent")),
                note=data.get("note", ""),
            )
        except InvalidBooking as error:
            self.add_error(error.field or None, str(error.message))
        return data

    details: CitizenDetails


class StaffBookingForm(DetailsForm):
    """The same details, taken down by staff, who also say how the citizen
    reached us."""

    channel = forms.ChoiceField(
        label=_("The citizen contacted us by"),
        choices=[(Booking.Channel.PHONE, _("Phone")), (Booking.Channel.COUNTER, _("Counter"))],
        initial=Booking.Channel.PHONE,
        widget=forms.RadioSelect,
    )
