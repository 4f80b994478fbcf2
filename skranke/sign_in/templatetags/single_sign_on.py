"""The sign-in page's buttons for single sign-on: one for each identity
provider a municipality has enabled (skranke/sign_in/single_sign_on.py)."""

from django import template

from skranke.sign_in.single_sign_on import enabled_providers

register = template.Library()


@register.inclusion_tag("sign_in/_single_sign_on_buttons.html", takes_context=True)
def single_sign_on_buttons(context: template.Context) -> dict[str, object]:
    return {"providers": enabled_providers(), "next": context.get("next", "")}
