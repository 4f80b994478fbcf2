"""Names for the admin's fields that stand in a table without a label of
their own: a list's editable column, and each row of a tabular inline (a
location's opening hours). Django puts the field's name in a column heading
that a screen reader does not tie to the field, so a manager who cannot see
the table met a box with no name; each such field is now named by its
column and its row ("Åbner, række 2"; "Varighed i minutter, Pas")."""

from typing import Any

from django.forms import BaseForm, BaseInlineFormSet, ModelForm
from django.forms.utils import pretty_name
from django.utils.text import capfirst
from django.utils.translation import gettext as _


def name_row_fields(*, form: BaseForm, row: str) -> None:
    """Gives each visible field of `form` a name made of its label and the row's."""
    for name, field in form.fields.items():
        if field.widget.is_hidden:
            continue
        label = capfirst(str(field.label or pretty_name(name)))
        field.widget.attrs.setdefault("aria-label", f"{label}, {row}")


class LabelledInlineFormSet(BaseInlineFormSet[Any, Any, Any]):
    """A tabular inline whose fields, the delete box too, are named by row."""

    def add_fields(self, form: BaseForm, index: int | None) -> None:
        super().add_fields(form, index)
        # The blank row Django copies for "add another" has no number yet;
        # its copies keep this name, which still says what the field is.
        row = _("new row") if index is None else _("row %(number)s") % {"number": index + 1}
        name_row_fields(form=form, row=row)


def changelist_form_named_by_object(form_class: type[ModelForm[Any]]) -> type[ModelForm[Any]]:
    """The list's editable form, each field named by its column and the
    object its row shows."""

    class NamedByObject(form_class):  # type: ignore[valid-type,misc]
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            name_row_fields(form=self, row=str(self.instance))

    return NamedByObject
