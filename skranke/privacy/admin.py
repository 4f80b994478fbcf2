"""The retention periods, set by the municipality's administrator (usually
on the data protection officer's word)."""

from django.contrib import admin

from skranke.accounts.admin_site import ScopedAdmin
from skranke.privacy.models import RetentionSettings

PERIODS = [
    "booking_days",
    "contact_note_days",
    "message_days",
    "survey_comment_days",
    "call_record_days",
    "access_log_days",
]


@admin.register(RetentionSettings)
class RetentionSettingsAdmin(ScopedAdmin):
    list_display = ["municipality", *PERIODS]
    fields = ["municipality", *PERIODS]
