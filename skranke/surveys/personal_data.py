"""What the surveys hold about citizens, declared to privacy
(core/personal_data_registry.py), which discovers this module.

An invitation keeps keyed hashes of the citizen's number and address (the
30-day rule) and its link's token; they go with the booking's details,
and the invitation stays for the response rate. An answer is linked to
nobody (models.py), so no request for access finds it; its comment goes
after the comment period, and the answer stays for the results.
"""

import secrets

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from skranke.core.personal_data_registry import (
    CitizenSearch,
    Erasing,
    PersonalData,
    Retention,
    Shown,
    any_filled,
    exported_moment,
    register_personal_data,
)
from skranke.surveys.models import Answer, Invitation

# What an erased comment reads: not empty, so that the results still
# count the answer as one with a comment.
ERASED_COMMENT = "[erased]"
# An erased invitation's token: unique (the column is) and unguessable,
# and recognisably erased so that it is not erased again.
ERASED_TOKEN_PREFIX = "erased-"  # noqa: S105 - a marker, not a secret


def erased_token(_invitation: Invitation) -> str:
    return ERASED_TOKEN_PREFIX + secrets.token_urlsafe(24)


def find_invitations(search: CitizenSearch) -> list[Invitation]:
    """The invitations of the citizen's bookings."""
    return list(
        Invitation.objects.filter(booking_id__in=search.booking_ids).select_related("booking")
    )


def invitation_as_json(invitation: Invitation) -> dict[str, object]:
    return {
        "booking_code": invitation.booking.code,
        "sent": invitation.sent,
        "created_at": exported_moment(invitation.created_at),
        "answered_at": exported_moment(invitation.answered_at),
    }


def _invitations_to_erase(erasing: Erasing) -> list[int]:
    return [invitation.pk for invitation in erasing.rows if erasing.may_go(invitation.booking_id)]


register_personal_data(
    PersonalData(
        kind="survey_invitations",
        label=_("survey invitations"),
        model=Invitation,
        order=70,
        erased={"recipient_key": "", "email_key": "", "token": erased_token},
        retention=Retention(
            setting="booking_days",
            moment="booking__start",
            municipality=("booking__location__municipality_id",),
            still_there=any_filled("recipient_key", "email_key")
            | ~Q(token__startswith=ERASED_TOKEN_PREFIX),
        ),
        shown=Shown(
            key="survey_invitations",
            template="surveys/citizen_data.html",
            find=find_invitations,
            as_json=invitation_as_json,
        ),
        on_request=_invitations_to_erase,
    ),
    PersonalData(
        kind="survey_comments",
        label=_("survey comments"),
        model=Answer,
        order=80,
        erased={"comment": ERASED_COMMENT},
        retention=Retention(
            setting="survey_comment_days",
            moment="answered_at",
            municipality=("location__municipality_id",),
            still_there=~Q(comment="") & ~Q(comment=ERASED_COMMENT),
        ),
    ),
)
