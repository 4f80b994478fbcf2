"""The administration (the centre's set-up) in the staff pages' header."""

from django.utils.translation import gettext_lazy as _

from skranke.accounts.permissions import may_use_admin
from skranke.accounts.staff_navigation import SET_UP, StaffPage, register_staff_pages

register_staff_pages(
    StaffPage(
        label=_("Set up the centre (administration)"),
        url_name="admin:index",
        may_open=may_use_admin,
        group=SET_UP,
        order=10,
    ),
)
