"""What a staff member may see: their municipality, and within it the
locations they work at (administrators: every location of the municipality).

Every staff query that returns configuration or citizen data is filtered
through these functions, so that scoping is decided in one place.
"""

from django.db.models import Model, Q, QuerySet

from skranke.accounts.models import Role, User
from skranke.core.models import (
    Desk,
    DeskShift,
    Location,
    Municipality,
    OpeningHours,
    Service,
    SpecialDay,
    SpecialDayHours,
)

NOTHING = Q(pk__in=[])


def _staff_member(user: object) -> User | None:
    """The user as an active staff account, or None for anyone else."""
    return user if isinstance(user, User) and user.is_active else None


def visible_locations(*, user: object) -> QuerySet[Location]:
    """The locations `user` may see and work with."""
    return Location.objects.filter(location_scope(user=user, path=""))


def visible_municipalities(*, user: object) -> QuerySet[Municipality]:
    return Municipality.objects.filter(municipality_scope(user=user, path=""))


def municipality_scope(*, user: object, path: str) -> Q:
    """A filter keeping rows of the user's municipality. `path` leads from
    the filtered model to its municipality ("" when it is the municipality)."""
    staff = _staff_member(user)
    if staff is None:
        return NOTHING
    if staff.is_superuser:
        return Q()
    if staff.municipality_id is None or not staff.role:
        return NOTHING
    key = f"{path}__pk" if path else "pk"
    return Q(**{key: staff.municipality_id})


def location_scope(*, user: object, path: str) -> Q:
    """A filter keeping rows of the locations the user works at. `path`
    leads from the filtered model to its location ("" for a Location)."""
    staff = _staff_member(user)
    if staff is None:
        return NOTHING
    if staff.is_superuser:
        return Q()
    prefix = f"{path}__" if path else ""
    in_municipality = municipality_scope(user=staff, path=f"{prefix}municipality")
    if staff.role == Role.ADMINISTRATOR:
        return in_municipality
    if not staff.role:
        return NOTHING
    # A subquery, not a list read first: one query for the page's rows, and
    # a poll of the overview every two seconds asks one query fewer.
    location_ids = staff.locations.values("pk")
    return in_municipality & Q(**{f"{prefix}pk__in": location_ids})


def is_in_scope(*, obj: Model, scope: Q) -> bool:
    """Whether one object passes a scope filter (one query)."""
    return type(obj)._default_manager.filter(scope, pk=obj.pk).exists()


def scope_for_model(*, user: object, model: type[Model]) -> Q:
    """The scope filter for any configuration model (or the staff model)."""
    by_location = {
        Location: "",
        OpeningHours: "location",
        SpecialDay: "location",
        SpecialDayHours: "special_day__location",
        Desk: "location",
        DeskShift: "desk__location",
    }
    by_municipality = {Municipality: "", Service: "municipality", User: "municipality"}
    if model in by_location:
        return location_scope(user=user, path=by_location[model])
    if model in by_municipality:
        return municipality_scope(user=user, path=by_municipality[model])
    # Models of other apps say themselves how they are scoped, so that this
    # module need not know them: STAFF_SCOPE = ("municipality" or
    # "location", the path to it).
    declared = getattr(model, "STAFF_SCOPE", None)
    if declared is not None:
        level, path = declared
        if level == "municipality":
            return municipality_scope(user=user, path=path)
        if level == "location":
            return location_scope(user=user, path=path)
    raise LookupError(f"No staff scope is defined for {model.__name__}.")


def visible_desks(*, user: object) -> QuerySet[Desk]:
    """The active desks (not phone lines) at the locations `user` works at."""
    return Desk.objects.filter(
        location_scope(user=user, path="location"), active=True, kind=Desk.Kind.COUNTER
    ).select_related("location")
