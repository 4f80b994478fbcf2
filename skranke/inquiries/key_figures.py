"""The written inquiries on the contact centre's key figures page
(contact_centre/kpi_sections.py discovers this module): e-mails and text
messages received, answered within the target, the time to answer, and
settled at first contact, for the page's period."""

from collections.abc import Mapping
from typing import Any

from skranke.contact_centre.kpi_sections import KpiSection, register_kpi_section
from skranke.core.models import Municipality
from skranke.core.periods import Period
from skranke.inquiries.figures import count_written_inquiries
from skranke.inquiries.worklist import answer_days


def written_figures(*, municipality: Municipality, period: Period) -> Mapping[str, Any]:
    return {
        "written": count_written_inquiries(
            municipality=municipality, starts=period.starts, ends=period.ends
        ),
        "answer_days": answer_days(municipality=municipality.pk),
    }


register_kpi_section(
    KpiSection(template="inquiries/key_figures.html", figures=written_figures, order=10)
)
