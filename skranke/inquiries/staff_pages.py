"""The written inquiries' worklist in the staff pages' header."""

from django.utils.translation import gettext_lazy as _

from skranke.accounts.permissions import may_answer_inquiries
from skranke.accounts.staff_navigation import CONTACT_CENTRE, StaffPage, register_staff_pages

register_staff_pages(
    StaffPage(
        label=_("E-mails and text messages"),
        url_name="inquiries:worklist",
        may_open=may_answer_inquiries,
        group=CONTACT_CENTRE,
        order=15,
    ),
)
