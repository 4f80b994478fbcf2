"""After a change to when a location is open or staffed, the admin warns
about the bookings that change strands, and leads the manager to cancel
them with a message to each citizen."""

from collections import Counter
from typing import Any

from django.contrib import messages
from django.http import HttpRequest
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.translation import ngettext

from skranke.booking.availability import find_stranded_bookings
from skranke.core import clock
from skranke.core.dates import format_day
from skranke.core.models import Location


class WarnsAboutStrandedBookings:
    """For the admin pages that change when a location is open or staffed:
    after a save or a delete, bookings the schedule no longer holds are
    counted per day, and the manager is led to cancel them with a message
    to each citizen (the cancel-a-day tool, filled in). Nothing is
    cancelled silently, and nothing is left silently either.

    Mixed into the configuration's admin pages (configuration/admin.py),
    which stand above booking; the core models know nothing of bookings."""

    def locations_of(self, obj: Any) -> list[Location]:
        raise NotImplementedError

    def save_related(self, request: HttpRequest, form: Any, formsets: Any, change: bool) -> None:
        super().save_related(request, form, formsets, change)  # type: ignore[misc]
        self._warn(request, self.locations_of(form.instance))

    def delete_model(self, request: HttpRequest, obj: Any) -> None:
        locations = self.locations_of(obj)
        super().delete_model(request, obj)  # type: ignore[misc]
        self._warn(request, locations)

    def delete_queryset(self, request: HttpRequest, queryset: Any) -> None:
        locations = list(
            {loc.pk: loc for obj in queryset for loc in self.locations_of(obj)}.values()
        )
        super().delete_queryset(request, queryset)  # type: ignore[misc]
        self._warn(request, locations)

    def _warn(self, request: HttpRequest, locations: list[Location]) -> None:
        for location in locations:
            stranded = find_stranded_bookings(location=location, now=clock.now())
            if not stranded:
                continue
            days = Counter(
                booking.start.astimezone(clock.LOCAL_ZONE).date() for booking in stranded
            )
            links = format_html_join(
                ", ",
                '<a href="{}?sted={}&amp;dag={}&amp;kun_uden_plads=1">{} ({})</a>',
                (
                    (
                        reverse("booking:staff_cancel_day"),
                        location.pk,
                        day.isoformat(),
                        format_day(day, "weekday"),
                        count,
                    )
                    for day, count in sorted(days.items())
                ),
            )
            text = ngettext(
                "%(count)d booking at %(place)s is now outside the opening hours or shifts, "
                "and the citizen has not been told. Cancel it with a message:",
                "%(count)d bookings at %(place)s are now outside the opening hours or shifts, "
                "and the citizens have not been told. Cancel them with a message, day by day:",
                len(stranded),
            ) % {"count": len(stranded), "place": location.name}
            messages.warning(request, format_html("{} {}", text, links))
