"""What a manager enters for the annual report: the year's figures from
other systems and the text of each chapter."""

from django.contrib import admin

from skranke.accounts.admin_site import ScopedAdmin
from skranke.stats.models import ChapterText, YearFigures


@admin.register(YearFigures)
class YearFiguresAdmin(ScopedAdmin):
    list_display = ["year", "municipality", "visits", "staff_fte"]
    list_filter = ["year"]


@admin.register(ChapterText)
class ChapterTextAdmin(ScopedAdmin):
    list_display = ["year", "chapter", "municipality"]
    list_filter = ["year", "chapter"]
