"""The statistics and the annual report in the staff pages' header."""

from functools import partial

from django.utils.translation import gettext_lazy as _

from skranke.accounts.permissions import role_allows
from skranke.accounts.staff_navigation import INSIGHT, StaffPage, register_staff_pages

may_view_statistics = partial(role_allows, action="view_statistics")

register_staff_pages(
    StaffPage(
        label=_("Statistics"),
        url_name="stats:overview",
        may_open=may_view_statistics,
        group=INSIGHT,
        order=10,
    ),
    StaffPage(
        label=_("Annual report"),
        url_name="stats:report_latest",
        may_open=may_view_statistics,
        group=INSIGHT,
        # The counting week the report asks for.
        also_for=("stats:counting_week",),
        order=20,
    ),
)
