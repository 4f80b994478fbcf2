"""Why an action on a telephone meeting was refused. Like booking and
queue errors they carry a code, a status and a message for people, so a
page (or, later, the API) can answer them the same way."""

from django.utils.translation import gettext_lazy as _

from skranke.core.errors import DomainError


class MeetingRefused(DomainError):
    """The action cannot be done on the meeting as it stands."""

    code = "refused"
    status = 422


class MeetingNotChanged(MeetingRefused):
    """The action was done already (a second click): nothing changed."""

    code = "already_done"
    status = 409


class CallTaken(MeetingRefused):
    """A colleague has the call: it stays theirs."""

    code = "call_taken"
    status = 409

    def __init__(self) -> None:
        super().__init__(_("Another colleague has taken this call."))
