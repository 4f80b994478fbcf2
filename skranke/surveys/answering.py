"""Answering a survey: by the link (once, within seven days) or by a tap on
the terminal by the exit. An answer keeps the place, the service and the
answers; never who gave them."""

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from skranke.core import clock
from skranke.core.free_text import validate_free_text
from skranke.core.models import Location
from skranke.surveys.models import Answer, Invitation

COMMENT_MAX = 1000
# The terminal's four smileys on the five-step scale: no middle.
SMILEYS = {1: 1, 2: 2, 3: 4, 4: 5}


class SurveyRefused(Exception):
    def __init__(self, message: object, *, field: str = "") -> None:
        super().__init__(str(message))
        self.message, self.field = message, field


class SurveyClosed(SurveyRefused):
    """Expired or already answered."""


@dataclass(frozen=True)
class Answers:
    satisfaction: int | None = None
    on_time: str = ""
    easy_to_find: str = ""
    booked_via: str = ""
    knew_required: str = ""
    comment: str = ""

    @property
    def empty(self) -> bool:
        return self.satisfaction is None and not any(
            (self.on_time, self.easy_to_find, self.booked_via, self.knew_required, self.comment)
        )


def open_invitation(*, token: str) -> Invitation | None:
    """The invitation of a link's token, however it stands (None: unknown)."""
    if not token or len(token) > 64:
        return None
    return Invitation.objects.select_related("booking").filter(token=token).first()


def check_open(*, invitation: Invitation) -> None:
    if invitation.answered_at is not None:
        raise SurveyClosed(_("You have already answered this survey. Thank you."))
    if invitation.expires_at <= clock.now():
        raise SurveyClosed(_("This survey has closed: its link worked for seven days."))


def answer_survey(*, invitation: Invitation, answers: Answers) -> Answer:
    """Record the answers of the invitation's citizen, once."""
    check_open(invitation=invitation)
    _check(answers)
    booking = invitation.booking
    now = clock.now()
    with transaction.atomic():
        # The link answers once, however often the form is sent.
        taken = Invitation.objects.filter(
            pk=invitation.pk, answered_at__isnull=True, expires_at__gt=now
        ).update(answered_at=now)
        if not taken:
            raise SurveyClosed(_("You have already answered this survey. Thank you."))
        return Answer.objects.create(
            location_id=booking.location_id,
            service_id=booking.service_id,
            source=Answer.Source.LINK,
            answered_at=now,
            satisfaction=answers.satisfaction,
            on_time=answers.on_time,
            easy_to_find=answers.easy_to_find,
            booked_via=answers.booked_via,
            knew_required=answers.knew_required,
            comment=answers.comment,
        )


def answer_at_terminal(*, location: Location, smiley: int) -> Answer:
    """One tap on the terminal: 1 (very dissatisfied) to 4 (very satisfied)."""
    if smiley not in SMILEYS:
        raise SurveyRefused(_("Choose one of the faces."), field="smiley")
    return Answer.objects.create(
        location=location,
        source=Answer.Source.TERMINAL,
        answered_at=clock.now(),
        satisfaction=SMILEYS[smiley],
    )


def _check(answers: Answers) -> None:
    if answers.empty:
        raise SurveyRefused(_("Answer at least one question."))
    if len(answers.comment) > COMMENT_MAX:
        raise SurveyRefused(
            _("Use at most %(limit)d characters.") % {"limit": COMMENT_MAX}, field="comment"
        )
    try:
        validate_free_text(answers.comment)
    except ValidationError as refused:
        raise SurveyRefused(refused.messages[0], field="comment") from refused
