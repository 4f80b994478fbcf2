"""Planning in the staff pages' header: its first page, minutes per
service, leads to the others (planning/nav.html)."""

from functools import partial

from django.utils.translation import gettext_lazy as _

from skranke.accounts.permissions import role_allows
from skranke.accounts.staff_navigation import INSIGHT, StaffPage, register_staff_pages

register_staff_pages(
    StaffPage(
        label=_("Planning"),
        url_name="planning:minutes",
        may_open=partial(role_allows, action="plan_staffing"),
        group=INSIGHT,
        order=30,
    ),
)
