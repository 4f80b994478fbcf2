"""A booking as an RFC 5545 calendar file (.ics), for "add to calendar".

The UID stays the same for the life of the booking and SEQUENCE counts its
changes, so a calendar that imported it replaces the old event when the
booking is moved, and removes it when the booking is cancelled.

A link to the file carries a calendar key, not the booking's token: such a
link ends up in calendar programs' subscriptions and in proxies' logs, and
the key there reads this file and nothing else.
"""

import secrets
from datetime import date

from django.core import signing
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import override
from icalendar import Calendar, Event
from icalendar.enums import STATUS

from skranke.booking.models import Booking
from skranke.core import clock

PRODUCT_ID = "-//Skranke//Borgerservice//DA"
CALENDAR_KEY_SALT = "skranke.booking.calendar_file"


def calendar_key(*, booking: Booking) -> str:
    """The key that reads `booking`'s calendar file: signed with the site's
    secret (its own salt), so it cannot be made without it nor turned back
    into the token, and derived from the code and token, so it needs no
    database field and stops working if the token ever changes."""
    signer = signing.Signer(salt=CALENDAR_KEY_SALT, algorithm="sha256")
    return signer.signature(f"{booking.code}:{booking.token}")


def is_calendar_key(*, booking: Booking, key: str) -> bool:
    """A constant-time check of a key from a link, whatever it contains."""
    return secrets.compare_digest(calendar_key(booking=booking).encode(), key.encode())


def booking_calendar(*, booking: Booking, manage_url: str) -> bytes:
    cancelled = booking.status == Booking.Status.CANCELLED
    calendar = Calendar()
    calendar.add("prodid", PRODUCT_ID)
    calendar.add("version", "2.0")
    calendar.add("method", "CANCEL" if cancelled else "PUBLISH")
    with override(booking.language):
        # A sensitive errand is not named: calendars are often shared.
        summary = f"{capfirst(booking.service.name_in_messages)} – {booking.location.name}"
        description = "\n".join(
            line
            for line in [
                _("Booking code: %(code)s") % {"code": booking.code},
                booking.service.what_to_bring
                and _("Bring: %(what)s") % {"what": booking.service.what_to_bring},
                _("Change or cancel: %(url)s") % {"url": manage_url},
            ]
            if line
        )
    start = booking.start.astimezone(clock.LOCAL_ZONE)
    calendar.add_component(
        Event.new(
            uid=f"{booking.code}@skranke",
            summary=summary,
            location=booking.location.address,
            description=description,
            start=start,
            end=booking.end.astimezone(clock.LOCAL_ZONE),
            stamp=clock.now(),
            sequence=booking.sequence,
            status=STATUS.CANCELLED if cancelled else STATUS.CONFIRMED,
        )
    )
    # A VTIMEZONE covering the years around the booking keeps the file small.
    calendar.add_missing_timezones(
        first_date=date(start.year - 1, 1, 1), last_date=date(start.year + 2, 1, 1)
    )
    return calendar.to_ical()
