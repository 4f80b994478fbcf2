"""What the contact centre holds about citizens, declared to privacy
(core/personal_data_registry.py), which discovers this module.

A contact holds no phone number; only the note an agent may write, which
goes after the contact-note period, and the booking it led to, by which
a request for access finds it. A call from the phone system holds the
agent as the phone system names them; the caller's number is never
imported (call_import.py). Both rows stay for the key figures. A live call
(the phone system's events, call_events.py) holds what its call record
will, and no more, for a day after its last event, when the worker
deletes it: not declared, as it goes long before any retention period.
"""

from collections.abc import Sequence

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from skranke.contact_centre.models import Call, Contact
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


def find_contacts(search: CitizenSearch) -> list[Contact]:
    """The contacts logged about the citizen's bookings, newest first."""
    return list(
        Contact.objects.filter(
            search.in_municipality("municipality"), booking_id__in=search.booking_ids
        )
        .select_related("topic", "booking")
        .order_by("-at", "-pk")
    )


def records_about_contacts(contacts: Sequence[Contact], search: CitizenSearch) -> Q:
    return Q(contact_id__in=[contact.pk for contact in contacts])


def contact_as_json(contact: Contact) -> dict[str, object]:
    return {
        "booking_code": contact.booking.code if contact.booking else "",
        "at": exported_moment(contact.at),
        "channel": contact.channel,
        "topic": contact.topic.name,
        "outcome": contact.outcome,
        "note": contact.note,
    }


def _contacts_to_erase(erasing: Erasing) -> list[int]:
    return [contact.pk for contact in erasing.rows if erasing.may_go(contact.booking_id)]


register_personal_data(
    PersonalData(
        kind="contact_notes",
        label=_("contact notes"),
        model=Contact,
        order=40,
        erased={"note": ""},
        retention=Retention(
            setting="contact_note_days",
            moment="at",
            municipality=("municipality_id",),
            still_there=any_filled("note"),
        ),
        shown=Shown(
            key="contacts",
            template="contact/citizen_data.html",
            find=find_contacts,
            as_json=contact_as_json,
            records_about=records_about_contacts,
        ),
        on_request=_contacts_to_erase,
    ),
    # Not found for a citizen: a call names no caller.
    PersonalData(
        kind="call_records",
        label=_("call records"),
        model=Call,
        order=50,
        erased={"agent": ""},
        retention=Retention(
            setting="call_record_days",
            moment="offered_at",
            municipality=("municipality_id",),
            still_there=any_filled("agent"),
        ),
    ),
)
