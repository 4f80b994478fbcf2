"""The overview in the staff pages' header: a manager's home, first."""

from functools import partial

from django.utils.translation import gettext_lazy as _

from skranke.accounts.permissions import role_allows
from skranke.accounts.staff_navigation import StaffPage, register_staff_pages

register_staff_pages(
    StaffPage(
        label=_("Overview of the day"),
        url_name="overview:page",
        may_open=partial(role_allows, action="watch_the_day"),
    ),
)
