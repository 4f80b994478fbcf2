"""The data-protection pages in the staff pages' header."""

from django.utils.translation import gettext_lazy as _

from skranke.access_log.reading import may_read_access_log
from skranke.accounts.staff_navigation import DATA_PROTECTION, StaffPage, register_staff_pages
from skranke.privacy.access_request import may_see_citizen_data

register_staff_pages(
    StaffPage(
        label=_("Staff access log (data protection)"),
        url_name="access_log:log",
        may_open=may_read_access_log,
        group=DATA_PROTECTION,
        order=10,
    ),
    StaffPage(
        label=_("A citizen's data: access and erasure"),
        url_name="privacy:access_request",
        may_open=may_see_citizen_data,
        group=DATA_PROTECTION,
        order=20,
    ),
)
