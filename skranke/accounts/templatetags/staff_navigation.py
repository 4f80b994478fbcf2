"""{% staff_navigation %}: the DKFDS header navigation of the staff pages,
and {% staff_menu_button %}, which opens it on a narrow screen."""

from typing import Any

from django import template

from skranke.accounts.staff_navigation import Entry, navigation_for

register = template.Library()


def _entries(context: dict[str, Any]) -> list[Entry]:
    request = context.get("request")
    user = context.get("user")
    if request is None or user is None or not user.is_authenticated:
        return []
    match = getattr(request, "resolver_match", None)
    return navigation_for(user=user, path=request.path, view_name=match.view_name if match else "")


@register.inclusion_tag("accounts/staff_navigation.html", takes_context=True)
def staff_navigation(context: dict[str, Any]) -> dict[str, Any]:
    return {"entries": _entries(context)}


@register.simple_tag(takes_context=True)
def staff_navigation_entries(context: dict[str, Any]) -> list[Entry]:
    """{% staff_navigation_entries as entries %}: the same entries, for the
    start page's list."""
    return _entries(context)


@register.inclusion_tag("accounts/staff_menu_button.html", takes_context=True)
def staff_menu_button(context: dict[str, Any]) -> dict[str, Any]:
    """The button that opens the navigation's drawer below DKFDS's wide
    layout, where the row of entries is hidden."""
    return {"entries": _entries(context)}
