"""Booking's staff pages in the header: the day's bookings, booking for a
citizen, and finding a booking."""

from functools import partial

from django.utils.translation import gettext_lazy as _

from skranke.accounts.permissions import role_allows
from skranke.accounts.staff_navigation import AT_THE_COUNTER, StaffPage, register_staff_pages

may_book = partial(role_allows, action="book_for_citizens")

register_staff_pages(
    StaffPage(
        label=_("The day's bookings"),
        url_name="booking:staff_day",
        may_open=may_book,
        group=AT_THE_COUNTER,
        order=20,
    ),
    StaffPage(
        label=_("Book for a citizen"),
        url_name="booking:staff_find_times",
        may_open=may_book,
        group=AT_THE_COUNTER,
        order=30,
    ),
    StaffPage(
        label=_("Find a booking"),
        url_name="booking:staff_search",
        may_open=may_book,
        group=AT_THE_COUNTER,
        # A booking is opened from the search.
        also_for=("booking:staff_booking", "booking:staff_cancel"),
        order=40,
    ),
)
