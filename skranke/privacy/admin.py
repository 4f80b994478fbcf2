"""The retention periods, set by the municipality's administrator (usually
on the data protection officer's word)."""

from django.contrib import admin

from skranke.accounts.admin_site import ScopedAdmin
from skranke.privacy.models import ErasureRequest, RetentionSettings

PERIODS = [
    "booking_days",
    "contact_note_days",
    "message_days",
    "inquiry_days",
    "inquiry_cpr_days",
    "survey_comment_days",
    "call_record_days",
    "access_log_days",
]


@admin.register(RetentionSettings)
class RetentionSettingsAdmin(ScopedAdmin):
    list_display = ["municipality", *PERIODS]
    fields = ["municipality", *PERIODS]


@admin.register(ErasureRequest)
class ErasureRequestAdmin(ScopedAdmin):
    """What was erased at citizens' requests, by whom and why: a record,
    read only for administrators (accounts/permissions.py)."""

    list_display = ["at", "actor_name", "municipality", "refused"]
    readonly_fields = ("at", "actor_name", "municipality", "reason", "counts", "refused")
    fields = readonly_fields
    date_hierarchy = "at"
