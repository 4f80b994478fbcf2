"""Something costly to make, kept in Django's cache under a fingerprint of
everything it is made from.

The fingerprint is the whole key: when anything the value rests on
changes, the fingerprint changes with it and the value is made afresh, so
nothing ever has to be told to forget. Old values are simply not asked for
again and leave the cache in time. Kept in the process by default, in a
shared cache if the installation configures one (both are safe: a key
names exactly one value)."""

import hashlib
from collections.abc import Callable
from typing import TypeVar

from django.core.cache import cache
from django.db.models import Model

T = TypeVar("T")


def keep_value(*, name: str, fingerprint: object, build: Callable[[], T], seconds: int) -> T:
    """`build()`, or what it gave before for the same `name` and
    `fingerprint` (any value with a stable repr) within `seconds`."""
    key = f"{name}:" + hashlib.sha256(repr(fingerprint).encode()).hexdigest()
    kept = cache.get(key)
    if kept is None:
        kept = build()
        cache.set(key, kept, seconds)
    return kept


def row_fingerprint(instance: Model) -> tuple[object, ...]:
    """Every column of a row as read: what a page built from it rests on."""
    return tuple(getattr(instance, field.attname) for field in instance._meta.concrete_fields)
