"""{% load privacy %} … {% if user|may_see_citizen_data %}: for the link on
the staff start page."""

from django import template

from skranke.privacy import access_request

register = template.Library()


@register.filter
def may_see_citizen_data(user: object) -> bool:
    return access_request.may_see_citizen_data(user=user)
