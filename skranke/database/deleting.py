"""Deleting rows that may not be there, as the worker's clean-ups do every
round."""

from typing import Any

from django.db.models import QuerySet


def delete_found(queryset: QuerySet[Any]) -> int:
    """Delete the queryset's rows; how many of its own model went (rows
    deleted with them through foreign keys are not counted). Most rounds
    there is nothing to delete: asking first writes nothing then, so
    SQLite takes no write lock, and a delete, which looks through every
    table that refers to the rows, runs only when there is something."""
    if not queryset.exists():
        return 0
    _total, by_model = queryset.delete()
    return by_model.get(queryset.model._meta.label, 0)
