"""A municipality's own message texts, edited by administrators and
managers, with a preview filled in from an example booking."""

from django.contrib import admin
from django.utils.html import format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _

from skranke.accounts.admin_site import ScopedAdmin
from skranke.notifications.composing import NOT_IN_SMS, preview_text
from skranke.notifications.message_kinds import registered_kinds
from skranke.notifications.models import Message, MessageText


def _braced(names: frozenset[str]) -> str:
    return ", ".join(f"{{{name}}}" for name in sorted(names))


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
        """The fields most kinds share (a booking's) first, then the kinds
        with fields of their own."""
        kinds = registered_kinds()
        field_sets = [message_kind.fields for message_kind in kinds]
        common = max(field_sets, key=field_sets.count)
        lines = [
            _braced(common),
            _("Not in text messages: %(fields)s.") % {"fields": _braced(NOT_IN_SMS)},
        ]
        for message_kind in kinds:
            if message_kind.fields == common:
                continue
            wording = (
                _("“%(kind)s” (a text message): %(fields)s.")
                if message_kind.sms_only
                else _("“%(kind)s”: %(fields)s.")
            )
            label = Message.Kind(message_kind.kind).label
            lines.append(wording % {"kind": label, "fields": _braced(message_kind.fields)})
        return format_html_join(mark_safe("<br>"), "{}", ((line,) for line in lines))

    @admin.display(description=_("Preview with an example booking"))
    def preview(self, obj: MessageText | None) -> str:
        if obj is None or obj.pk is None:
            return str(_("Save to see the text filled in."))
        return preview_text(text_id=obj.pk)
