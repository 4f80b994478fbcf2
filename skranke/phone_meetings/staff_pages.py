"""The telephone meetings' worklist in the staff pages' header."""

from django.utils.translation import gettext_lazy as _

from skranke.accounts.permissions import may_watch_phone_meetings
from skranke.accounts.staff_navigation import CONTACT_CENTRE, StaffPage, register_staff_pages

register_staff_pages(
    StaffPage(
        label=_("Telephone meetings today"),
        url_name="phone_meetings:worklist",
        may_open=may_watch_phone_meetings,
        group=CONTACT_CENTRE,
        order=20,
    ),
)
