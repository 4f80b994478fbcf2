"""The desk in the staff pages' header."""

from functools import partial

from django.utils.translation import gettext_lazy as _

from skranke.accounts.permissions import role_allows
from skranke.accounts.staff_navigation import AT_THE_COUNTER, StaffPage, register_staff_pages

register_staff_pages(
    StaffPage(
        label=_("Serve citizens at a desk"),
        url_name="desk:choose",
        may_open=partial(role_allows, action="serve_at_desk"),
        group=AT_THE_COUNTER,
        order=10,
    ),
)
