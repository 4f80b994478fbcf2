"""The messages to citizens in the staff pages' header."""

from functools import partial

from django.utils.translation import gettext_lazy as _

from skranke.accounts.permissions import role_allows
from skranke.accounts.staff_navigation import AT_THE_COUNTER, StaffPage, register_staff_pages

register_staff_pages(
    StaffPage(
        label=_("Messages to citizens"),
        url_name="notifications:overview",
        may_open=partial(role_allows, action="manage_messages"),
        group=AT_THE_COUNTER,
        # Cancelling a day's bookings, with a message to each citizen, is
        # reached from the messages.
        also_for=("booking:staff_cancel_day",),
        order=60,
    ),
)
