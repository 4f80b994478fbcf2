"""Counting the information desk and the cash desk, in the staff pages'
header."""

from functools import partial

from django.utils.translation import gettext_lazy as _

from skranke.accounts.permissions import role_allows
from skranke.accounts.staff_navigation import AT_THE_COUNTER, StaffPage, register_staff_pages

register_staff_pages(
    StaffPage(
        label=_("Count the information desk and cash desk"),
        url_name="tallies:count",
        may_open=partial(role_allows, action="count_tallies"),
        group=AT_THE_COUNTER,
        order=50,
    ),
)
