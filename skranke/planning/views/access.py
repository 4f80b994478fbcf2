"""Who may plan, and which of their places a planning page is about."""

from django.http import HttpRequest

from skranke.accounts.models import User
from skranke.accounts.permissions import staff_of_a_municipality
from skranke.accounts.scoping import visible_locations
from skranke.core.models import Location


def planning_manager(request: HttpRequest) -> User:
    """The signed-in manager or administrator; anyone else is refused."""
    return staff_of_a_municipality(user=request.user, action="plan_staffing")


def chosen_place(*, user: User, chosen: str | None) -> tuple[list[Location], Location | None]:
    """The places of the user's municipality they may see, and the one
    chosen (the first when none or another was asked for)."""
    locations = list(visible_locations(user=user).filter(municipality=user.municipality))
    place = next((loc for loc in locations if str(loc.pk) == chosen), None)
    return locations, place or (locations[0] if locations else None)
