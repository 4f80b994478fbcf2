"""The staff sign-in forms (the staff pages' and the admin's). They are
here, below sign_in, because the admin site (admin_site.py) needs its
form; sign_in's page (sign_in/views.py) uses the other.

Django's sign-in form sets the user name's max_length after the field is
made, so nothing checks it: a name of any length reached authenticate(),
and django-axes, whose record of a failed attempt holds 255 characters.
PostgreSQL refused that row, and the sign-in page answered 500. Here the
length is checked like any other field's, before anything is looked up."""

from typing import Any

from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator
from django.http import HttpRequest

from skranke.accounts.permissions import may_use_admin

# Set on the request by an authentication backend that refuses for another
# reason than a wrong password (sign_in/lockout.py: an account under
# attack), with the text the form should show instead.
REFUSAL_ATTRIBUTE = "sign_in_refusal"


class BoundedUserName:
    fields: dict[str, Any]
    request: HttpRequest | None

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["username"]
        field.validators.append(MaxLengthValidator(field.max_length))

    def get_invalid_login_error(self) -> ValidationError:
        refusal = getattr(self.request, REFUSAL_ATTRIBUTE, None)
        if refusal:
            return ValidationError(refusal, code="refused")
        return super().get_invalid_login_error()  # type: ignore[misc]


class StaffAuthenticationForm(BoundedUserName, AuthenticationForm):
    pass


class StaffAdminAuthenticationForm(BoundedUserName, AdminAuthenticationForm):
    """Admin access follows the role, not Django's is_staff flag."""

    def confirm_login_allowed(self, user: Any) -> None:
        if not may_use_admin(user=user):
            raise self.get_invalid_login_error()
