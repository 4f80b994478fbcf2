"""A municipality's own message texts, edited by administrators and
managers, with a preview filled in from an example booking."""

from django.contrib import admin
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from skranke.accounts.admin_site import ScopedAdmin
from skranke.notifications.composing import FIELDS, NOT_IN_SMS, TURN_SOON_FIELDS, preview_text
from skranke.notifications.models import MessageText


@admin.register(MessageText)
class MessageTextAdmin(ScopedAdmin):
    list_display = ["kind", "channel", "language", "for_phone_meetings", "municipality"]
    list_filter = ["kind", "channel", "language"]
    readonly_fields = ["fields_you_can_use", "preview"]
    fields = [
        "municipality",
        "kind",
        "channel",
        "language",
        "for_phone_meetings",
        "text",
        "fields_you_can_use",
        "preview",
    ]

    @admin.display(description=_("Fields you can use"))
    def fields_you_can_use(self, obj: MessageText | None) -> str:
        usable = ", ".join(f"{{{name}}}" for name in sorted(FIELDS))
        private = ", ".join(f"{{{name}}}" for name in sorted(NOT_IN_SMS))
        turn_soon = ", ".join(f"{{{name}}}" for name in sorted(TURN_SOON_FIELDS))
        return format_html(
            "{}<br>{}<br>{}",
            usable,
            _("Not in text messages: %(fields)s.") % {"fields": private},
            _("“Your turn is soon” (a text message): %(fields)s.") % {"fields": turn_soon},
        )

    @admin.display(description=_("Preview with an example booking"))
    def preview(self, obj: MessageText | None) -> str:
        if obj is None or obj.pk is None:
            return str(_("Save to see the text filled in."))
        return preview_text(text_id=obj.pk)
