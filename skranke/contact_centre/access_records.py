"""What the access log notes of a logged contact (access_log/recording.py)."""

from skranke.access_log.recording import Action, record_access
from skranke.contact_centre.models import Contact


def record_contact(*, actor: object, contact: Contact) -> int:
    """A contact was logged: noted when it holds something of the citizen
    (a note, or the booking it was about); a bare count is not personal."""
    if not contact.note and contact.booking_id is None:
        return 0
    return record_access(actor=actor, action=Action.LOGGED_CONTACT, contact=contact)
