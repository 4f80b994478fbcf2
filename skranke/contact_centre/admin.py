"""The contact centre's configuration in the admin."""

from typing import Any

from django import forms
from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from skranke.accounts.admin_site import ScopedAdmin
from skranke.contact_centre.call_import import COLUMN_SETTINGS
from skranke.contact_centre.models import CallRecordFormat, KpiTargets, Topic, TopicGroup

# The delimiters phone systems write. A choice, because a tab cannot be
# typed into a text field.
DELIMITERS = [
    (";", _("Semicolon ;")),
    (",", _("Comma ,")),
    ("\t", _("Tab")),
    ("|", _("Vertical bar |")),
]


class CallRecordFormatForm(forms.ModelForm[CallRecordFormat]):
    delimiter = forms.ChoiceField(label=_("delimiter"), choices=DELIMITERS)

    class Meta:
        model = CallRecordFormat
        fields = ["municipality", "delimiter", *COLUMN_SETTINGS.values()]


@admin.register(CallRecordFormat)
class CallRecordFormatAdmin(ScopedAdmin):
    """How the phone system's CSV files are read: the name of the column
    holding each field (docs/telephony.md)."""

    form = CallRecordFormatForm
    list_display = ["municipality", "delimiter", "call_id_column", "offered_at_column"]
    readonly_fields = ["first_line"]
    fieldsets = [
        (None, {"fields": ["municipality", "delimiter"]}),
        (
            _("Columns"),
            {
                "fields": [*COLUMN_SETTINGS.values(), "first_line"],
                "description": _(
                    "The column names as they stand on the first line of the phone "
                    "system's files (upper and lower case do not matter)."
                ),
            },
        ),
    ]

    @admin.display(description=_("A file's first line then reads"))
    def first_line(self, obj: Any) -> str:
        if obj is None or obj.pk is None:
            return str(_("Save to see it."))
        columns = [getattr(obj, setting) for setting in COLUMN_SETTINGS.values()]
        separator = "<tab>" if obj.delimiter == "\t" else obj.delimiter
        return separator.join(column for column in columns if column)


@admin.register(TopicGroup)
class TopicGroupAdmin(ScopedAdmin):
    """Groups the key figures are reported by ("phase 1", "phase 2"), and
    the phone queues whose calls are theirs (docs/kpis.md)."""

    list_display = ["name_da", "name_en", "first_contact_target", "position"]
    fields = [
        "municipality",
        "name_da",
        "name_en",
        "position",
        "first_contact_target",
        "phone_queues",
    ]


@admin.register(Topic)
class TopicAdmin(ScopedAdmin):
    """What contacts are about: the choices in the contact log."""

    list_display = ["name_da", "name_en", "group", "active", "position"]
    list_filter = ["group", "active"]
    fields = ["municipality", "name_da", "name_en", "group", "position", "active", "kle_number"]


@admin.register(KpiTargets)
class KpiTargetsAdmin(ScopedAdmin):
    list_display = [
        "municipality",
        "answer_seconds",
        "service_level_percent",
        "abandoned_percent",
        "abandoned_total_percent",
        "first_contact_percent",
    ]
