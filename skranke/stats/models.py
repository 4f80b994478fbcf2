"""What the statistics cannot count themselves, entered by a manager once a
year: figures from other systems, the totals of the years before Skranke
was used (so a four-year series can be drawn from the first year on), and
the text of each chapter of the annual report. Everything else is computed
from visits, bookings, contacts and calls."""

from decimal import Decimal

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from skranke.core.models import Municipality, localized


class Chapter(models.TextChoices):
    """The chapters of the annual report, as in Hvidovre's 2019 report."""

    OVERALL = "overall", _("Overall figures")
    VISITS = "visits", _("Personal visits")
    BOOKING = "booking", _("Booking")
    TELEPHONE = "telephone", _("Telephone")
    SELF_SERVICE = "self_service", _("Digital self-service")
    KEY_FIGURES = "key_figures", _("Key figures and staff")


class YearFigures(models.Model):
    STAFF_SCOPE = ("municipality", "municipality")

    municipality = models.ForeignKey(
        Municipality, on_delete=models.CASCADE, related_name="+", verbose_name=_("municipality")
    )
    year = models.PositiveSmallIntegerField(
        _("year"), validators=[MinValueValidator(2000), MaxValueValidator(2100)]
    )
    visits = models.PositiveIntegerField(
        _("personal visits (before Skranke)"),
        null=True,
        blank=True,
        help_text=_(
            "Only for a year before Skranke was used: its total, so that the report can "
            "show four years. Leave empty when Skranke counted the year."
        ),
    )
    information_desk = models.PositiveIntegerField(
        _("information-desk contacts (before Skranke)"), null=True, blank=True
    )
    cash_desk = models.PositiveIntegerField(
        _("cash-desk payments (before Skranke)"), null=True, blank=True
    )
    phone_calls = models.PositiveIntegerField(
        _("calls to the switchboard (before Skranke)"), null=True, blank=True
    )
    emails_handled = models.PositiveIntegerField(_("e-mails handled"), null=True, blank=True)
    digital_post_handled = models.PositiveIntegerField(
        _("Digital Post letters handled"), null=True, blank=True
    )
    staff_fte = models.DecimalField(
        _("staff on 1 January (full-time equivalents)"),
        max_digits=6,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal(0))],
    )
    self_service_shares = models.TextField(
        _("digital self-service shares"),
        blank=True,
        help_text=_(
            "One area per line: its name, a colon and the percentage done online, "
            "for example “Flytning: 92”."
        ),
    )

    class Meta:
        verbose_name = _("figures of a year")
        verbose_name_plural = _("figures of the years")
        ordering = ["-year"]
        constraints = [
            models.UniqueConstraint(
                fields=["municipality", "year"], name="one_year_figures_per_municipality"
            )
        ]

    def __str__(self) -> str:
        return str(self.year)

    @property
    def shares(self) -> list[tuple[str, float]]:
        """The self-service shares as (area, percent); lines that do not
        read as "name: number" are skipped."""
        parsed = []
        for line in self.self_service_shares.splitlines():
            name, _colon, number = line.rpartition(":")
            try:
                parsed.append((name.strip(), float(number.strip().rstrip("%").replace(",", "."))))
            except ValueError:
                continue
        return [(name, percent) for name, percent in parsed if name]


class ChapterText(models.Model):
    """A manager's words for one chapter of one year's report; the numbers
    fill themselves in around them."""

    STAFF_SCOPE = ("municipality", "municipality")

    municipality = models.ForeignKey(
        Municipality, on_delete=models.CASCADE, related_name="+", verbose_name=_("municipality")
    )
    year = models.PositiveSmallIntegerField(
        _("year"), validators=[MinValueValidator(2000), MaxValueValidator(2100)]
    )
    chapter = models.CharField(_("chapter"), max_length=20, choices=Chapter.choices)
    text_da = models.TextField(_("text (Danish)"), blank=True)
    text_en = models.TextField(_("text (English)"), blank=True)

    class Meta:
        verbose_name = _("chapter text")
        verbose_name_plural = _("chapter texts")
        ordering = ["-year", "chapter"]
        constraints = [
            models.UniqueConstraint(
                fields=["municipality", "year", "chapter"], name="one_text_per_chapter_and_year"
            )
        ]

    def __str__(self) -> str:
        return f"{self.year} {self.get_chapter_display()}"

    @property
    def text(self) -> str:
        return localized(self.text_da, self.text_en)
