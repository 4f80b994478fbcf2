"""Why an action on an inquiry was refused: a code, a status and a message
for people, as the other apps' errors carry."""

from django.utils.translation import gettext_lazy as _

from skranke.core.errors import DomainError


class InquiryRefused(DomainError):
    """The action cannot be done on the inquiry as it stands."""

    code = "refused"
    status = 422


class InquiryTaken(InquiryRefused):
    """A colleague has taken it: it stays theirs until they let it go."""

    code = "inquiry_taken"
    status = 409

    def __init__(self) -> None:
        super().__init__(_("A colleague has taken this inquiry."))


class InquiryClosed(InquiryRefused):
    """Answered, settled or forwarded already (by a colleague, or a second
    click): nothing changed."""

    code = "inquiry_closed"
    status = 409

    def __init__(self) -> None:
        super().__init__(_("This inquiry is closed already."))
