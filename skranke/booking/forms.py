"""The booking forms. For the citizen's details, the domain's
clean_citizen_details decides what is valid; the form only carries the
fields to it and back."""

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.text import format_lazy
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from skranke.booking.details import NAME_MAX, NOTE_MAX, CitizenDetails, clean_citizen_details
from skranke.booking.message_texts import REASON_MAX
from skranke.booking.models import Booking
from skranke.core import clock
from skranke.core.errors import InvalidInput
from skranke.core.free_text import NOT_TO_WRITE, NOT_TO_WRITE_FOR_STAFF, validate_free_text
from skranke.core.models import Desk, Location


class DetailsForm(forms.Form):
    name = forms.CharField(
        label=_("Full name"),
        max_length=NAME_MAX,
        widget=forms.TextInput(attrs={"autocomplete": "name", "class": "form-input"}),
    )
    phone = forms.CharField(
        label=_("Mobile number"),
        max_length=30,
        # Text messages go to Danish numbers only (SMS_TO_FOREIGN_NUMBERS).
        help_text=_(
            "We send the confirmation and a reminder here. With a number "
            "outside Denmark, give your e-mail as well: we send them there."
        ),
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
    survey_consent = forms.BooleanField(
        label=_("Yes, you may ask me afterwards how it went (one short survey)"),
        required=False,
        initial=False,
    )
    note = forms.CharField(
        label=_("What would you like to talk about?"),
        help_text=format_lazy(
            "{} {}",
            _("A few words, so that the right person calls you. At most 500 characters."),
            NOT_TO_WRITE,
        ),
        required=False,
        max_length=NOTE_MAX,
        validators=[validate_free_text],
        widget=forms.Textarea(attrs={"rows": 4, "class": "form-input"}),
    )

    def __init__(self, *args: Any, phone_meeting: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not phone_meeting:
            del self.fields["note"]
        else:
            self.fields["note"].required = True
            # The number is the meeting: say so where it is typed.
            self.fields["phone"].help_text = _("We call you on this number at the time you choose.")

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
                survey_consent=bool(data.get("survey_consent")),
            )
        except InvalidInput as error:
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

    def __init__(self, *args: Any, phone_meeting: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, phone_meeting=phone_meeting, **kwargs)
        # Staff fill this in for the citizen: the labels speak about them,
        # not in their voice.
        self.fields["name"].label = _("The citizen's full name")
        self.fields["phone"].label = _("The citizen's mobile number")
        self.fields["phone"].help_text = _(
            "Confirmations and reminders go here, if the citizen wants them."
        )
        self.fields["email"].label = _("The citizen's e-mail (optional)")
        self.fields["sms_consent"].label = _(
            "The citizen wants the confirmation and a reminder by text message"
        )
        self.fields["survey_consent"].label = _("The citizen agrees to one short survey afterwards")
        if "note" in self.fields:
            self.fields["note"].label = _("What the citizen would like to talk about")
            self.fields["note"].help_text = format_lazy(
                "{} {}",
                _("A few words, so that the right colleague calls. At most 500 characters."),
                NOT_TO_WRITE_FOR_STAFF,
            )


class CentreCancellationForm(forms.Form):
    """A manager cancels a day's bookings at a place (or at one desk), for an
    unexpected closure, with a few words every citizen is sent."""

    location = forms.ModelChoiceField(
        queryset=Location.objects.none(),
        label=_("Place"),
        widget=forms.Select(attrs={"class": "form-select"}),
    )
    day = forms.DateField(
        label=_("Day"), widget=forms.DateInput(attrs={"type": "date", "class": "form-input"})
    )
    desk = forms.ModelChoiceField(
        queryset=Desk.objects.none(),
        required=False,
        label=_("Only this desk or phone line"),
        empty_label=_("All desks"),
        widget=forms.Select(attrs={"class": "form-select"}),
    )
    stranded_only = forms.BooleanField(
        required=False,
        label=_("Only the bookings the opening hours and shifts no longer hold"),
    )
    # Each citizen is told in the language they booked in, so the reason
    # is asked for in both.
    reason_da = forms.CharField(
        label=_("Why, in Danish (sent to citizens who booked in Danish)"),
        max_length=REASON_MAX,
        validators=[validate_free_text],
        help_text=_("For example: “Rådhuset er lukket på grund af strømsvigt.”"),
        widget=forms.TextInput(attrs={"class": "form-input"}),
    )
    reason_en = forms.CharField(
        label=_("Why, in English (sent to citizens who booked in English)"),
        max_length=REASON_MAX,
        validators=[validate_free_text],
        help_text=_("For example: “The town hall is closed because of a power cut.”"),
        widget=forms.TextInput(attrs={"class": "form-input"}),
    )

    def __init__(self, *args: Any, locations: QuerySet[Location], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["location"].queryset = locations  # type: ignore[attr-defined]
        self.fields["desk"].queryset = Desk.objects.filter(location__in=locations)  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        desk, location = cleaned.get("desk"), cleaned.get("location")
        if desk is not None and location is not None and desk.location_id != location.pk:
            self.add_error("desk", _("This desk is not at the chosen place."))
        day = cleaned.get("day")
        if day is not None and day < clock.today():
            self.add_error("day", _("This day has passed."))
        return cleaned
