"""Parts of the key figures page that apps above the contact centre add:
the written inquiries' figures (inquiries/key_figures.py) stand above the
contact log they are logged in, so the page cannot import them. Each such
app declares its part in a module named `key_figures.py`, discovered when
Django starts (ContactConfig.ready), as the admin discovers `admin.py`."""

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from skranke.core.models import Municipality
from skranke.core.periods import Period


@dataclass(frozen=True)
class KpiSection:
    template: str  # included on the page with `figures`
    # The figures of the municipality for the period (called with keywords).
    figures: Callable[..., Mapping[str, Any]]
    order: int = 0


_SECTIONS: list[KpiSection] = []


def register_kpi_section(section: KpiSection) -> None:
    _SECTIONS.append(section)
    _SECTIONS.sort(key=lambda each: each.order)


def read_kpi_sections(
    *, municipality: Municipality, period: Period
) -> list[tuple[str, Mapping[str, Any]]]:
    """Each declared part's template and figures, in their order."""
    return [
        (section.template, section.figures(municipality=municipality, period=period))
        for section in _SECTIONS
    ]
