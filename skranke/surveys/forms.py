"""The survey's questions, as in the 2019 surveys of mandatory booking, in
plain words. Every question may be skipped."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from skranke.core.free_text import validate_free_text
from skranke.surveys.answering import COMMENT_MAX, Answers
from skranke.surveys.models import Answer

SATISFACTION = [
    ("5", _("Very satisfied")),
    ("4", _("Satisfied")),
    ("3", _("Neither")),
    ("2", _("Dissatisfied")),
    ("1", _("Very dissatisfied")),
]
YES_NO = [(Answer.YesNo.YES, _("Yes")), (Answer.YesNo.NO, _("No"))]
YES_NO_DONT_KNOW = list(Answer.YesNo.choices)


class SurveyForm(forms.Form):
    satisfaction = forms.ChoiceField(
        label=_("How satisfied are you with booking a time?"),
        choices=SATISFACTION,
        required=False,
        widget=forms.RadioSelect,
    )
    on_time = forms.ChoiceField(
        label=_("Were you served at your time or earlier?"),
        choices=YES_NO_DONT_KNOW,
        required=False,
        widget=forms.RadioSelect,
    )
    easy_to_find = forms.ChoiceField(
        label=_("Was it easy to find a time that suited you?"),
        choices=YES_NO_DONT_KNOW,
        required=False,
        widget=forms.RadioSelect,
    )
    booked_via = forms.ChoiceField(
        label=_("How did you book?"),
        choices=Answer.BookedVia.choices,
        required=False,
        widget=forms.RadioSelect,
    )
    knew_required = forms.ChoiceField(
        label=_("Did you know that you had to book a time?"),
        choices=YES_NO,
        required=False,
        widget=forms.RadioSelect,
    )
    comment = forms.CharField(
        label=_("Anything else you would like to tell us? (optional)"),
        help_text=_(
            "Please do not write your CPR number, your name, details about your health or"
            " other personal details: your answers are anonymous."
        ),
        required=False,
        max_length=COMMENT_MAX,
        validators=[validate_free_text],
        widget=forms.Textarea(attrs={"rows": 4, "class": "form-input"}),
    )

    def answers(self) -> Answers:
        data: dict[str, Any] = self.cleaned_data
        return Answers(
            satisfaction=int(data["satisfaction"]) if data.get("satisfaction") else None,
            on_time=data.get("on_time", ""),
            easy_to_find=data.get("easy_to_find", ""),
            booked_via=data.get("booked_via", ""),
            knew_required=data.get("knew_required", ""),
            comment=data.get("comment", "").strip(),
        )
