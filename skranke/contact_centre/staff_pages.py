"""The contact centre's pages in the staff pages' header."""

from functools import partial

from django.utils.translation import gettext_lazy as _

from skranke.accounts.permissions import may_import_calls, role_allows
from skranke.accounts.staff_navigation import CONTACT_CENTRE, StaffPage, register_staff_pages

register_staff_pages(
    StaffPage(
        label=_("Contact log"),
        url_name="contact:log",
        may_open=partial(role_allows, action="log_contacts"),
        group=CONTACT_CENTRE,
        order=10,
    ),
    StaffPage(
        label=_("Contact centre: key figures"),
        url_name="contact:kpis",
        may_open=partial(role_allows, action="view_contact_kpis"),
        group=CONTACT_CENTRE,
        order=30,
    ),
    StaffPage(
        label=_("Import call records"),
        url_name="contact:import_calls",
        may_open=may_import_calls,
        group=CONTACT_CENTRE,
        order=40,
    ),
)
