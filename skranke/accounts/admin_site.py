"""The admin, in Danish, where every role sees only its own municipality and
locations. Every ModelAdmin of the project derives from ScopedAdmin."""

from typing import Any

from django.contrib import admin
from django.contrib.admin.utils import get_fields_from_path
from django.db.models import ForeignKey, ManyToManyField, Model, Q, QuerySet
from django.forms import ModelChoiceField, ModelMultipleChoiceField
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from skranke.accounts.admin_labels import LabelledInlineFormSet, changelist_form_named_by_object
from skranke.accounts.permissions import may_use_admin, role_may
from skranke.accounts.scoping import NOTHING, is_in_scope, scope_for_model
from skranke.accounts.sign_in_forms import StaffAdminAuthenticationForm


class SkrankeAdminSite(admin.AdminSite):
    site_header = _("Skranke – administration")
    site_title = _("Skranke")
    index_title = _("Configuration")
    login_form = StaffAdminAuthenticationForm

    def has_permission(self, request: HttpRequest) -> bool:
        return may_use_admin(user=request.user)


class ScopedPermissionsMixin:
    """Permissions from the role table, limited to objects in the user's scope."""

    model: Any  # set by the ModelAdmin or inline this is mixed into

    def _may(self, request: HttpRequest, action: str, obj: Model | None = None) -> bool:
        if not role_may(user=request.user, action=action, model_label=self.model._meta.label_lower):
            return False
        if obj is None or obj.pk is None:
            return True
        scope = scope_for_model(user=request.user, model=type(obj))
        return is_in_scope(obj=obj, scope=scope)

    def has_module_permission(self, request: HttpRequest) -> bool:
        return self._may(request, "view")

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._may(request, "view", obj) or self._may(request, "change", obj)

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._may(request, "add")

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._may(request, "change", obj)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._may(request, "delete", obj)

    def get_queryset(self, request: HttpRequest) -> QuerySet[Any]:
        queryset = super().get_queryset(request)  # type: ignore[misc]
        return queryset.filter(scope_for_model(user=request.user, model=self.model))

    def get_list_filter(self, request: HttpRequest) -> Any:
        """Every filter on a related object (a location, a desk, a
        municipality) offers only the objects in the user's scope, as the
        forms do; a filter chosen with its own class is left as it is."""
        chosen = super().get_list_filter(request)  # type: ignore[misc]
        return [
            (item, ScopedRelatedFieldListFilter)
            if isinstance(item, str) and get_fields_from_path(self.model, item)[-1].is_relation
            else item
            for item in chosen
        ]

    def formfield_for_foreignkey(
        self, db_field: ForeignKey[Any, Any], request: HttpRequest, **kwargs: Any
    ) -> ModelChoiceField | None:
        kwargs.setdefault("queryset", _choices(db_field.related_model, request))
        return super().formfield_for_foreignkey(db_field, request, **kwargs)  # type: ignore[misc]

    def formfield_for_manytomany(
        self, db_field: ManyToManyField[Any, Any], request: HttpRequest, **kwargs: Any
    ) -> ModelMultipleChoiceField | None:
        kwargs.setdefault("queryset", _choices(db_field.related_model, request))
        return super().formfield_for_manytomany(db_field, request, **kwargs)  # type: ignore[misc]


def _choices(model: Any, request: HttpRequest) -> QuerySet[Any]:
    """The objects a user may pick in a form: a Desk from their locations,
    a Service of their municipality, and so on."""
    return model._default_manager.filter(scope_for_model(user=request.user, model=model))


class ScopedRelatedFieldListFilter(admin.RelatedFieldListFilter):
    """The list filter's choices of related objects, limited to the user's
    scope: another municipality's locations are not even named."""

    def field_choices(self, field: Any, request: HttpRequest, model_admin: Any) -> Any:
        ordering = self.field_admin_ordering(field, request, model_admin)
        return field.get_choices(
            include_blank=False,
            ordering=ordering,
            limit_choices_to=_scope(field.related_model, request),
        )


def _scope(model: Any, request: HttpRequest) -> Q:
    try:
        return scope_for_model(user=request.user, model=model)
    except LookupError:
        # A model no scope is declared for: named to the installation's
        # superusers only.
        return Q() if getattr(request.user, "is_superuser", False) else NOTHING


class ScopedAdmin(ScopedPermissionsMixin, admin.ModelAdmin):
    def get_changelist_form(self, request: HttpRequest, **kwargs: Any) -> Any:
        return changelist_form_named_by_object(super().get_changelist_form(request, **kwargs))


class ScopedInline(ScopedPermissionsMixin, admin.TabularInline):
    extra = 0
    formset = LabelledInlineFormSet
